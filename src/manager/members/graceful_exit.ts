/**
 * A graceful `removefunds` / `disconnect`, carried out: the exit planner (`planExit`) is run on the
 * Storm's channel graph as the members last reported it; channels other members must open first
 * are issued as directives to them (each an `add` allocation of theirs, with `purpose` exit); the
 * closes that cut nobody off are issued at once; the others wait in `allocation.exit.deferred`
 * until every reinforcement has finished, then go. The leaving member holds `do_not_disconnect`
 * the whole time; `safe_to_disconnect` comes when the last close is done (`departure.ts`).
 *
 * A member whose agent goes away while its exit is under way is recorded (audit `left_early`) and
 * announced; the uptime samples count it as down (a leaving member is sampled like any other).
 */
import type { Ctx } from '../context.ts'
import { announce, audit } from '../context.ts'
import type { Allocation, Member } from '../state/schema.ts'
import type { ClosableChannel } from '../planning/plan_deallocation.ts'
import { planExit, type ExitEdge, type ExitPlan, type Opener } from '../planning/plan_exit.ts'
import { reconcileGraph, type NodeReport } from '../planning/storm_graph.ts'
import { issueDirective, newId } from '../directives/issue_directive.ts'
import { fundedChannel, isPending, settleAllocation } from '../allocations/track_allocation.ts'
import { committedSats, peerCandidates } from '../use_cases/add_funds.ts'
import { activeMembers } from './find_member.ts'
import { allocationsOf, putAllocation } from '../state/indexes.ts'
import { own } from '../../shared/own.ts'

/** What the chat is told of an exit's plan. */
export interface ExitAnnouncement {
  member: Member
  allocation: Allocation
  plan: ExitPlan
}

/**
 * Plans the exit of `member` closing `closes` for `allocation` (already stored) and issues what
 * can go now: reinforcements and safe closes. With `rules.exit.reinforce` off, every close goes at
 * once, as before.
 */
export function startGracefulExit (ctx: Ctx, member: Member, allocation: Allocation, closes: ClosableChannel[]): ExitPlan {
  const plan = ctx.rules.exit.reinforce
    ? planExit(exitInput(ctx, member, closes, allocation.leave))
    : { atRisk: [], reinforcements: [], unhelped: [], safe: closes.map(c => c.channelPoint), deferred: [] }
  const byPoint = new Map(closes.map(c => [c.channelPoint, c]))
  const reinforcements: string[] = []
  for (const r of plan.reinforcements) {
    const id = issueReinforcement(ctx, allocation, member, r.opener, r.to, r.capacity)
    if (id !== undefined) reinforcements.push(id)
  }
  for (const point of plan.safe) issueClose(ctx, member, allocation, byPoint.get(point)!)
  const deferred = plan.deferred.map(p => byPoint.get(p)!)
  if (plan.atRisk.length > 0 || deferred.length > 0) {
    allocation.exit = { reinforcements, deferred, atRisk: plan.atRisk.map(a => ({ member: a.member, reason: a.reason })) }
  }
  audit(ctx, 'exit_planned', {
    id: allocation.id,
    member: member.id,
    atRisk: plan.atRisk.map(a => `${a.member}:${a.reason}`),
    reinforcements: plan.reinforcements.map(r => `${r.opener}->${r.to}:${r.capacity}`),
    safe: plan.safe.length,
    deferred: plan.deferred.length
  })
  if (plan.atRisk.length > 0) announce(ctx, { type: 'exit_planned', member, allocation, plan })
  // nothing to wait for: an exit whose every close was deferred with no one to help goes now
  if (reinforcements.length === 0 && deferred.length > 0) exitReinforced(ctx, allocation, plan.unhelped.length)
  return plan
}

/** True while the exit still waits for capacity to be added before its last closes. */
export function exitWaiting (ctx: Pick<Ctx, 'state'>, allocation: Allocation): boolean {
  const exit = allocation.exit
  if (exit === undefined) return false
  return exit.deferred.length > 0 || exit.reinforcements.some(id => {
    const a = own(ctx.state.allocations, id)
    return a !== undefined && isPending(a)
  })
}

