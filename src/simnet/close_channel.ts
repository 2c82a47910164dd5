/**
 * Closing channels. Cooperative: the closing tx pays each side its balance, the funder paying the
 * on-chain fee (as in LND's legacy channels); both sides get their funds once it confirms.
 * Force: the closer broadcasts the commitment; the other side's funds are theirs once it
 * confirms, the closer's only after `toSelfDelay` more blocks (CSV), shown as `force_closing`.
 */
import type { CloseChannelRequest } from '../agent/lightning_port.ts'
import { StormError } from '../shared/errors.ts'
import type { SimCore, SimTx } from './core.ts'
import type { ChannelState } from './state.ts'

/**
 * Closes one of `me`'s open channels. Throws `StormError`: `LN_CHANNEL_NOT_FOUND` (not an open
 * channel of ours), `LN_INVALID_REQUEST` (still opening or already closing) or
 * `LN_PEER_UNREACHABLE` (cooperative close with an offline peer).
 */
export function closeChannel (core: SimCore, me: number, request: CloseChannelRequest): { closingTxId: string } {
  const idx = core.byPoint.get(request.channelPoint)
  const ch = idx === undefined ? undefined : core.channels[idx]
  if (ch === undefined || (ch.a !== me && ch.b !== me) || ch.status === 'closed') {
    throw new StormError('LN_CHANNEL_NOT_FOUND', { channelPoint: String(request.channelPoint) })
  }
  if (ch.status !== 'open') throw new StormError('LN_INVALID_REQUEST', { reason: `channel is ${ch.status}` })
  const force = request.force === true
  const peer = ch.a === me ? ch.b : ch.a
  if (!force && !core.nodes[peer]!.online) throw new StormError('LN_PEER_UNREACHABLE', { peer: core.nodes[peer]!.key })

  // a force close spends the commitment, whose fee the funder set aside at open (when modelled);
  // a cooperative close frees that set-aside and pays a closing fee instead
  const fee = force && ch.commit > 0 ? ch.commit : core.txFee()
  // msat fractions are trimmed, as in a real commitment
  ch.closeOutA = Math.max(0, Math.floor(ch.balA / 1000) + ch.commit - fee)
  ch.closeOutB = Math.floor(ch.balB / 1000)
  ch.status = 'closing'
  ch.closer = me
  ch.force = force
  const tx = core.broadcast(fee, t => { finishClose(core, ch, t) })
  ch.closeTxid = tx.txid
  // funds that will be spendable at the first confirmation show as unconfirmed meanwhile
  for (const end of [ch.a, ch.b]) {
    if (!force || end !== me) core.nodes[end]!.unconfirmed += outputOf(ch, end)
  }
  return { closingTxId: tx.txid }
}

function finishClose (core: SimCore, ch: ChannelState, tx: SimTx): void {
  ch.status = 'closed'
  for (const end of [ch.a, ch.b]) {
    const node = core.nodes[end]!
    const at = node.chans.indexOf(ch.idx)
    if (at >= 0) {
      node.chans.splice(at, 1)
      node.ends.splice(at, 1)
    }
    const amount = outputOf(ch, end)
    if (ch.force && end === ch.closer) {
      if (amount > 0) {
        node.limbo.push({ channel: ch.idx, amount, maturity: tx.height + core.opts.toSelfDelay })
        core.limboCount++
      }
    } else {
      node.unconfirmed -= amount
      node.confirmed += amount
    }
    core.emit(end, { type: 'channel_closed', channelPoint: ch.point, peer: core.nodes[end === ch.a ? ch.b : ch.a]!.key })
  }
}

function outputOf (ch: ChannelState, node: number): number {
  return node === ch.a ? ch.closeOutA : ch.closeOutB
}
