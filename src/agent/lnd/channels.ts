/** Our channels, pending channels and our forwarding policy on each. */
import { getChannel, getChannels as lnGetChannels, getFeeRates, getNode, getPendingChannels as lnPendingChannels } from 'lightning'
import type { Channel, FeePolicy, PendingChannel } from '../lightning_port.ts'
import type { LndContext } from './context.ts'
import { callLnd } from './errors.ts'
import { channelFromLnd, channelPoint, pendingChannelFromLnd } from './responses/channel.ts'

/** The `lightning` calls this file makes; tests pass fakes (no LND runs in `npm test`). */
export interface ChannelCalls {
  getChannels: typeof lnGetChannels
  getFeeRates: typeof getFeeRates
  getNode: typeof getNode
  getChannel: typeof getChannel
}

const LIGHTNING: ChannelCalls = { getChannels: lnGetChannels, getFeeRates, getNode, getChannel }

/**
 * Open channels (active or not), each with our policy when it could be read. A policy that
 * cannot be read leaves that channel's fees unknown (no `policy`) and never fails the list: a
 * report must still go out with every other channel.
 */
export async function getChannels (ctx: LndContext, calls: ChannelCalls = LIGHTNING): Promise<Channel[]> {
  const { channels } = await callLnd('getChannels', 'LN_UNAVAILABLE', async () => await calls.getChannels({ lnd: ctx.lnd }))
  const policies = await policiesOf(ctx, channels.map(c => c.id), calls)
  return channels.map(c => channelFromLnd(c, policies.get(c.id)))
}

/** Channels being opened or closed. */
export async function getPendingChannels ({ lnd }: LndContext): Promise<PendingChannel[]> {
  const { pending_channels: pending } = await callLnd('getPendingChannels', 'LN_UNAVAILABLE', async () => await lnPendingChannels({ lnd }))
  return pending.map(pendingChannelFromLnd)
}

/**
 * Our outgoing policy per short channel id, for setting fees (all or nothing: `set_fees` must not
 * guess a CLTV delta). Fee rates come from LND's fee report (every channel); the CLTV delta only
 * from the graph: our node's edges in one query, and a lookup per channel the node query missed
 * (a private channel, or before our first announcement).
 */
export async function ourPolicies (ctx: LndContext, calls: ChannelCalls = LIGHTNING): Promise<Map<string, FeePolicy & { channelPoint: string }>> {
  const { lnd } = ctx
  const self = await ctx.selfKey()
  const [{ channels: rates }, cltv] = await Promise.all([
    callLnd('getFeeRates', 'LN_UNAVAILABLE', async () => await calls.getFeeRates({ lnd })),
    ourEdges(ctx, self, calls)
  ])
  const policies = new Map<string, FeePolicy & { channelPoint: string }>()
  await Promise.all(rates.map(async rate => {
    const delta = cltv.get(rate.id) ?? (await graphPolicy(ctx, rate.id, self, calls))?.cltv_delta
    if (delta === undefined) return
    policies.set(rate.id, { baseFeeMsat: rate.base_fee_mtokens, feeRatePpm: rate.fee_rate, cltvDelta: delta, channelPoint: channelPoint(rate) })
  }))
  return policies
}

/**
 * Our policy on each of `ids`, channel by channel: a channel whose policy cannot be read is left
 * out (its fees are unknown in the report), the others are not affected. LND's fee report is one
 * call for all channels and `lightning` rejects all of it when one entry is malformed; then each
 * channel's policy is read from the graph instead, one lookup per channel.
 */
async function policiesOf (ctx: LndContext, ids: string[], calls: ChannelCalls): Promise<Map<string, FeePolicy>> {
  const policies = new Map<string, FeePolicy>()
  if (ids.length === 0) return policies
  const self = await ctx.selfKey()
  const [rates, cltv] = await Promise.all([
    calls.getFeeRates({ lnd: ctx.lnd }).then(r => new Map(r.channels.map(c => [c.id, c])), () => null),
    ourEdges(ctx, self, calls)
  ])
  await Promise.all(ids.map(async id => {
    try {
      const rate = rates?.get(id)
      const delta = cltv.get(id)
      if (rate !== undefined && delta !== undefined) {
        policies.set(id, { baseFeeMsat: rate.base_fee_mtokens, feeRatePpm: rate.fee_rate, cltvDelta: delta })
        return
      }
      const ours = await graphPolicy(ctx, id, self, calls)
      const baseFeeMsat = rate?.base_fee_mtokens ?? ours?.base_fee_mtokens
      const feeRatePpm = rate?.fee_rate ?? ours?.fee_rate
      const cltvDelta = delta ?? ours?.cltv_delta
      if (baseFeeMsat !== undefined && feeRatePpm !== undefined && cltvDelta !== undefined) policies.set(id, { baseFeeMsat, feeRatePpm, cltvDelta })
    } catch {
      // this channel's fees are unknown in this report; the next report tries again
    }
  }))
  return policies
}

/** The CLTV delta of our side of each of our edges in the graph, by channel id. */
async function ourEdges ({ lnd }: LndContext, self: string, calls: ChannelCalls): Promise<Map<string, number | undefined>> {
  // our node is not in the graph before its first public channel: then there is nothing to read
  const edges = await calls.getNode({ lnd, public_key: self }).then(n => n.channels ?? [], () => [])
  return new Map(edges.map(e => [e.id, e.policies.find(p => p.public_key === self)?.cltv_delta]))
}

/** Our side of one channel in the graph; undefined when the graph does not know it (yet). */
async function graphPolicy ({ lnd }: LndContext, id: string, self: string, calls: ChannelCalls): Promise<{ base_fee_mtokens?: string, fee_rate?: number, cltv_delta?: number } | undefined> {
  try {
    const { policies } = await calls.getChannel({ lnd, id })
    return policies.find(p => p.public_key === self)
  } catch {
    return undefined
  }
}
