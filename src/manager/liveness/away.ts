/**
 * Who the Storm is routing around right now: members with a planned downtime under way
 * (preparing, away, or overdue). Placement and rebalancing leave them out (see their call sites
 * in `use_cases/add_funds.ts` and `use_cases/plan_rebalancing.ts`).
 */
import type { State } from '../state/schema.ts'
import { isUnderway, type Downtime } from './schema.ts'

/** Member ids the planners must avoid. */
export function membersAway (state: Pick<State, 'downtimes'>): Set<string> {
  const out = new Set<string>()
  for (const d of Object.values(state.downtimes)) if (isUnderway(d)) out.add(d.member)
  return out
}

/** The member's downtime under way, if any. */
export function downtimeUnderway (state: Pick<State, 'downtimes'>, member: string): Downtime | undefined {
  return Object.values(state.downtimes).find(d => d.member === member && isUnderway(d))
}

/** `2h`, `1h30m`, `1d2h`: a duration written the way `/downtime` reads it (minutes rounded up). */
export function shortDuration (ms: number): string {
  let m = Math.max(0, Math.ceil(ms / 60_000))
  const d = Math.floor(m / 1440); m -= d * 1440
  const h = Math.floor(m / 60); m -= h * 60
  const text = (d > 0 ? `${d}d` : '') + (h > 0 ? `${h}h` : '') + (m > 0 ? `${m}m` : '')
  return text === '' ? '0m' : text
}