/**
 * A reinforcement finished (its channel opened, or it was declined or failed): once they all have,
 * the deferred closes go, in the planned order.
 */
export function reinforcementFinished (ctx: Ctx, reinforcement: Allocation): void {
  if (reinforcement.purpose?.kind !== 'exit') return
  const exitAllocation = own(ctx.state.allocations, reinforcement.purpose.for)
  if (exitAllocation === undefined || !isPending(exitAllocation)) return
  const member = own(ctx.state.members, exitAllocation.member)
  // declined or failed: ask another member, never one who did not open for this exit
  if (reinforcement.status !== 'done' && member !== undefined && (exitAllocation.exit?.deferred.length ?? 0) > 0) {
    retryReinforcements(ctx, member, exitAllocation)
  }
  exitReinforced(ctx, exitAllocation)
}

function exitReinforced (ctx: Ctx, allocation: Allocation, unhelped = 0): void {
  const exit = allocation.exit
  if (exit === undefined) return
  const pending = exit.reinforcements.some(id => {
    const a = own(ctx.state.allocations, id)
    return a !== undefined && isPending(a)
  })
  if (pending) return
  const member = own(ctx.state.members, allocation.member)
  if (member === undefined) return
  const failed = exit.reinforcements.filter(id => own(ctx.state.allocations, id)?.status !== 'done')
  const closes = exit.deferred
  exit.deferred = []
  for (const c of closes) issueClose(ctx, member, allocation, c)
  audit(ctx, 'exit_reinforced', { id: allocation.id, member: member.id, closes: closes.length, failed })
  announce(ctx, { type: 'exit_ready', member, allocation, closes: closes.length, failed: failed.length, unhelped })
  // every close may be done already (or there was none left): the allocation settles now
  settleAllocation(ctx, allocation)
}

/**
 * Plans again, without the members whose reinforcement did not open, counting the reinforcements
 * still on their way as if open; issues what it finds (nothing when there is nobody else to ask).
 */
function retryReinforcements (ctx: Ctx, member: Member, allocation: Allocation): void {
  const exit = allocation.exit!
  const mine = exit.reinforcements.map(id => own(ctx.state.allocations, id)).filter(a => a !== undefined)
  const refused = new Set(mine.filter(a => !isPending(a) && a.status !== 'done').map(a => a.member))
  const closing: ClosableChannel[] = [...allocation.channels.filter(c => c.state !== 'closed'), ...exit.deferred]
  const input = exitInput(ctx, member, closing, allocation.leave)
  for (const a of mine) {
    if (isPending(a) && a.purpose?.kind === 'exit') input.edges.push({ id: `planned:${a.id}`, a: a.member, b: a.purpose.to, capacity: a.amount })
  }
  input.openers = input.openers.filter(o => !refused.has(o.member))
  const plan = planExit(input)
  const issued: string[] = []
  for (const r of plan.reinforcements) {
    const id = issueReinforcement(ctx, allocation, member, r.opener, r.to, r.capacity)
    if (id !== undefined) issued.push(id)
  }
  if (issued.length === 0) return
  exit.reinforcements.push(...issued)
  audit(ctx, 'exit_replanned', { id: allocation.id, member: member.id, refused: [...refused], reinforcements: plan.reinforcements.map(r => `${r.opener}->${r.to}:${r.capacity}`) })
  announce(ctx, { type: 'exit_planned', member, allocation, plan: { ...plan, safe: [], deferred: exit.deferred.map(c => c.channelPoint) } })
}

/**
 * The member's agent went away. During an exit that is not ready, that is leaving early: recorded
 * once per exit and announced.
 */
export function agentWentAway (ctx: Ctx, member: Member): void {
  for (const a of allocationsOf(ctx.state, member.id)) {
    if (a.kind !== 'remove' || !isPending(a) || a.exit?.leftEarlyAt !== undefined) continue
    const open = a.channels.filter(c => c.state !== 'closed').length + (a.exit?.deferred.length ?? 0)
    if (a.exit === undefined) a.exit = { reinforcements: [], deferred: [], atRisk: [] }
    a.exit.leftEarlyAt = ctx.now
    audit(ctx, 'left_early', { id: a.id, member: member.id, channelsOpen: open })
    announce(ctx, { type: 'left_early', member, allocation: a, channelsOpen: open })
  }
}

