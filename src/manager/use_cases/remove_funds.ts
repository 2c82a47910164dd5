/**
 * `removefunds N` and `disconnect`: graceful withdrawal. The member is told not to disconnect;
 * other members who would be cut off get capacity first, and the closes go in a safe order
 * (`members/graceful_exit.ts`); a member who leaves gets `safe_to_disconnect` once the last
 * channel is closed.
 */
import type { Ctx } from '../context.ts'
import { audit, announce } from '../context.ts'
import type { Actor } from '../members/find_member.ts'
import { actorName, requireMember } from '../members/find_member.ts'
import type { Allocation, Member } from '../state/schema.ts'
import { planDeallocation, type ClosableChannel } from '../planning/plan_deallocation.ts'
import { issueDirective, newId } from '../directives/issue_directive.ts'
import { completeDeparture } from '../members/departure.ts'
import { startGracefulExit } from '../members/graceful_exit.ts'
import type { ExitPlan } from '../planning/plan_exit.ts'
import { allocationsOf, putAllocation } from '../state/indexes.ts'
import { err, ok, type Result } from '../../shared/errors.ts'

export interface RemoveFundsOutcome {
  allocation: Allocation | null
  closes: ClosableChannel[]
  /** How the exit goes: who gets capacity first, which closes wait (null when nothing closes). */
  exit: ExitPlan | null
}

/** Errors: membership errors, `LEAVING`, `AMOUNT_NOT_POSITIVE`, `NOTHING_ALLOCATED`, `REMOVE_MORE_THAN_ALLOCATED` {allocated}. */
export function removeFunds (ctx: Ctx, actor: Actor, amount: number): Result<RemoveFundsOutcome> {
  const r = requireMember(ctx.state, actor)
  if (!r.ok) return r
  if (r.value.status === 'leaving') return err('LEAVING')
  if (!Number.isSafeInteger(amount) || amount <= 0) return err('AMOUNT_NOT_POSITIVE')
  return withdraw(ctx, actor, r.value, amount)
}

/** Errors: membership errors, `LEAVING`. A member with nothing allocated leaves at once. */
export function disconnect (ctx: Ctx, actor: Actor): Result<RemoveFundsOutcome> {
  const r = requireMember(ctx.state, actor)
  if (!r.ok) return r
  const member = r.value
  if (member.status === 'leaving') return err('LEAVING')
  if (closableChannels(ctx, member.id).length === 0) {
    completeDeparture(ctx, member)
    audit(ctx, 'member_left', { member: member.id }, actorName(actor))
    return ok({ allocation: null, closes: [], exit: null })
  }
  return withdraw(ctx, actor, member, 'all')
}

function withdraw (ctx: Ctx, actor: Actor, member: Member, amount: number | 'all'): Result<RemoveFundsOutcome> {
  const plan = planDeallocation(closableChannels(ctx, member.id), amount)
  if (!plan.ok) return plan
  const closes = plan.value
  const total = closes.reduce((s, c) => s + c.capacity, 0)
  const allocation: Allocation = {
    id: newId(ctx), member: member.id, kind: 'remove', amount: amount === 'all' ? total : amount, createdAt: ctx.now,
    status: 'pending', directives: [], channels: [], leave: amount === 'all'
  }
  putAllocation(ctx.state, allocation)
  audit(ctx, amount === 'all' ? 'disconnect_requested' : 'deallocation_requested', { id: allocation.id, member: member.id, amount: allocation.amount }, actorName(actor))
  if (allocation.leave) member.status = 'leaving'
  const hold = issueDirective(ctx, member, { kind: 'do_not_disconnect', params: {} }, `deallocation ${allocation.id}: liquidity is being routed around your node, then channels close`)
  allocation.directives.push(hold.directive.id)
  const exit = startGracefulExit(ctx, member, allocation, closes)
  announce(ctx, { type: 'allocation_changed', allocation, member })
  return ok({ allocation, closes, exit })
}

/** The member's funded channels that are open and not already closing. */
function closableChannels (ctx: Ctx, member: string): ClosableChannel[] {
  const out: ClosableChannel[] = []
  for (const a of allocationsOf(ctx.state, member)) {
    if (a.kind !== 'add') continue
    for (const c of a.channels) if (c.state === 'open') out.push({ channelPoint: c.channelPoint, peer: c.peer, capacity: c.capacity })
  }
  return out
}
