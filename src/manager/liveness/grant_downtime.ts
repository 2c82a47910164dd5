/**
 * The end of the preparation: once the rebalances planned around the member have ended (or the
 * rules' `prepareTimeoutMs` has passed), the `do_not_disconnect` hold is lifted and the member is
 * sent `safe_to_disconnect` with its window; the window is excused in the uptime rating.
 */
import type { Ctx } from '../context.ts'
import { announce, audit, sendTo } from '../context.ts'
import { issueDirective, moveDirective } from '../directives/issue_directive.ts'
import { isTerminal } from '../directives/lifecycle.ts'
import { excuseDowntime } from '../governance/excuse_downtime.ts'
import { own } from '../../shared/own.ts'
import type { Downtime } from './schema.ts'

/** Grants the window if the preparation is over; true when it did. */
export function grantIfReady (ctx: Ctx, d: Downtime): boolean {
  if (d.status !== 'preparing') return false
  const pending = d.rebalances.filter(id => {
    const r = own(ctx.state.directives, id)
    return r !== undefined && !isTerminal(r.status)
  })
  const timedOut = ctx.now >= d.requestedAt + ctx.rules.downtime.prepareTimeoutMs
  if (pending.length > 0 && !timedOut) return false
  const member = own(ctx.state.members, d.member)
  if (member === undefined) return false
  liftHold(ctx, d)
  const from = ctx.now
  const to = from + d.durationMs
  const safe = issueDirective(ctx, member, { kind: 'safe_to_disconnect', params: { windowStart: from, windowEnd: to } }, `downtime ${d.id}: the Storm routes around your node until the window ends`)
  d.safe.push(safe.directive.id)
  d.grantedAt = from
  d.status = 'granted'
  const excused = excuseDowntime(ctx, d.member, from, to, `downtime ${d.id}`)
  if (!excused.ok) throw new Error(`downtime ${d.id}: ${excused.error.code}`)
  audit(ctx, 'downtime_granted', { id: d.id, member: d.member, from, to, preparedBy: d.rebalances.length, unfinished: pending.length })
  announce(ctx, { type: 'downtime_changed', downtime: d, member, change: 'granted' })
  return true
}

/** Lifts the request's `do_not_disconnect` hold (the manager decides it is done). */
export function liftHold (ctx: Ctx, d: Downtime): void {
  const r = d.hold === undefined ? undefined : own(ctx.state.directives, d.hold)
  if (r === undefined || isTerminal(r.status)) return
  const member = own(ctx.state.members, d.member)
  // not yet at the agent: it will never need lifting there
  if (r.status === 'created') {
    moveDirective(ctx, r, 'cancelled', 'storm')
    return
  }
  moveDirective(ctx, r, 'succeeded', 'storm')
  if (member?.agentKey !== undefined) sendTo(ctx, member.agentKey, 'revoke', { directive: r.directive.id, reason: 'lifted' })
}
