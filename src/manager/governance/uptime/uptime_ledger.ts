/**
 * Uptime samples aggregated into hourly buckets per member, kept outside the state document: in
 * memory, written to their own small store when an hour is over (never per heartbeat or sample).
 * A crash loses at most the samples of the hour under way. Buckets older than the rating's window
 * are dropped. Pure data and arithmetic; the sampler (`sample_uptime.ts`) decides what a sample is.
 */
import { z } from 'zod'

export const BUCKET_MS = 60 * 60_000
/** The rating's window: the last 7 days. */
export const RATING_WINDOW_MS = 7 * 24 * BUCKET_MS

export const UPTIME_VERSION = 1

/** `[bucketStart, up, down]`: samples in which the member was up / down in that hour. */
const BucketSchema = z.tuple([z.number().int(), z.number().int().nonnegative(), z.number().int().nonnegative()])

export const UptimeDocSchema = z.object({
  version: z.literal(UPTIME_VERSION),
  /** The sample interval the counts were taken at (a sample's weight in time). */
  sampleMs: z.number().int().positive(),
  members: z.record(z.string(), z.array(BucketSchema))
})
export type UptimeDoc = z.infer<typeof UptimeDocSchema>

export function emptyUptime (sampleMs: number): UptimeDoc {
  return { version: UPTIME_VERSION, sampleMs, members: {} }
}

/** A member's rating now: 0–100 (rounded down), or 100 before anything counted. */
export interface Rating { rating: number, up: number, down: number, countedMs: number }

export class UptimeLedger {
  readonly doc: UptimeDoc
  /** The bucket the last sample went into: a new one means the previous hour is ready to store. */
  #lastBucket: number | null = null

  constructor (doc: UptimeDoc) {
    this.doc = doc
  }

  /** Counts one sample; returns true when it started a new hour (time to store the last one). */
  record (member: string, at: number, up: boolean): boolean {
    const start = at - (at % BUCKET_MS)
    let list = this.doc.members[member]
    if (list === undefined) {
      list = []
      this.doc.members[member] = list
    }
    let last = list.at(-1)
    if (last === undefined || last[0] !== start) {
      last = [start, 0, 0]
      list.push(last)
    }
    if (up) last[1]++
    else last[2]++
    const rolled = this.#lastBucket !== null && this.#lastBucket !== start
    this.#lastBucket = start
    return rolled
  }

  /** The rolling rating over the 7 days before `now`. */
  rating (member: string, now: number): Rating {
    let up = 0
    let down = 0
    for (const [start, u, d] of this.doc.members[member] ?? []) {
      if (start + BUCKET_MS <= now - RATING_WINDOW_MS) continue
      up += u
      down += d
    }
    const total = up + down
    return { rating: total === 0 ? 100 : Math.floor((100 * up) / total), up, down, countedMs: total * this.doc.sampleMs }
  }

  /** Drops buckets that left the window, and members with none left. */
  prune (now: number): void {
    for (const [member, list] of Object.entries(this.doc.members)) {
      const kept = list.filter(([start]) => start + BUCKET_MS > now - RATING_WINDOW_MS)
      if (kept.length === 0) delete this.doc.members[member]
      else this.doc.members[member] = kept
    }
  }

  forget (member: string): void {
    delete this.doc.members[member]
  }
}
