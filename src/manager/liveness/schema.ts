/**
 * What the manager stores of planned downtime, under `state.downtimes`: each request, from the
 * preparation (`do_not_disconnect`, rebalancing around the member) through the granted window
 * (`safe_to_disconnect`) to its end: back in time, back late, left early, or cancelled.
 */
import { z } from 'zod'
import { IdSchema } from '../../protocol/messages.ts'

/**
 * preparing → granted → done, or → overdue (the window ended, the member is not back) → done;
 * preparing → left_early (the node went away before it was safe); preparing | granted → cancelled.
 */
export const DOWNTIME_STATUSES = ['preparing', 'granted', 'overdue', 'done', 'left_early', 'cancelled'] as const
export type DowntimeStatus = typeof DOWNTIME_STATUSES[number]

export const DowntimeSchema = z.object({
  id: IdSchema,
  member: IdSchema,
  requestedAt: z.number().int(),
  /** The window's length, extensions included. */
  durationMs: z.number().int().positive(),
  status: z.enum(DOWNTIME_STATUSES),
  /** The `do_not_disconnect` directive held while the Storm prepares. */
  hold: IdSchema.optional(),
  /** The rebalancing directives that route liquidity around the member before it goes. */
  rebalances: z.array(IdSchema).default([]),
  /** When `safe_to_disconnect` was sent: the window runs from here for `durationMs`. */
  grantedAt: z.number().int().optional(),
  /** The `safe_to_disconnect` directives sent (one more per extension). */
  safe: z.array(IdSchema).default([]),
  endedAt: z.number().int().optional(),
  /** How late the member came back, ms, when it was. */
  lateMs: z.number().int().nonnegative().optional()
})
export type Downtime = z.infer<typeof DowntimeSchema>

export const DowntimesSchema = z.record(IdSchema, DowntimeSchema)

/** When the window ends (undefined before it is granted). */
export function windowEnd (d: Downtime): number | undefined {
  return d.grantedAt === undefined ? undefined : d.grantedAt + d.durationMs
}

/** True while the member is, or is about to be, away: the Storm routes around it. */
export function isUnderway (d: Downtime): boolean {
  return d.status === 'preparing' || d.status === 'granted' || d.status === 'overdue'
}
