/**
 * Builds the port's shapes from the network's records. Every call returns fresh objects, so no
 * caller can reach the network's state through what it was given.
 */
import type { Channel, Forward, PendingChannel } from '../agent/lightning_port.ts'
import type { SimCore } from './core.ts'
import type { ChannelState, ForwardRecord } from './state.ts'

/** `me`'s side of a channel: local = ours, and our outgoing policy. */
export function channelView (core: SimCore, ch: ChannelState, me: number): Channel {
  const mine = ch.a === me
  return {
    id: ch.scid,
    channelPoint: ch.point,
    peer: core.nodes[mine ? ch.b : ch.a]!.key,
    capacity: ch.capacity,
    localBalance: Math.floor((mine ? ch.balA : ch.balB) / 1000),
    remoteBalance: Math.floor((mine ? ch.balB : ch.balA) / 1000),
    localReserve: ch.reserve,
    remoteReserve: ch.reserve,
    active: core.isActive(ch),
    private: ch.isPrivate,
    initiator: mine,
    policy: {
      baseFeeMsat: String(mine ? ch.baseA : ch.baseB),
      feeRatePpm: mine ? ch.ppmA : ch.ppmB,
      cltvDelta: mine ? ch.cltvA : ch.cltvB
    }
  }
}

/** A node's open channels (LND's `listchannels`: confirmed and not closing). */
export function openChannelViews (core: SimCore, me: number): Channel[] {
  const out: Channel[] = []
  for (const idx of core.nodes[me]!.chans) {
    const ch = core.channels[idx]!
    if (ch.status === 'open') out.push(channelView(core, ch, me))
  }
  return out
}

/** A node's pending channels: opening, closing, and force-closed funds still maturing. */
export function pendingViews (core: SimCore, me: number): PendingChannel[] {
  const node = core.nodes[me]!
  const out: PendingChannel[] = []
  for (const idx of node.chans) {
    const ch = core.channels[idx]!
    if (ch.status === 'open') continue
    const mine = ch.a === me
    const peer = core.nodes[mine ? ch.b : ch.a]!.key
    if (ch.status === 'opening') {
      out.push({ channelPoint: ch.point, peer, capacity: ch.capacity, localBalance: Math.floor((mine ? ch.balA : ch.balB) / 1000), state: 'opening', initiator: mine })
    } else if (ch.status === 'closing') {
      out.push({ channelPoint: ch.point, peer, capacity: ch.capacity, localBalance: mine ? ch.closeOutA : ch.closeOutB, state: 'waiting_close', initiator: ch.closer === me })
    }
  }
  for (const entry of node.limbo) {
    const ch = core.channels[entry.channel]!
    out.push({ channelPoint: ch.point, peer: core.nodes[ch.a === me ? ch.b : ch.a]!.key, capacity: ch.capacity, localBalance: entry.amount, state: 'force_closing', initiator: true })
  }
  return out
}

/** One forward as the port reports it. */
export function forwardView (core: SimCore, f: ForwardRecord): Forward {
  return {
    at: f.at,
    inChannel: core.channels[f.inChannel]!.scid,
    outChannel: core.channels[f.outChannel]!.scid,
    amount: Math.floor(f.amountMsat / 1000),
    feeMsat: String(f.feeMsat)
  }
}
