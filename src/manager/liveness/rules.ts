/**
 * The Storm's rules for planned downtime, under `rules.downtime` in the manager's configuration:
 * how long a window may be, how often a member may take one, how many members may be away at
 * once, and how long the Storm prepares before it says it is safe to go. Defaults live here; the
 * README table is generated from `.describe()`.
 */
import { z } from 'zod'

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

export const DowntimeRulesSchema = z.object({
  maxDurationMs: z.number().int().min(MINUTE).max(7 * DAY).default(6 * HOUR)
    .describe('Longest planned downtime window, extensions included.'),
  maxPerPeriod: z.number().int().min(0).max(100).default(2)
    .describe('Windows a member may take per `periodMs` (0: planned downtime is off).'),
  periodMs: z.number().int().min(HOUR).max(90 * DAY).default(7 * DAY)
    .describe('The period `maxPerPeriod` counts over.'),
  maxConcurrent: z.number().int().min(1).max(1000).default(1)
    .describe('Members that may be away (or preparing to be) at the same time.'),
  prepareTimeoutMs: z.number().int().min(0).max(DAY).default(30 * MINUTE)
    .describe('Longest the Storm prepares (routes liquidity around the member) before it grants the window anyway.'),
  lateGraceMs: z.number().int().min(0).max(DAY).default(5 * MINUTE)
    .describe('A member back within this long after its window ends is not late.')
}).strict()

export type DowntimeRules = z.infer<typeof DowntimeRulesSchema>
