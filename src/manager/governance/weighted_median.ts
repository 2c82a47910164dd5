/**
 * The stake-weighted median: the value at which half the voting stake is at or below it.
 * When exactly half the stake lies at or below one value and half above (a tie), the lower value
 * is taken — the lower weighted median — so the result is always one of the values voted for
 * (never an average nobody chose) and a tie resolves to the cheaper fee. Zero-stake votes weigh
 * nothing; with no stake at all there is no median.
 *
 * @example
 *   weightedMedian([{ value: 1000n, weight: 3 }, { value: 2000n, weight: 2 }]) // 1000n
 */

export interface WeightedValue<T extends number | bigint> { value: T, weight: number }

/** The lower weighted median of `votes`, or undefined when their total weight is 0. */
export function weightedMedian<T extends number | bigint> (votes: ReadonlyArray<WeightedValue<T>>): T | undefined {
  const counted = votes.filter(v => v.weight > 0)
  const total = counted.reduce((s, v) => s + v.weight, 0)
  if (total === 0) return undefined
  const sorted = [...counted].sort((a, b) => a.value < b.value ? -1 : a.value > b.value ? 1 : 0)
  let cumulative = 0
  for (const v of sorted) {
    cumulative += v.weight
    // `2 * cumulative >= total`: integer stakes, no rounding
    if (2 * cumulative >= total) return v.value
  }
  return sorted.at(-1)!.value
}
