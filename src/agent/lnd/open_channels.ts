/**
 * Opening channels. One channel goes through `lightning`'s `openChannel`; several go into one
 * funding transaction with LND's BatchOpenChannel, which is all or nothing: if any channel is
 * refused, none is funded. (`lightning`'s `openChannels` would need us to fund and sign a PSBT
 * ourselves; BatchOpenChannel funds from LND's wallet and returns the outpoints.)
 */
import { openChannel } from 'lightning'
import type { OpenChannelRequest, OpenedChannel } from '../lightning_port.ts'
import type { LndContext } from './context.ts'
import { callLnd, lndError } from './errors.ts'
import { addPeer } from './node_info.ts'
import { assertPublicKey, assertSats, invalid } from './validate.ts'

/** Blocks LND aims to confirm a funding transaction in. */
const FUNDING_TARGET_CONFS = 6

/**
 * Errors: `LN_INSUFFICIENT_FUNDS`, `LN_CHANNEL_TOO_SMALL`, `LN_CHANNEL_TOO_LARGE`,
 * `LN_PEER_UNREACHABLE`, `LN_INVALID_REQUEST`, `LN_UNAVAILABLE`.
 */
export async function openChannels (ctx: LndContext, requests: OpenChannelRequest[]): Promise<OpenedChannel[]> {
  if (requests.length === 0) throw invalid('no channels to open')
  for (const r of requests) {
    assertPublicKey(r.peer)
    assertSats(r.capacity, 'capacity')
  }
  for (const r of requests) if (r.socket !== undefined) await addPeer(ctx, r.peer, r.socket)
  if (requests.length === 1) return [await openOne(ctx, requests[0]!)]
  return await openBatch(ctx, requests)
}

async function openOne ({ lnd }: LndContext, r: OpenChannelRequest): Promise<OpenedChannel> {
  const funding = await callLnd('openChannel', 'LN_INVALID_REQUEST', async () => await openChannel({
    lnd,
    local_tokens: r.capacity,
    partner_public_key: r.peer,
    is_private: r.private ?? false
  }))
  return { peer: r.peer, capacity: r.capacity, channelPoint: `${funding.transaction_id}:${funding.transaction_vout}` }
}

interface PendingUpdate {
  txid: Buffer
  output_index: number
}

async function openBatch ({ lnd }: LndContext, requests: OpenChannelRequest[]): Promise<OpenedChannel[]> {
  const request = {
    channels: requests.map(r => ({
      node_pubkey: Buffer.from(r.peer, 'hex'),
      local_funding_amount: String(r.capacity),
      private: r.private ?? false
    })),
    target_conf: FUNDING_TARGET_CONFS,
    min_confs: 1
  }
  const pending = await new Promise<PendingUpdate[]>((resolve, reject) => {
    lnd.default.batchOpenChannel(request, (err: unknown, res: { pending_channels?: PendingUpdate[] } | undefined) => {
      if (err !== null && err !== undefined) return reject(lndError(err, 'batchOpenChannel', 'LN_INVALID_REQUEST'))
      const updates = res?.pending_channels ?? []
      if (updates.length !== requests.length) return reject(new Error(`BatchOpenChannel returned ${updates.length} outpoints for ${requests.length} channels`))
      resolve(updates)
    })
  })
  // LND sends the txid in its internal byte order: reversed from how it is displayed
  return requests.map((r, i) => ({
    peer: r.peer,
    capacity: r.capacity,
    channelPoint: `${Buffer.from(pending[i]!.txid).reverse().toString('hex')}:${pending[i]!.output_index}`
  }))
}
