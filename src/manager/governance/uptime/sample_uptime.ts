/**
 * The scheduler's uptime tick. Each active paired member is up when its agent is connected and
 * its LND says it is healthy, down otherwise. What does not count against anyone:
 * - a window the member was excused for (planned downtime granted to it);
 * - the first minutes after the manager started (agents reconnecting), and any time the manager
 *   was not running at all — no samples are taken then;
 * - a Storm-wide blackout: a sample in which more than `blackoutShare` of the members are down
 *   says more about the manager's own network than about them (CLBOSS issue 346).
 * Then each member's rating is updated, and a member below the thresholds is warned, or a ban
 * is proposed, once a day at most.
 */
import type { Ctx } from '../../context.ts'
import { announce, audit } from '../../context.ts'
import { activeMembers } from '../../members/find_member.ts'
import type { UptimeLedger } from './uptime_ledger.ts'
import type { Member } from '../../state/schema.ts'
import { openRatingBan } from '../propose_ban.ts'

const ALERT_EVERY_MS = 24 * 60 * 60_000

export interface SampleOutcome {
  /** Members counted up / down; 0 and 0 when nothing counted. */
  up: number
  down: number
  skipped?: 'manager_starting' | 'blackout'
  /** True when an hour of samples is complete and the ledger should be stored. */
  store: boolean
}

export function sampleUptime (ctx: Ctx, ledger: UptimeLedger, managerStartedAt: number): SampleOutcome {
  const g = ctx.rules.governance
  if (ctx.now - managerStartedAt < g.managerGraceMs) return { up: 0, down: 0, skipped: 'manager_starting', store: false }
  const sampled: Array<{ id: string, up: boolean }> = []
  for (const m of activeMembers(ctx.state)) {
    if (m.agentKey === undefined || m.node === undefined) continue
    if (isExcused(ctx, m.id)) continue
    sampled.push({ id: m.id, up: memberUp(ctx, m) })
  }
  const down = sampled.filter(s => !s.up).length
  if (sampled.length > 0 && down > g.blackoutShare * sampled.length && sampled.length > 1) {
    return { up: sampled.length - down, down, skipped: 'blackout', store: false }
  }
  let store = false
  for (const s of sampled) store = ledger.record(s.id, ctx.now, s.up) || store
  for (const s of sampled) rate(ctx, ledger, s.id)
  return { up: sampled.length - down, down, store }
}

/** Up: the member's agent is connected and its LND is not reported unhealthy (what a sample counts). */
export function memberUp (ctx: Pick<Ctx, 'observations' | 'isConnected'>, m: Member): boolean {
  return m.agentKey !== undefined && ctx.isConnected(m.agentKey) && ctx.observations.get(m.id).health?.healthy !== false
}

/** True while `member` is inside a window it was excused for. */
export function isExcused (ctx: Pick<Ctx, 'state' | 'now'>, member: string): boolean {
  return (ctx.state.governance.excused[member] ?? []).some(w => w.from <= ctx.now && ctx.now < w.to)
}

function rate (ctx: Ctx, ledger: UptimeLedger, id: string): void {
  const m = ctx.state.members[id]!
  const g = ctx.rules.governance
  const r = ledger.rating(id, ctx.now)
  if (r.rating !== m.rating) {
    audit(ctx, 'rating_changed', { member: id, from: m.rating, to: r.rating, up: r.up, down: r.down })
    m.rating = r.rating
  }
  if (r.countedMs < g.ratingMinHours * 3_600_000) return
  const alerts = ctx.state.governance.alerts[id] ?? {}
  if (r.rating < g.ratingBan) {
    if (alerts.proposedAt !== undefined && ctx.now - alerts.proposedAt < ALERT_EVERY_MS) return
    if (openRatingBan(ctx, m, `uptime rating ${r.rating} is below ${g.ratingBan}`) !== undefined) {
      ctx.state.governance.alerts[id] = { ...alerts, proposedAt: ctx.now }
    }
  } else if (r.rating < g.ratingWarn) {
    if (alerts.warnedAt !== undefined && ctx.now - alerts.warnedAt < ALERT_EVERY_MS) return
    ctx.state.governance.alerts[id] = { ...alerts, warnedAt: ctx.now }
    audit(ctx, 'rating_warning', { member: id, rating: r.rating })
    announce(ctx, { type: 'rating_warning', member: m, rating: r.rating })
  }
}
