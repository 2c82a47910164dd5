/** Setting our forwarding fees on one channel or on all of them. */
import { getChannels, updateRoutingFees } from 'lightning'
import type { UpdateRoutingFeesResult } from 'lightning'
import { StormError } from '../../shared/errors.ts'
import type { FeePolicy, SetFeesRequest } from '../lightning_port.ts'
import { ourPolicies } from './channels.ts'
import type { LndContext } from './context.ts'
import { callLnd } from './errors.ts'
import { channelPoint, parseChannelPoint } from './responses/channel.ts'
import { invalid } from './validate.ts'

/** How long to wait for our policy on a channel LND already lists (see `ourPolicyOn`). */
const POLICY_WAIT_MS = 10_000
const POLICY_POLL_MS = 200

/**
 * Without `cltvDelta`, each channel keeps its own (lightning would otherwise reset it to 144),
 * so that case updates channel by channel; a channel that has just become active is waited for
 * until its policy is readable (a few seconds at most). Errors: `LN_CHANNEL_NOT_FOUND`,
 * `LN_INVALID_REQUEST`.
 */
export async function setFees (ctx: LndContext, request: SetFeesRequest): Promise<void> {
  const { baseFeeMsat, feeRatePpm, cltvDelta } = request
  if (!/^\d{1,15}$/.test(baseFeeMsat)) throw invalid('baseFeeMsat must be a whole number of millisatoshis', { baseFeeMsat })
  if (!Number.isSafeInteger(feeRatePpm) || feeRatePpm < 0) throw invalid('feeRatePpm must be a whole number ≥ 0', { feeRatePpm })
  if (cltvDelta !== undefined && (!Number.isSafeInteger(cltvDelta) || cltvDelta < 1 || cltvDelta > 65535)) {
    throw invalid('cltvDelta must be a whole number of blocks', { cltvDelta })
  }
  const target = request.channelPoint === undefined ? undefined : parseChannelPoint(request.channelPoint)
  if (request.channelPoint !== undefined && target === undefined) throw invalid('channelPoint must be txid:vout', { channelPoint: request.channelPoint })

  const updates: Array<{ outpoint?: { transaction_id: string, transaction_vout: number }, cltv: number }> = []
  if (cltvDelta !== undefined) {
    updates.push({ ...(target === undefined ? {} : { outpoint: target }), cltv: cltvDelta })
  } else {
    const policies = request.channelPoint === undefined
      ? await ourPoliciesOnAll(ctx)
      : [await ourPolicyOn(ctx, request.channelPoint)]
    for (const p of policies) updates.push({ outpoint: parseChannelPoint(p.channelPoint)!, cltv: p.cltvDelta })
  }

  for (const update of updates) {
    const policy = { lnd: ctx.lnd, base_fee_mtokens: baseFeeMsat, fee_rate: feeRatePpm, cltv_delta: update.cltv }
    const { outpoint } = update
    const result: UpdateRoutingFeesResult = await callLnd('updateRoutingFees', 'LN_INVALID_REQUEST', async () => outpoint === undefined
      ? await updateRoutingFees(policy)
      : await updateRoutingFees({ ...policy, ...outpoint }))
    throwOnFailure(result)
  }
}

/**
 * Our policy on one channel. LND lists a channel as active before its fee rates and its graph
 * edge (which holds the CLTV delta) are readable: on regtest, up to a couple of seconds later,
 * and LND's fee report can fail outright meanwhile. So a channel LND lists is waited for, a
 * bounded while; one it does not list fails at once.
 */
async function ourPolicyOn (ctx: LndContext, point: string): Promise<FeePolicy & { channelPoint: string }> {
  const end = ctx.clock.now() + POLICY_WAIT_MS
  for (;;) {
    let failure: unknown
    const policies = await ourPolicies(ctx).catch((e: unknown) => { failure = e; return new Map() })
    const found = [...policies.values()].find(p => p.channelPoint === point)
    if (found !== undefined) return found
    // LND down shows here as LN_UNAVAILABLE, not as a missing channel
    const { channels } = await callLnd('getChannels', 'LN_UNAVAILABLE', async () => await getChannels({ lnd: ctx.lnd }))
    if (!channels.some(c => channelPoint(c) === point)) throw notFound(point)
    if (ctx.clock.now() >= end) throw failure ?? notFound(point)
    await new Promise<void>(resolve => { ctx.clock.schedule(resolve, POLICY_POLL_MS) })
  }
}

/**
 * Our policy on every channel. LND's fee report fails outright (a bare `2 UNKNOWN`) for a moment
 * while a new channel's edge is not in its graph yet: it is asked again, a bounded while, as long
 * as LND answers otherwise (LND down fails at once, as `LN_UNAVAILABLE`).
 */
async function ourPoliciesOnAll (ctx: LndContext): Promise<Array<FeePolicy & { channelPoint: string }>> {
  const end = ctx.clock.now() + POLICY_WAIT_MS
  for (;;) {
    try {
      return [...(await ourPolicies(ctx)).values()]
    } catch (e) {
      if (!(e instanceof StormError) || e.code !== 'LN_UNAVAILABLE' || ctx.clock.now() >= end) throw e
      await callLnd('getChannels', 'LN_UNAVAILABLE', async () => await getChannels({ lnd: ctx.lnd }))
    }
    await new Promise<void>(resolve => { ctx.clock.schedule(resolve, POLICY_POLL_MS) })
  }
}

function throwOnFailure ({ failures }: UpdateRoutingFeesResult): void {
  const failure = failures?.[0]
  if (failure === undefined) return
  const point = `${failure.transaction_id}:${failure.transaction_vout}`
  if (failure.is_unknown_channel || failure.is_pending_channel) throw notFound(point, failure.failure)
  throw new StormError('LN_INVALID_REQUEST', { method: 'updateRoutingFees', channelPoint: point, detail: failure.failure })
}

function notFound (channelPoint: string, detail = 'no such channel'): StormError {
  return new StormError('LN_CHANNEL_NOT_FOUND', { method: 'updateRoutingFees', channelPoint, detail })
}
