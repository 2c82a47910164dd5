/**
 * Flow and fee history in time buckets, outside the live state: each agent report's forwarding
 * window is added to one Storm-wide bucket (an hour by default), never kept per forward, per
 * report or per member (30 days of hourly buckets stay a few tens of kilobytes at any size; per
 * member it is only the end of its last window, to count nothing twice). Only forwards that left through a Storm channel (a channel to another member's node)
 * count: that is the Storm's flow and the fees its liquidity earned.
 *
 * Where a report's window goes:
 * - into the bucket holding the window's end (reports come every few minutes, buckets are an
 *   hour: a window that crosses a bucket boundary is counted in the later bucket);
 * - nowhere when it overlaps what this member already reported (`to` at or before the last one,
 *   or `from` before it: a restarted stormd reports from its node's beginning), or when it is
 *   longer than `maxWindowMs` (its forwards cannot be placed in time). Such windows are counted
 *   in `skipped`, so the history never claims flow twice and never spreads it where it was not.
 *
 * The history is a small document (`FlowHistoryDocSchema`) saved through the store port when a
 * bucket closes and when the manager stops: a crash loses at most the open bucket.
 */
import { z } from 'zod'
import type { Report } from '../protocol/messages.ts'
import { IdSchema, MsatSchema } from '../protocol/messages.ts'

export const FLOW_HISTORY_VERSION = 1

export const FlowBucketSchema = z.object({
  /** Start of the bucket, ms since the epoch (a multiple of `bucketMs`). */
  start: z.number().int().nonnegative(),
  /** Forwards that left through a Storm channel. */
  forwards: z.number().int().nonnegative(),
  /** Sats forwarded out through Storm channels. */
  amount: z.number().int().nonnegative(),
  /** Fees earned on those forwards, millisatoshis (decimal string). */
  feeMsat: MsatSchema,
  /** How many report windows were added: a bucket with reports and no forwards is a real zero. */
  reports: z.number().int().nonnegative()
})
export type FlowBucket = z.infer<typeof FlowBucketSchema>

export const FlowHistoryDocSchema = z.object({
  version: z.literal(FLOW_HISTORY_VERSION),
  bucketMs: z.number().int().positive(),
  /** Per member: where its counted windows end, and where the first one began. */
  members: z.record(IdSchema, z.object({
    /** The end of the last window counted. */
    lastTo: z.number().int().nonnegative(),
    /** The start of the first window counted: the history covers this member from then. */
    since: z.number().int().nonnegative().optional()
  })),
  /** The Storm's buckets, oldest first. */
  buckets: z.array(FlowBucketSchema),
  /** Report windows not counted (overlapping, or too long to place in time). */
  skipped: z.number().int().nonnegative()
})
export type FlowHistoryDoc = z.infer<typeof FlowHistoryDocSchema>

export interface FlowHistoryOptions {
  /** Bucket length, ms. Default an hour. */
  bucketMs?: number
  /** Buckets kept. Default 30 days' worth. */
  keep?: number
  /** Longest report window placed in a bucket, ms. Default a day. */
  maxWindowMs?: number
}

const HOUR = 3_600_000

/** An empty history document. */
export function emptyFlowHistory (bucketMs = HOUR): FlowHistoryDoc {
  return { version: FLOW_HISTORY_VERSION, bucketMs, members: {}, buckets: [], skipped: 0 }
}

/** The history: fed by `record`, read by `series`. Pure (no I/O, no clock). */
export class FlowHistory {
  readonly bucketMs: number
  readonly #keep: number
  readonly #maxWindowMs: number
  #doc: FlowHistoryDoc

  constructor (doc: FlowHistoryDoc = emptyFlowHistory(), o: FlowHistoryOptions = {}) {
    this.bucketMs = o.bucketMs ?? doc.bucketMs
    this.#keep = o.keep ?? Math.ceil(30 * 24 * HOUR / this.bucketMs)
    this.#maxWindowMs = o.maxWindowMs ?? 24 * HOUR
    // a document kept with other buckets is started afresh rather than mixed
    this.#doc = doc.bucketMs === this.bucketMs ? doc : emptyFlowHistory(this.bucketMs)
  }

  /**
   * Adds a report's flow. `stormNodes` are the members' node keys (channels to them are Storm
   * channels). Returns `counted` (added to a bucket), `skipped` (see the file's comment) or
   * `none` (the report had no flow window).
   */
  record (member: string, report: Report, stormNodes: ReadonlySet<string>): 'counted' | 'skipped' | 'none' {
    const flow = report.flow
    if (flow === undefined || flow.to <= flow.from) return 'none'
    const m = this.#doc.members[member]
    if ((m !== undefined && flow.from < m.lastTo) || flow.to - flow.from > this.#maxWindowMs) {
      this.#doc.skipped++
      if (m !== undefined) m.lastTo = Math.max(m.lastTo, flow.to)
      else this.#doc.members[member] = { lastTo: flow.to }
      return 'skipped'
    }
    const storm = new Set(report.channels.filter(c => stormNodes.has(c.peer)).map(c => c.id))
    let forwards = 0
    let amount = 0
    let fee = 0n
    for (const c of flow.channels) {
      if (!storm.has(c.channel)) continue
      forwards += c.forwards
      amount += c.outAmount
      fee += BigInt(c.feeMsat)
    }
    const entry = m ?? (this.#doc.members[member] = { lastTo: 0 })
    entry.lastTo = flow.to
    entry.since ??= flow.from
    const start = this.bucketStart(flow.to - 1)
    const buckets = this.#doc.buckets
    let bucket = buckets.findLast(b => b.start === start)
    if (bucket === undefined) {
      bucket = { start, forwards: 0, amount: 0, feeMsat: '0', reports: 0 }
      buckets.push(bucket)
      buckets.sort((a, b) => a.start - b.start)
      if (buckets.length > this.#keep) buckets.splice(0, buckets.length - this.#keep)
    }
    bucket.forwards += forwards
    bucket.amount += amount
    bucket.feeMsat = (BigInt(bucket.feeMsat) + fee).toString()
    bucket.reports++
    return 'counted'
  }

  /** The start of the bucket holding `at`. */
  bucketStart (at: number): number {
    return Math.floor(at / this.bucketMs) * this.bucketMs
  }

  /**
   * The Storm's buckets starting in the bucket of `from` up to `to`, oldest first. Only buckets
   * some report reached are listed: a gap is time nobody reported.
   */
  series (from: number, to: number): FlowBucket[] {
    const first = this.bucketStart(from)
    return this.#doc.buckets.filter(b => b.start >= first && b.start < to).map(b => ({ ...b }))
  }

  /** When the history starts covering any member (the first counted window's start), if ever. */
  get coveredSince (): number | undefined {
    const since = Object.values(this.#doc.members).flatMap(m => m.since === undefined ? [] : [m.since])
    return since.length === 0 ? undefined : Math.min(...since)
  }

  /** Windows skipped so far. */
  get skipped (): number {
    return this.#doc.skipped
  }

  /** The document to store (a copy). */
  toDoc (): FlowHistoryDoc {
    return structuredClone(this.#doc)
  }
}
