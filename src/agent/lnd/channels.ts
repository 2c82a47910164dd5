/** Our channels, pending channels and our forwarding policy on each. */
import { getChannel, getChannels as lnGetChannels, getFeeRates, getNode, getPendingChannels as lnPendingChannels } from 'lightning'
import type { Channel, FeePolicy, PendingChannel } from '../lightning_port.ts'
import type { LndContext } from './context.ts'
import { callLnd } from './errors.ts'
import { channelFromLnd, channelPoint, pendingChannelFromLnd } from './responses/channel.ts'

/** Open channels (active or not), each with our policy when LND knows it. */
export async function getChannels (ctx: LndContext): Promise<Channel[]> {
  const [{ channels }, policies] = await Promise.all([
    callLnd('getChannels', 'LN_UNAVAILABLE', async () => await lnGetChannels({ lnd: ctx.lnd })),
    ourPolicies(ctx)
  ])
  return channels.map(c => channelFromLnd(c, policies.get(c.id)))
}

/** Channels being opened or closed. */
export async function getPendingChannels ({ lnd }: LndContext): Promise<PendingChannel[]> {
  const { pending_channels: pending } = await callLnd('getPendingChannels', 'LN_UNAVAILABLE', async () => await lnPendingChannels({ lnd }))
  return pending.map(pendingChannelFromLnd)
}

/**
 * Our outgoing policy per short channel id. Fee rates come from LND's fee report (every
 * channel); the CLTV delta only from the graph: our node's edges in one query, and a lookup per
 * channel the node query missed (a private channel, or before our first announcement).
 */
export async function ourPolicies (ctx: LndContext): Promise<Map<string, FeePolicy & { channelPoint: string }>> {
  const { lnd } = ctx
  const self = await ctx.selfKey()
  const [{ channels: rates }, edges] = await Promise.all([
    callLnd('getFeeRates', 'LN_UNAVAILABLE', async () => await getFeeRates({ lnd })),
    // our node is not in the graph before its first public channel: then there is nothing to read
    getNode({ lnd, public_key: self }).then(n => n.channels ?? [], () => [])
  ])
  const cltv = new Map<string, number | undefined>(edges.map(e => [e.id, e.policies.find(p => p.public_key === self)?.cltv_delta]))
  const policies = new Map<string, FeePolicy & { channelPoint: string }>()
  await Promise.all(rates.map(async rate => {
    const delta = cltv.get(rate.id) ?? await edgeCltv(ctx, rate.id, self)
    if (delta === undefined) return
    policies.set(rate.id, { baseFeeMsat: rate.base_fee_mtokens, feeRatePpm: rate.fee_rate, cltvDelta: delta, channelPoint: channelPoint(rate) })
  }))
  return policies
}

async function edgeCltv ({ lnd }: LndContext, id: string, self: string): Promise<number | undefined> {
  try {
    const { policies } = await getChannel({ lnd, id })
    return policies.find(p => p.public_key === self)?.cltv_delta
  } catch {
    return undefined // not in our graph (yet): the policy is then unknown
  }
}
