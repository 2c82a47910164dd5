/**
 * A rebalancing round: reconcile the Storm's channel graph from the members' latest reports, plan
 * circular payments (`planning/plan_rebalancing.ts`) and issue each as a `rebalance` directive to
 * its payer, carrying the cycle (`outgoingChannel`, `hops`) and the most it may pay in fees.
 *
 * Results feed back through the directives: a rebalance that succeeded counts its amount and fee
 * against the period limits, one that failed counts against the payment count and the time
 * between payments, one still under way blocks its channels until it ends, and one the payer's
 * stormd refused for its own limits (`LIMIT_*`) pauses that payer until the refusal lapses —
 * that is what the manager knows of each agent's limits.
 *
 * The forwarding flow in the members' latest reports weighs each payment's fee against what the
 * liquidity it restores would earn (`rules.rebalancing.minGainRatio`, `maxFeeShare`): see
 * `observedFlow`.
 */
import type { Ctx } from '../context.ts'
import { audit } from '../context.ts'
import { activeMembers } from '../members/find_member.ts'
import { issueDirective } from '../directives/issue_directive.ts'
import { isTerminal } from '../directives/lifecycle.ts'
import type { DirectiveRecord } from '../state/schema.ts'
import { reconcileGraph, type NodeReport, type StormGraph } from '../planning/storm_graph.ts'
import { planRebalancing, type PlannedRebalance, type RebalanceAttempt } from '../planning/plan_rebalancing.ts'
import type { RebalanceSettings } from '../planning/rebalance_rules.ts'
import { ok, type Result } from '../../shared/errors.ts'
import { membersAway } from '../liveness/away.ts'
import { sideKey, type ObservedFlow } from '../planning/rebalance_economics.ts'

export interface RebalancingRound {
  /** False when `rules.rebalancing.enabled` is off: nothing was looked at. */
  ran: boolean
  imbalancedBefore: number
  imbalancedAfter: number
  payments: Array<PlannedRebalance & { directive: string }>
}

/**
 * Plans and issues one round. `lastChecked` (channel id → time) is the caller's memory of when
 * each channel was last looked at, updated here. Never fails: a Storm with nothing to fix gets
 * an empty round. `avoid`: members left out of the round (by default those on planned downtime).
 * `weighFees` false plans on the balances alone, whatever the channels earn (routing liquidity
 * round a member about to go down).
 */
export function planRebalancingRound (ctx: Ctx, lastChecked: Map<string, number>, avoid: ReadonlySet<string> = membersAway(ctx.state), weighFees = true): Result<RebalancingRound> {
  const rules = ctx.rules.rebalancing
  if (!rules.enabled) return ok({ ran: false, imbalancedBefore: 0, imbalancedAfter: 0, payments: [] })
  // a member the Storm routes around is left out of the graph: no cycle pays through its channels
  const members = activeMembers(ctx.state).filter(m => m.status === 'active' && m.node !== undefined && m.agentKey !== undefined && !avoid.has(m.id))
  const inputs: NodeReport[] = members.map(m => {
    const o = ctx.observations.get(m.id)
    const n: NodeReport = { member: m.id, key: m.node!.publicKey, alias: m.node!.alias }
    if (o.report !== undefined) n.report = o.report
    if (o.reportReceivedAt !== undefined) n.receivedAt = o.reportReceivedAt
    return n
  })
  const graph = reconcileGraph(inputs, ctx.state.consensus)
  const { history, paused } = attempts(ctx, graph, rules.baseSettings)
  const flow = weighFees ? observedFlow(inputs) : undefined
  const plan = planRebalancing({ graph, rules, now: ctx.now, history, paused, lastChecked, ...(flow === undefined ? {} : { flow }) })
  for (const id of plan.checked) lastChecked.set(id, ctx.now)
  const payments = plan.payments.map(p => {
    const member = ctx.state.members[p.payerMember]!
    const params = { amount: p.amount, outgoingChannel: p.outgoingChannel, hops: p.hops, maxFee: p.maxFee }
    const reason = `rebalancing: ${p.amount} sats round ${p.channels.length} Storm channels (${p.fixes} out of balance), fee at most ${p.maxFee} sats`
    const record = issueDirective(ctx, member, { kind: 'rebalance', params }, reason)
    return { ...p, directive: record.directive.id }
  })
  if (payments.length > 0 || plan.imbalancedBefore > 0) {
    audit(ctx, 'rebalancing_round', { imbalancedBefore: plan.imbalancedBefore, imbalancedAfter: plan.imbalancedAfter, payments: payments.length })
  }
  return ok({ ran: true, imbalancedBefore: plan.imbalancedBefore, imbalancedAfter: plan.imbalancedAfter, payments })
}

