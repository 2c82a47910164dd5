/** Small statistics for the load figures: percentiles, and whether a series of samples is flat. */

/** The `p` quantile (0–1) of `xs` (nearest rank); NaN when empty. */
export function percentile (xs: readonly number[], p: number): number {
  if (xs.length === 0) return NaN
  const sorted = [...xs].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!
}

/** How a series of `[ms, value]` samples moved. */
export interface Flatness {
  first: number
  last: number
  min: number
  max: number
  /** Least-squares slope, value per minute. */
  slopePerMin: number
  /** Median of the first fifth of the samples, and of the last fifth. */
  headMedian: number
  tailMedian: number
}

export function flatness (samples: ReadonlyArray<readonly [number, number]>): Flatness {
  if (samples.length === 0) throw new Error('flatness: no samples')
  const n = samples.length
  const values = samples.map(s => s[1])
  const mt = samples.reduce((a, s) => a + s[0], 0) / n
  const mv = values.reduce((a, v) => a + v, 0) / n
  let num = 0
  let den = 0
  for (const [t, v] of samples) {
    num += (t - mt) * (v - mv)
    den += (t - mt) ** 2
  }
  const fifth = Math.max(1, Math.floor(n / 5))
  return {
    first: values[0]!,
    last: values[n - 1]!,
    min: Math.min(...values),
    max: Math.max(...values),
    slopePerMin: den === 0 ? 0 : num / den * 60_000,
    headMedian: percentile(values.slice(0, fifth), 0.5),
    tailMedian: percentile(values.slice(n - fifth), 0.5)
  }
}