function issueClose (ctx: Ctx, member: Member, allocation: Allocation, c: ClosableChannel): void {
  const funded = fundedChannel(ctx, c.channelPoint)
  if (funded !== undefined) funded.state = 'closing'
  allocation.channels.push({ ...c, state: 'closing' })
  const params = { channelPoint: c.channelPoint, peer: c.peer, force: false, deallocation: allocation.id }
  const record = issueDirective(ctx, member, { kind: 'close_channel', params }, `deallocation ${allocation.id}: close ${c.capacity} sats`)
  allocation.directives.push(record.directive.id)
}

function issueReinforcement (ctx: Ctx, exit: Allocation, leaving: Member, openerId: string, toId: string, capacity: number): string | undefined {
  const opener = own(ctx.state.members, openerId)
  const to = own(ctx.state.members, toId)
  if (opener === undefined || to?.node === undefined) return undefined
  const allocation: Allocation = {
    id: newId(ctx), member: opener.id, kind: 'add', amount: capacity, createdAt: ctx.now, status: 'pending',
    directives: [], channels: [], leave: false, purpose: { kind: 'exit', for: exit.id, to: to.id }
  }
  putAllocation(ctx.state, allocation)
  const socket = to.node.uris[0]?.split('@')[1]
  const params = { peer: to.node.publicKey, peerMember: to.id, capacity, allocation: allocation.id, ...(socket === undefined ? {} : { socket }) }
  const reason = `${leaving.chat.name} is leaving (${exit.id}): ${capacity} sats to ${to.chat.name} so it keeps its path to the Storm`
  const record = issueDirective(ctx, opener, { kind: 'open_channel', params }, reason)
  allocation.directives.push(record.directive.id)
  audit(ctx, 'allocation_requested', { id: allocation.id, member: opener.id, amount: capacity, for: exit.id }, 'storm')
  return allocation.id
}

/** The planner's input: the Storm's active channels as reported, and who could open channels. */
function exitInput (ctx: Ctx, member: Member, closes: ClosableChannel[], leaves: boolean) {
  const members = activeMembers(ctx.state).filter(m => m.node !== undefined && m.agentKey !== undefined)
  const inputs: NodeReport[] = members.map(m => {
    const o = ctx.observations.get(m.id)
    const n: NodeReport = { member: m.id, key: m.node!.publicKey, alias: m.node!.alias }
    if (o.report !== undefined) n.report = o.report
    if (o.reportReceivedAt !== undefined) n.receivedAt = o.reportReceivedAt
    return n
  })
  const graph = reconcileGraph(inputs, ctx.state.consensus)
  // the graph names channels by short id; closes and allocations by channel point
  const pointOf = new Map<string, string>()
  for (const n of inputs) for (const c of n.report?.channels ?? []) pointOf.set(c.id, c.channelPoint)
  const edges: ExitEdge[] = graph.channels.filter(c => c.active).map(c => ({
    id: pointOf.get(c.id) ?? c.id, a: graph.nodes[c.a]!.member, b: graph.nodes[c.b]!.member, capacity: c.capacity
  }))
  const openers: Opener[] = peerCandidates(ctx).flatMap(c => {
    const report = ctx.observations.get(c.member).report
    if (report === undefined) return []
    return [{ ...c, available: report.balance.confirmed - committedSats(ctx, c.member) - ctx.rules.onchainFeeReserve }]
  })
  return {
    leaving: member.id,
    members: members.map(m => m.id),
    edges,
    closing: closes.map(c => c.channelPoint),
    leaves,
    minMemberCapacity: ctx.rules.exit.minMemberCapacity,
    minChannelSize: ctx.rules.minChannelSize,
    maxChannelSize: ctx.rules.maxChannelSize,
    openers,
    keyOf: new Map(members.map(m => [m.id, m.node!.publicKey])),
    minRating: ctx.rules.governance.ratingWarn
  }
}
