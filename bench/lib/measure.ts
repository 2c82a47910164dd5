/**
 * Timing and heap helpers. Time is `process.hrtime.bigint()`; an operation too quick to time
 * alone is timed in batches long enough for the clock, and the figure is time per operation.
 * Comparisons interleave subject and baseline batch by batch, so both see the same machine.
 */

/** Runs `count` operations; may be async. */
export type Batch = (count: number) => void | Promise<void>

/** Milliseconds `batch(count)` takes. */
export async function timeBatch (batch: Batch, count: number): Promise<number> {
  const start = process.hrtime.bigint()
  await batch(count)
  return Number(process.hrtime.bigint() - start) / 1e6
}

/**
 * The batch size (a power of two, at most `maxCount`) whose run lasts at least `minBatchMs`.
 * Doubling from 1 doubles as the warm-up: the last runs are at the size measured.
 */
export async function calibrate (batch: Batch, minBatchMs: number, maxCount = 1 << 20): Promise<number> {
  let count = 1
  while (count < maxCount && await timeBatch(batch, count) < minBatchMs) count *= 2
  return count
}

/** What `compareBatches` returns: milliseconds per operation, one sample per batch. */
export interface Compared {
  subject: number[]
  baseline: number[]
  /** Operations per batch of each side. */
  counts: { subject: number, baseline: number }
}

/**
 * Times subject and baseline in alternating batches (subject first on even samples, baseline
 * first on odd ones) after calibrating each to `minBatchMs`; `samples` batches of each.
 */
export async function compareBatches (subject: Batch, baseline: Batch, opts: { samples: number, minBatchMs: number, maxCount?: number }): Promise<Compared> {
  const counts = {
    subject: await calibrate(subject, opts.minBatchMs, opts.maxCount),
    baseline: await calibrate(baseline, opts.minBatchMs, opts.maxCount)
  }
  const out: Compared = { subject: [], baseline: [], counts }
  for (let i = 0; i < opts.samples; i++) {
    const order = i % 2 === 0 ? ['subject', 'baseline'] as const : ['baseline', 'subject'] as const
    for (const side of order) {
      const batch = side === 'subject' ? subject : baseline
      out[side].push(await timeBatch(batch, counts[side]) / counts[side])
    }
  }
  return out
}

/** Whether the process was started with `--expose-gc`. */
export function canCollect (): boolean {
  return typeof globalThis.gc === 'function'
}

/** Collects garbage (a few passes, so weak and finalizable objects go too) when exposed. */
export function collect (): void {
  const gc = globalThis.gc
  if (typeof gc !== 'function') return
  for (let i = 0; i < 3; i++) gc()
}

/** `heapUsed` after a collection, in bytes. */
export function heapAfterGc (): number {
  collect()
  return process.memoryUsage().heapUsed
}