/**
 * The forwarding in the members' latest reports, as one window: each report's window is scaled to
 * the longest of them (a member reporting 5 minutes of flow counts ×12 in an hour's window). A
 * member that does not report its flow (`reportFlow=false`) adds nothing: its sides are expected
 * to earn nothing, so its channels are rebalanced only on the cycles of channels that do. Undefined
 * when no report carries a flow: the fee rules then cannot apply, and rounds follow balances alone.
 */
export function observedFlow (reports: readonly NodeReport[]): ObservedFlow | undefined {
  const windows = reports.flatMap(r => {
    const f = r.report?.flow
    return f === undefined || f.to <= f.from ? [] : [{ key: r.key, flow: f, ms: f.to - f.from }]
  })
  if (windows.length === 0) return undefined
  const windowMs = Math.max(...windows.map(w => w.ms))
  const sides = new Map<string, { amount: number, feeMsat: number }>()
  for (const { key, flow, ms } of windows) {
    const scale = windowMs / ms
    for (const c of flow.channels) {
      if (c.outAmount === 0 && c.forwards === 0) continue
      sides.set(sideKey(key, c.channel), { amount: c.outAmount * scale, feeMsat: Number(c.feeMsat) * scale })
    }
  }
  return { windowMs, sides }
}

/** The rebalance directives of the last period as attempts, and the payers paused by their agents. */
function attempts (ctx: Ctx, graph: StormGraph, base: RebalanceSettings): { history: RebalanceAttempt[], paused: Map<string, number> } {
  const since = ctx.now - Math.max(base.maxTransactionsPeriod, base.maxAmountPeriod, base.minTimeBetweenPayments) * 1000
  const history: RebalanceAttempt[] = []
  const paused = new Map<string, number>()
  const pairs = pairIndex(graph)
  for (const r of Object.values(ctx.state.directives)) {
    if (r.directive.kind !== 'rebalance' || (isTerminal(r.status) && r.directive.createdAt < since)) continue
    const payer = ctx.state.members[r.target]?.node?.publicKey
    if (payer === undefined) continue
    const at = r.history.at(-1)?.at ?? r.directive.createdAt
    const { amount, maxFee, outgoingChannel, hops } = r.directive.params
    const code = r.error?.code
    if (code?.startsWith('LIMIT_') === true) {
      const wait = code === 'LIMIT_PAYMENT_TOO_SOON' && typeof r.error?.params.seconds === 'number'
        ? r.error.params.seconds
        : code === 'LIMIT_TRANSACTIONS_PER_PERIOD' ? base.maxTransactionsPeriod : base.maxAmountPeriod
      paused.set(payer, Math.max(paused.get(payer) ?? 0, at + wait * 1000))
      continue
    }
    const outcome = outcomeOf(r)
    if (outcome === null) continue
    const fee = outcome === 'succeeded' && typeof r.result?.fee === 'number' ? r.result.fee : maxFee
    history.push({ at, payer, amount, fee, outcome, sides: sidesOf(pairs, payer, outgoingChannel, hops) })
  }
  return { history, paused }
}

/** How a rebalance directive counts: null for one that never ran (rejected, expired, cancelled). */
function outcomeOf (r: DirectiveRecord): RebalanceAttempt['outcome'] | null {
  switch (r.status) {
    case 'succeeded': return 'succeeded'
    case 'failed': return 'failed'
    case 'rejected': case 'expired': case 'cancelled': return null
    default: return 'in_flight'
  }
}

/** The channel sides a cycle moves: the payer's outgoing channel, then a channel per hop pair. */
function sidesOf (pairs: Map<string, string>, payer: string, outgoingChannel: string, hops: string[]): RebalanceAttempt['sides'] {
  const sides = [{ node: payer, channel: outgoingChannel }]
  const path = [...hops, payer]
  for (let i = 0; i + 1 < path.length; i++) {
    const channel = pairs.get(pairKey(path[i]!, path[i + 1]!))
    if (channel !== undefined) sides.push({ node: path[i]!, channel })
  }
  return sides
}

/** The channel between two nodes by their keys; among parallel ones the largest, which the
 * sender tries first. */
function pairIndex (graph: StormGraph): Map<string, string> {
  const out = new Map<string, string>()
  const size = new Map<string, number>()
  for (const ch of graph.channels) {
    const k = pairKey(graph.nodes[ch.a]!.key, graph.nodes[ch.b]!.key)
    if ((size.get(k) ?? -1) < ch.capacity) {
      out.set(k, ch.id)
      size.set(k, ch.capacity)
    }
  }
  return out
}

function pairKey (x: string, y: string): string {
  return x < y ? `${x}|${y}` : `${y}|${x}`
}
