/**
 * The public summary a Storm may publish (the seed's "Sample Groups Real-Time Comparison Page"):
 * name, fees, flow rate, members, capacity, expected earnings per 1M sats per day and the rating
 * distribution. Versioned (`schema: "storm-summary/1"`); its JSON Schema is generated from this
 * zod schema (`summaryJsonSchema`). No member names, no node keys, no balances. A figure the
 * Storm cannot give yet is `null`, never a guess.
 */
import { z } from 'zod'
import type { StormView } from './views.ts'

export const SUMMARY_SCHEMA_ID = 'storm-summary/1'

const Count = z.number().int().nonnegative()

export const StormSummarySchema = z.object({
  schema: z.literal(SUMMARY_SCHEMA_ID).describe('The schema and its version.'),
  name: z.string().min(1).max(64).describe('The Storm\'s name.'),
  generatedAt: z.iso.datetime().describe('When the summary was made (UTC, ISO 8601).'),
  baseFeeMsat: z.string().regex(/^\d{1,20}$/).describe('Consensus base fee, millisatoshis (decimal string).'),
  feeRatePpm: Count.describe('Consensus fee rate, parts per million.'),
  flowRate: z.object({
    forwardsPerSecond: z.number().nonnegative().nullable().describe('Forwards out through Storm channels per second (the seed\'s tps); null before any flow is reported.'),
    satsPerDay: z.number().nonnegative().nullable().describe('Sats forwarded out through Storm channels per day; null before any flow is reported.'),
    periodDays: z.number().positive().describe('The period the rates are measured over, days.')
  }).describe('Payment flow through the Storm.'),
  members: Count.describe('Members taking part (active or leaving).'),
  channels: Count.describe('Open channels between members.'),
  capacity: Count.describe('Capacity of those channels, sats.'),
  expectedEarningsPer1MSatsPerDay: z.number().nonnegative().nullable()
    .describe('Fees earned per 1,000,000 sats of capacity per day: fees ÷ days ÷ (capacity ÷ 1,000,000); null without flow data.'),
  ratingDistribution: z.object({
    buckets: z.array(z.object({ from: Count.max(100), to: Count.max(100), members: Count })).length(10)
      .describe('Members by uptime rating, in tens: 0–9, 10–19, …, 90–100.'),
    unrated: Count.describe('Members without a rating yet.')
  }).nullable().describe('How the members\' uptime ratings are spread; null where the Storm does not rate uptime yet.')
}).strict().describe('A Storm\'s public summary, for comparison pages.')
export type StormSummary = z.infer<typeof StormSummarySchema>

/** The summary from the Storm's view. */
export function publicSummary (view: StormView, periodMs: number): StormSummary {
  const active = view.members.filter(m => m.status === 'active' || m.status === 'leaving')
  const rated = active.filter(m => m.rating.known)
  const buckets = Array.from({ length: 10 }, (_, i) => ({ from: i * 10, to: i === 9 ? 100 : i * 10 + 9, members: 0 }))
  for (const m of rated) {
    if (!m.rating.known) continue
    buckets[Math.min(9, Math.floor(m.rating.value / 10))]!.members++
  }
  const value = <T>(k: { known: true, value: T } | { known: false }): T | null => k.known ? k.value : null
  return {
    schema: SUMMARY_SCHEMA_ID,
    name: view.group,
    generatedAt: new Date(view.at).toISOString(),
    baseFeeMsat: view.fees.consensus.baseFeeMsat,
    feeRatePpm: view.fees.consensus.feeRatePpm,
    flowRate: {
      forwardsPerSecond: value(view.flow.forwardsPerSecond),
      satsPerDay: value(view.flow.satsPerDay),
      periodDays: periodMs / 86_400_000
    },
    members: active.length,
    channels: view.graph.channels.filter(c => c.state === 'active' || c.state === 'inactive').length,
    capacity: view.graph.capacity,
    expectedEarningsPer1MSatsPerDay: value(view.earnings.perMillionPerDay),
    ratingDistribution: rated.length > 0 ? { buckets, unrated: active.length - rated.length } : null
  }
}

/** The summary's JSON Schema (draft 2020-12), with its id and version. */
export function summaryJsonSchema (): Record<string, unknown> {
  return { $id: SUMMARY_SCHEMA_ID, ...z.toJSONSchema(StormSummarySchema, { target: 'draft-2020-12', io: 'output' }) }
}
