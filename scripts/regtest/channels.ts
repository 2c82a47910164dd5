/**
 * Opening test channels on the regtest network, with `lightning` directly (not Storm's adapter,
 * which is what the tests check).
 */
import { addPeer, getChannel, getChannels, openChannel } from 'lightning'
import type { RegtestNetwork } from './regtest.ts'
import { waitUntil } from './processes.ts'

/** A channel to open: `from` funds `capacity` sats and gives `push` of them to `to`. */
export interface ChannelSpec {
  from: string
  to: string
  capacity: number
  push?: number
  private?: boolean
}

export interface OpenedTestChannel {
  from: string
  to: string
  capacity: number
  /** Short channel id, `block x tx x output`. */
  id: string
  /** Funding outpoint, `txid:vout`. */
  channelPoint: string
}

/** Confirmations before lnd announces a public channel to the network. */
const ANNOUNCEMENT_CONFS = 6

/**
 * Opens all `specs` at once, mines, and waits until each channel is active on both sides and
 * (when `announce`) both its policies are in the graph of every node that took part.
 */
export async function openChannels (net: RegtestNetwork, specs: ChannelSpec[], announce: boolean): Promise<OpenedTestChannel[]> {
  for (const spec of specs) {
    const to = net.node(spec.to)
    await addPeer({ lnd: net.lnd(spec.from), public_key: to.publicKey, socket: to.p2pSocket, retry_count: 3 })
  }
  const funding = await Promise.all(specs.map(async spec => await openChannel({
    lnd: net.lnd(spec.from),
    local_tokens: spec.capacity,
    give_tokens: spec.push,
    partner_public_key: net.node(spec.to).publicKey,
    is_private: spec.private ?? false
  })))
  await net.mine(announce ? ANNOUNCEMENT_CONFS : 1)

  const opened: OpenedTestChannel[] = []
  for (const [i, spec] of specs.entries()) {
    const { transaction_id: txid, transaction_vout: vout } = funding[i]!
    let id = ''
    for (const alias of [spec.from, spec.to]) {
      const active = await waitUntil(async () => {
        const { channels } = await getChannels({ lnd: net.lnd(alias) })
        const channel = channels.find(c => c.transaction_id === txid && c.transaction_vout === vout)
        if (channel === undefined || !channel.is_active) return false
        id = channel.id
        return true
      }, 60_000)
      if (!active) throw new Error(`channel ${spec.from}→${spec.to} ${txid}:${vout} not active at ${alias}`)
    }
    opened.push({ from: spec.from, to: spec.to, capacity: spec.capacity, id, channelPoint: `${txid}:${vout}` })
  }

  if (announce) {
    const involved = [...new Set(specs.flatMap(s => [s.from, s.to]))]
    for (const channel of opened.filter((_, i) => specs[i]!.private !== true)) {
      for (const alias of involved) await waitForEdge(net, alias, channel.id)
    }
  }
  return opened
}

/** Waits until node `alias` knows both directions' policies of channel `id`. */
export async function waitForEdge (net: RegtestNetwork, alias: string, id: string, timeoutMs = 60_000): Promise<void> {
  const known = await waitUntil(async () => {
    const { policies } = await getChannel({ lnd: net.lnd(alias), id })
    return policies.length === 2 && policies.every(p => p.cltv_delta !== undefined)
  }, timeoutMs, 200)
  if (!known) throw new Error(`${alias} did not learn channel ${id} from gossip`)
}
