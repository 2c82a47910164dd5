/**
 * Watching the windows: a member whose node goes away before `safe_to_disconnect` left early; a
 * window that ends with the member back is done; one that ends (plus `lateGraceMs`) without it is
 * overdue, and the member's return is then recorded as late. Time outside the granted window is
 * not excused, so the uptime rating counts it: leaving early and coming back late cost rating,
 * and both are announced. Run by the scheduler, when an agent disconnects, and when a directive
 * result arrives (a preparation's last rebalance ending grants the window at once).
 */
import type { Ctx } from '../context.ts'
import { announce, audit } from '../context.ts'
import { memberUp } from '../governance/uptime/sample_uptime.ts'
import { own } from '../../shared/own.ts'
import { isUnderway, windowEnd } from './schema.ts'
import { grantIfReady, liftHold } from './grant_downtime.ts'

/** Moves every window under way along; returns how many changed. */
export function watchDowntimes (ctx: Ctx): number {
  let changed = 0
  for (const d of Object.values(ctx.state.downtimes)) {
    if (!isUnderway(d)) continue
    const member = own(ctx.state.members, d.member)
    if (member === undefined) continue
    const up = memberUp(ctx, member)
    if (member.status !== 'active' && member.status !== 'leaving') {
      // left or banned meanwhile: nothing to route around any more
      liftHold(ctx, d)
      d.status = 'cancelled'
      d.endedAt = ctx.now
      audit(ctx, 'downtime_cancelled', { id: d.id, member: d.member, why: member.status })
      changed++
      continue
    }
    if (d.status === 'preparing') {
      if (!up) {
        liftHold(ctx, d)
        d.status = 'left_early'
        d.endedAt = ctx.now
        audit(ctx, 'downtime_left_early', { id: d.id, member: d.member })
        announce(ctx, { type: 'downtime_changed', downtime: d, member, change: 'left_early' })
        changed++
      } else if (grantIfReady(ctx, d)) {
        changed++
      }
      continue
    }
    const end = windowEnd(d)!
    if (d.status === 'granted' && ctx.now >= end) {
      if (up) {
        d.status = 'done'
        d.endedAt = ctx.now
        audit(ctx, 'downtime_done', { id: d.id, member: d.member })
        announce(ctx, { type: 'downtime_changed', downtime: d, member, change: 'back' })
        changed++
      } else if (ctx.now >= end + ctx.rules.downtime.lateGraceMs) {
        d.status = 'overdue'
        audit(ctx, 'downtime_overdue', { id: d.id, member: d.member, windowEnd: end })
        announce(ctx, { type: 'downtime_changed', downtime: d, member, change: 'overdue' })
        changed++
      }
    } else if (d.status === 'overdue' && up) {
      d.status = 'done'
      d.endedAt = ctx.now
      d.lateMs = ctx.now - end
      audit(ctx, 'downtime_returned_late', { id: d.id, member: d.member, lateMs: d.lateMs })
      announce(ctx, { type: 'downtime_changed', downtime: d, member, change: 'back_late' })
      changed++
    }
  }
  return changed
}
