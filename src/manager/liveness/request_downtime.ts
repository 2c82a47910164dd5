/**
 * `downtime 2h`: a member asks to take its node down for maintenance. Checked against the rules
 * (how long, how often, how many members away at once); then the member is told
 * `do_not_disconnect` while the Storm prepares: it stops placing liquidity on the member and
 * plans a rebalancing round among the OTHER members (cycles that avoid the member's channels),
 * so their payments have balanced paths without it. Once those rebalances have ended (or
 * `prepareTimeoutMs` passed) `grant_downtime.ts` sends `safe_to_disconnect` with the window.
 */
import type { Ctx } from '../context.ts'
import { announce, audit } from '../context.ts'
import type { Actor } from '../members/find_member.ts'
import { actorName, requirePairedMember } from '../members/find_member.ts'
import { issueDirective } from '../directives/issue_directive.ts'
import { planRebalancingRound } from '../use_cases/plan_rebalancing.ts'
import { err, ok, type Result } from '../../shared/errors.ts'
import { shortId } from '../../shared/ids.ts'
import { hasOwn } from '../../shared/own.ts'
import type { Downtime } from './schema.ts'
import { windowEnd } from './schema.ts'
import { downtimeUnderway, membersAway, shortDuration } from './away.ts'
import { grantIfReady } from './grant_downtime.ts'
import { memberUp } from '../governance/uptime/sample_uptime.ts'

/**
 * Errors: those of `requirePairedMember`, `LEAVING`, `DOWNTIME_OFF`, `DOWNTIME_TOO_LONG` {max},
 * `DOWNTIME_NODE_DOWN` (already away: nothing to plan), `DOWNTIME_UNDERWAY` {id}, `DOWNTIME_TOO_OFTEN` {count, period, next}, `DOWNTIME_BUSY` {count}.
 */
export function requestDowntime (ctx: Ctx, actor: Actor, durationMs: number, lastChecked: Map<string, number>): Result<Downtime> {
  const r = requirePairedMember(ctx.state, actor)
  if (!r.ok) return r
  const member = r.value
  if (member.status === 'leaving') return err('LEAVING')
  const rules = ctx.rules.downtime
  if (rules.maxPerPeriod === 0) return err('DOWNTIME_OFF')
  if (!Number.isSafeInteger(durationMs) || durationMs <= 0) return err('BAD_DURATION', { value: String(durationMs) })
  if (durationMs > rules.maxDurationMs) return err('DOWNTIME_TOO_LONG', { max: shortDuration(rules.maxDurationMs) })
  if (!memberUp(ctx, member)) return err('DOWNTIME_NODE_DOWN')
  const current = downtimeUnderway(ctx.state, member.id)
  if (current !== undefined) return err('DOWNTIME_UNDERWAY', { id: current.id })
  const recent = windowsTaken(ctx, member.id)
  if (recent.length >= rules.maxPerPeriod) {
    const next = recent[recent.length - rules.maxPerPeriod]! + rules.periodMs
    return err('DOWNTIME_TOO_OFTEN', { count: rules.maxPerPeriod, period: shortDuration(rules.periodMs), next: new Date(next).toISOString().slice(0, 16).replace('T', ' ') })
  }
  const away = membersAway(ctx.state)
  if (away.size >= rules.maxConcurrent) return err('DOWNTIME_BUSY', { count: away.size })

  pruneFinished(ctx)
  const id = shortId(x => hasOwn(ctx.state.downtimes, x) || hasOwn(ctx.state.directives, x) || hasOwn(ctx.state.allocations, x), ctx.random)
  const downtime: Downtime = { id, member: member.id, requestedAt: ctx.now, durationMs, status: 'preparing', rebalances: [], safe: [] }
  ctx.state.downtimes[id] = downtime
  const d = ctx.state.downtimes[id]!
  audit(ctx, 'downtime_requested', { id, member: member.id, durationMs }, actorName(actor))
  // announced first (rendered once the use case is done, with the rebalances it planned)
  announce(ctx, { type: 'downtime_changed', downtime: d, member, change: 'requested' })
  const hold = issueDirective(ctx, member, { kind: 'do_not_disconnect', params: { until: ctx.now + rules.prepareTimeoutMs } }, `downtime ${id}: liquidity is being routed around your node`)
  d.hold = hold.directive.id
  // the round sees the member as away already (it is in `state.downtimes`): cycles avoid it; it
  // moves liquidity round the member whatever the channels earn (the fee rules do not apply)
  const round = planRebalancingRound(ctx, lastChecked, undefined, false)
  if (round.ok) d.rebalances = round.value.payments.map(p => p.directive)
  grantIfReady(ctx, d)
  return ok(d)
}

/** When the member's windows of the last period started (granted ones, and the one under way), oldest first. */
function windowsTaken (ctx: Ctx, member: string): number[] {
  const since = ctx.now - ctx.rules.downtime.periodMs
  return Object.values(ctx.state.downtimes)
    .filter(d => d.member === member && d.grantedAt !== undefined && d.grantedAt > since)
    .map(d => d.grantedAt!)
    .sort((a, b) => a - b)
}

/** Finished requests older than the rules' period are no longer needed to count windows. */
function pruneFinished (ctx: Ctx): void {
  const before = ctx.now - ctx.rules.downtime.periodMs
  for (const d of Object.values(ctx.state.downtimes)) {
    const end = d.endedAt ?? windowEnd(d) ?? d.requestedAt
    if (d.status !== 'preparing' && d.status !== 'granted' && d.status !== 'overdue' && end < before) {
      Reflect.deleteProperty(ctx.state.downtimes, d.id)
    }
  }
}
