/**
 * Flow and fees over time from the flow history, and what a million sats of liquidity earns in
 * this Storm per day:
 *
 *   earnings per 1M sats per day = fees ÷ days ÷ (capacity ÷ 1,000,000)
 *
 * where `fees` is what the members earned forwarding out through Storm channels in the period,
 * `days` the time the history covers in it (from the first report window counted, or the
 * period's start, to now) and `capacity` the Storm channels' capacity now.
 */
import type { ReadSource } from './read_source.ts'
import { known, unknown, type EarningsView, type FlowView, type Known } from './views.ts'

const HOUR = 3_600_000
const DAY = 24 * HOUR

/**
 * Flow over the last `periodMs` (default 7 days). Rates need the history to cover at least
 * `minCoverageMs` (default an hour): a few minutes of reports said as a daily rate would mislead.
 */
export function flowView (src: ReadSource, periodMs = 7 * DAY, minCoverageMs = HOUR): FlowView {
  const to = src.now
  const from = to - periodMs
  const history = src.flow
  const bucketMs = history?.bucketMs ?? 3_600_000
  const buckets = history?.series(from, to) ?? []
  const points = buckets.map(b => ({ start: b.start, forwards: b.forwards, amount: b.amount, fees: Number(BigInt(b.feeMsat) / 1000n) }))
  const feeMsat = buckets.reduce((s, b) => s + BigInt(b.feeMsat), 0n)
  const totals = {
    forwards: points.reduce((s, p) => s + p.forwards, 0),
    amount: points.reduce((s, p) => s + p.amount, 0),
    fees: Number(feeMsat / 1000n),
    feeMsat: feeMsat.toString()
  }
  const covered = coveredMs(points, from, to, history?.coveredSince)
  const rate = (value: number): Known<number> => covered === 0 ? unknown('no_data') : covered < minCoverageMs ? unknown('too_short') : known(value)
  return {
    bucketMs,
    from,
    to,
    points,
    totals,
    forwardsPerSecond: rate(totals.forwards / (covered / 1000)),
    satsPerDay: rate(totals.amount / (covered / DAY)),
    skippedWindows: history?.skipped ?? 0,
    coveredMs: covered
  }
}

/** Expected earnings per 1M sats per day (see the file's comment); `capacity` in sats. */
export function earningsView (flow: FlowView, capacity: number): EarningsView {
  const days = flow.coveredMs / DAY
  const fees = Number(flow.totals.feeMsat) / 1000
  // the flow's rates already say whether the history covers enough time
  const perMillionPerDay = !flow.satsPerDay.known
    ? unknown<number>(flow.satsPerDay.reason)
    : capacity === 0 ? unknown<number>('no_data') : known(fees / days / (capacity / 1_000_000))
  return { perMillionPerDay, fees, days, capacity, formula: 'fees ÷ days ÷ (capacity ÷ 1,000,000)' }
}

/**
 * The time the history covers in [from, to]: from its first counted window (or `from`) to `to`;
 * nothing when no bucket falls in the period.
 */
function coveredMs (points: Array<{ start: number }>, from: number, to: number, since: number | undefined): number {
  if (points.length === 0) return 0
  return Math.max(0, to - Math.max(from, since ?? points[0]!.start))
}
