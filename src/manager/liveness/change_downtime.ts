/**
 * `downtime cancel` and `downtime extend 1h`: the member changes its mind. Cancelling while the
 * Storm prepares lifts the hold; cancelling during the window ends it now (the excused time ends
 * with it). Extending lengthens the window within `maxDurationMs`: the excused window grows and
 * the member is sent `safe_to_disconnect` again with the new end.
 */
import type { Ctx } from '../context.ts'
import { announce, audit } from '../context.ts'
import type { Actor } from '../members/find_member.ts'
import { actorName, requireMember } from '../members/find_member.ts'
import { issueDirective } from '../directives/issue_directive.ts'
import { resizeExcuse } from '../governance/excuse_downtime.ts'
import { err, ok, type Result } from '../../shared/errors.ts'
import type { Downtime } from './schema.ts'
import type { Member } from '../state/schema.ts'
import { windowEnd } from './schema.ts'
import { downtimeUnderway, shortDuration } from './away.ts'
import { liftHold } from './grant_downtime.ts'

/** Errors: membership errors, `NO_DOWNTIME`, `DOWNTIME_OVER` {id}. */
export function cancelDowntime (ctx: Ctx, actor: Actor): Result<Downtime> {
  const found = current(ctx, actor)
  if (!found.ok) return found
  const { d, member } = found.value
  if (d.status === 'preparing') {
    liftHold(ctx, d)
  } else {
    resizeExcuse(ctx, d.member, d.grantedAt!, ctx.now)
  }
  d.status = 'cancelled'
  d.endedAt = ctx.now
  audit(ctx, 'downtime_cancelled', { id: d.id, member: d.member }, actorName(actor))
  announce(ctx, { type: 'downtime_changed', downtime: d, member, change: 'cancelled' })
  return ok(d)
}

/** Errors: membership errors, `NO_DOWNTIME`, `DOWNTIME_OVER` {id}, `DOWNTIME_TOO_LONG` {max}. */
export function extendDowntime (ctx: Ctx, actor: Actor, byMs: number): Result<Downtime> {
  const found = current(ctx, actor)
  if (!found.ok) return found
  const { d, member } = found.value
  const max = ctx.rules.downtime.maxDurationMs
  if (!Number.isSafeInteger(byMs) || byMs <= 0) return err('BAD_DURATION', { value: String(byMs) })
  if (d.durationMs + byMs > max) return err('DOWNTIME_TOO_LONG', { max: shortDuration(max) })
  d.durationMs += byMs
  if (d.status === 'granted') {
    const end = windowEnd(d)!
    resizeExcuse(ctx, d.member, d.grantedAt!, end)
    const safe = issueDirective(ctx, member, { kind: 'safe_to_disconnect', params: { windowStart: d.grantedAt!, windowEnd: end } }, `downtime ${d.id}: extended by ${shortDuration(byMs)}`)
    d.safe.push(safe.directive.id)
  }
  audit(ctx, 'downtime_extended', { id: d.id, member: d.member, byMs, durationMs: d.durationMs }, actorName(actor))
  announce(ctx, { type: 'downtime_changed', downtime: d, member, change: 'extended' })
  return ok(d)
}

function current (ctx: Ctx, actor: Actor): Result<{ d: Downtime, member: Member }> {
  const r = requireMember(ctx.state, actor)
  if (!r.ok) return r
  const d = downtimeUnderway(ctx.state, r.value.id)
  if (d === undefined) return err('NO_DOWNTIME')
  if (d.status === 'overdue') return err('DOWNTIME_OVER', { id: d.id })
  return ok({ d, member: r.value })
}
