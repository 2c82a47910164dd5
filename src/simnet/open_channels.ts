/**
 * Opening channels: a batch funded by one transaction (LND's `batchopenchannel`), pending until
 * the funding tx is `confirmations` deep; and an instant open for benchmark setup.
 */
import type { OpenChannelRequest, OpenedChannel, Sats } from '../agent/lightning_port.ts'
import { StormError } from '../shared/errors.ts'
import type { SimCore } from './core.ts'
import { ChannelState } from './state.ts'

/**
 * Opens `requests` from node `me` in one funding tx, all or nothing.
 *
 * Throws `StormError` with `LN_INVALID_REQUEST`, `LN_CHANNEL_TOO_SMALL`, `LN_CHANNEL_TOO_LARGE`,
 * `LN_PEER_UNREACHABLE` or `LN_INSUFFICIENT_FUNDS`; nothing changes when it throws.
 */
export function openChannels (core: SimCore, me: number, requests: OpenChannelRequest[]): OpenedChannel[] {
  if (!Array.isArray(requests) || requests.length === 0) throw new StormError('LN_INVALID_REQUEST', { reason: 'no channels' })
  const peers = requests.map(r => {
    checkCapacity(core, r.capacity)
    const peer = core.byKey.get(r.peer)
    if (peer === me) throw new StormError('LN_INVALID_REQUEST', { reason: 'channel to self' })
    if (peer === undefined || !core.nodes[peer]!.online) throw new StormError('LN_PEER_UNREACHABLE', { peer: String(r.peer) })
    return peer
  })
  const node = core.nodes[me]!
  const fee = core.txFee()
  const needed = requests.reduce((sum, r) => sum + r.capacity, 0) + fee
  if (node.confirmed < needed) throw new StormError('LN_INSUFFICIENT_FUNDS', { needed, available: node.confirmed })

  node.confirmed -= needed
  const tx = core.broadcast(fee)
  return requests.map((r, vout) => {
    const peer = peers[vout]!
    const balA = (r.capacity - core.opts.commitFee) * 1000
    const ch = addChannel(core, me, peer, r.capacity, tx.txid, vout, r.private === true, core.opts.commitFee, balA, 0)
    core.opening.push(ch.idx)
    node.peers.add(peer)
    core.nodes[peer]!.peers.add(me)
    return { peer: r.peer, capacity: r.capacity, channelPoint: ch.point }
  })
}

/**
 * Opens an active channel at once, as if its funding tx were in the tip block: for benchmark and
 * demo setup. Spends no on-chain funds. `localAmount` (default all) is `a`'s side; `b` gets the
 * rest. Throws `StormError` (`LN_CHANNEL_TOO_SMALL`, `LN_CHANNEL_TOO_LARGE`, `LN_INVALID_REQUEST`).
 */
export function openChannelNow (core: SimCore, a: number, b: number, capacity: Sats, localAmount: Sats = capacity, isPrivate = false): ChannelState {
  checkCapacity(core, capacity)
  if (a === b) throw new StormError('LN_INVALID_REQUEST', { reason: 'channel to self' })
  if (!Number.isSafeInteger(localAmount) || localAmount < 0 || localAmount > capacity) {
    throw new StormError('LN_INVALID_REQUEST', { reason: 'local amount outside 0..capacity' })
  }
  const tx = core.confirmNow()
  const commit = Math.min(core.opts.commitFee, localAmount)
  const ch = addChannel(core, a, b, capacity, tx.txid, 0, isPrivate, commit, (localAmount - commit) * 1000, (capacity - localAmount) * 1000)
  core.activate(ch, tx)
  return ch
}

function checkCapacity (core: SimCore, capacity: unknown): asserts capacity is number {
  if (typeof capacity !== 'number' || !Number.isSafeInteger(capacity) || capacity <= 0) {
    throw new StormError('LN_INVALID_REQUEST', { reason: 'capacity must be a positive integer' })
  }
  if (capacity < core.opts.minChannelSize) throw new StormError('LN_CHANNEL_TOO_SMALL', { capacity, min: core.opts.minChannelSize })
  if (capacity > core.opts.maxChannelSize) throw new StormError('LN_CHANNEL_TOO_LARGE', { capacity, max: core.opts.maxChannelSize })
}

function addChannel (core: SimCore, a: number, b: number, capacity: number, txid: string, vout: number, isPrivate: boolean, commit: number, balA: number, balB: number): ChannelState {
  const o = core.opts
  const ch = new ChannelState({ idx: core.channels.length, a, b, capacity, txid, vout, isPrivate, commit, balA, balB, base: o.defaultBaseMsat, ppm: o.defaultPpm, cltv: o.defaultCltv })
  core.channels.push(ch)
  core.byPoint.set(ch.point, ch.idx)
  core.nodes[a]!.chans.push(ch.idx)
  core.nodes[a]!.ends.push(b)
  core.nodes[b]!.chans.push(ch.idx)
  core.nodes[b]!.ends.push(a)
  return ch
}
