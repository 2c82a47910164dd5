/**
 * Summaries of repeated measurements: the median and the spread around it. Benches report the
 * median (robust to a noisy shared machine) with p95 and min–max, never a lone mean.
 */

/** A set of samples reduced to what a reader needs. */
export interface Summary {
  n: number
  median: number
  p95: number
  p99: number
  min: number
  max: number
  mean: number
}

/**
 * Summarizes samples (at least one). Percentiles are nearest-rank on the sorted samples.
 *
 * @example summarize([3, 1, 2]) // { n: 3, median: 2, p95: 3, p99: 3, min: 1, max: 3, mean: 2 }
 */
export function summarize (samples: readonly number[]): Summary {
  if (samples.length === 0) throw new Error('summarize: no samples')
  const sorted = [...samples].sort((a, b) => a - b)
  const n = sorted.length
  const mid = n >> 1
  const median = n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
  return {
    n,
    median,
    p95: percentile(sorted, 0.95),
    p99: percentile(sorted, 0.99),
    min: sorted[0]!,
    max: sorted[n - 1]!,
    mean: sorted.reduce((s, x) => s + x, 0) / n
  }
}

/** The nearest-rank percentile `q` (0..1) of already sorted samples. */
export function percentile (sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new Error('percentile: no samples')
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))
  return sorted[rank]!
}

/**
 * Ratios of paired samples (`subject[i] / baseline[i]`, measured back to back), summarized: the
 * pairing cancels most of the load other processes put on a shared machine.
 */
export function pairedRatio (subject: readonly number[], baseline: readonly number[]): Summary {
  if (subject.length !== baseline.length) throw new Error('pairedRatio: samples are not paired')
  return summarize(subject.map((s, i) => ratio(s, baseline[i]!)))
}

/** `a / b`, with 0 / 0 = 1 (two equal nothings) and x / 0 = Infinity. */
export function ratio (a: number, b: number): number {
  if (b === 0) return a === 0 ? 1 : Infinity
  return a / b
}
