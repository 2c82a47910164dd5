/**
 * The liquidity bench's printed tables: per Storm shape, payments, rebalancing and liquidity use,
 * the limits (oracle and capacity bound), ratios between strategies, and the issue's targets
 * with what was measured; then notes saying what every row is.
 */
import type { StormRules } from '../../src/manager/rules.ts'
import { count, percent, percentSpread, sig, times } from '../lib/format.ts'
import { ratio, summarize, type Summary } from '../lib/stats.ts'
import type { Table } from '../lib/types.ts'
import type { LiquidityConfig, LiquidityFigures, StormFigures } from './index.ts'
import type { OracleOutcome } from './oracle.ts'
import { PLACEMENTS } from './placement.ts'
import { REBALANCERS } from './rebalancing.ts'
import { TWO_WAY_MIN_SHARE, type RunOutcome } from './simulate.ts'

/** The metrics compared between strategies; `lowerIsBetter` ones read the other way. */
export const METRICS = [
  { key: 'successRate', label: 'success', lowerIsBetter: false },
  { key: 'newcomerSuccess', label: 'to newcomers', lowerIsBetter: false },
  { key: 'volumeRate', label: 'volume', lowerIsBetter: false },
  { key: 'twoWayShare', label: 'two-way', lowerIsBetter: false },
  { key: 'feePpm', label: 'fee ppm', lowerIsBetter: true }
] as const
export type MetricKey = typeof METRICS[number]['key']

/** One of the issue's targets, as measured. */
export interface Target {
  target: string
  goal: number
  /** At most the goal (fees), or at least. */
  atMost: boolean
  measured: Summary
  met: boolean
}

const STORM = 'storm planner'
const CIRCULAR = 'storm circular'

/** The issue's targets on one Storm shape, from its runs and bounds (per seed, then summarized). */
export function targets (runs: RunOutcome[], limits: OracleOutcome[], thin: boolean): Target[] {
  const pick = (p: string, r: string) => runs.filter(x => x.placement === p && x.rebalancing === r)
  const storm = pick(STORM, CIRCULAR)
  const per = (f: (s: RunOutcome) => number): Summary => summarize(storm.map(f))
  const bound = (s: RunOutcome) => limits.find(b => b.placement === STORM && b.seed === s.seed)!
  const vs = (p: string, r: string) => (s: RunOutcome) => ratio(s.successRate, pick(p, r).find(x => x.seed === s.seed)!.successRate)
  const out: Array<Omit<Target, 'met'>> = [
    { target: 'success ÷ oracle (per payment, max-flow on this run\'s balances of the moment)', goal: 0.97, atMost: false, measured: per(s => ratio(s.succeeded, s.maxFlowCovered)) },
    { target: 'success ÷ capacity-only bound', goal: 0.9, atMost: false, measured: per(s => ratio(s.successRate, bound(s).capacity.successRate)) },
    ...(thin
      ? [
          { target: 'success ÷ random placement (no rebalancing)', goal: 1.3, atMost: false, measured: per(vs('random', 'none')) },
          { target: 'success ÷ autopilot-style placement (no rebalancing)', goal: 1.15, atMost: false, measured: per(vs('pref. attachment', 'none')) }
        ]
      : []),
    { target: 'success ÷ fund-neutral pairwise (same placement)', goal: 1.1, atMost: false, measured: per(vs(STORM, 'pairwise')) },
    { target: 'rebalancing fees ÷ pairwise\'s rebalancing fees', goal: 1, atMost: true, measured: per(s => ratio(s.rebalance.fees, pick(STORM, 'pairwise').find(x => x.seed === s.seed)!.rebalance.fees)) },
    { target: 'rebalancing fees ÷ routing fees earned (gross)', goal: 0.1, atMost: true, measured: per(s => s.rebalanceFeeRatio) }
  ]
  return out.map(t => ({ ...t, met: t.atMost ? t.measured.median <= t.goal : t.measured.median >= t.goal }))
}

/** The tables of every Storm shape. */
export function tables (config: LiquidityConfig, figures: LiquidityFigures): Table[] {
  return figures.storms.flatMap(storm => stormTables(config, figures, storm))
}

function stormTables (config: LiquidityConfig, figures: LiquidityFigures, storm: StormFigures): Table[] {
  const many = config.seeds.length > 1
  const spread = many ? ` — median over ${config.seeds.length} seeds (min–max)` : ''
  const of = (p: string, r: string, f: (x: RunOutcome) => number): Summary =>
    summarize(storm.runs.filter(x => x.placement === p && x.rebalancing === r).map(f))
  const share = (s: Summary): string => many ? percentSpread(s) : percent(s.median)
  const plain = (s: Summary): string => many ? `${sig(s.median)} (${sig(s.min)}–${sig(s.max)})` : sig(s.median)
  const whole = (s: Summary): string => many ? `${count(s.median)} (${count(s.min)}–${count(s.max)})` : count(s.median)
  const paymentRows: string[][] = []
  const rebalanceRows: string[][] = []
  const useRows: string[][] = []
  const limitRows: string[][] = []
  for (const p of PLACEMENTS) {
    const b = storm.bounds.filter(x => x.placement === p.name)
    limitRows.push([p.name, 'max-flow routing (its own balances)', share(summarize(b.map(x => x.oracle.successRate))), share(summarize(b.map(x => x.oracle.volumeRate))), share(summarize(b.map(x => x.oracle.newcomerSuccess))), '', '', ''])
    limitRows.push([p.name, 'capacity-only bound', share(summarize(b.map(x => x.capacity.successRate))), share(summarize(b.map(x => x.capacity.volumeRate))), share(summarize(b.map(x => x.capacity.newcomerSuccess))), '', '', ''])
    for (const r of REBALANCERS) {
      const m = (f: (x: RunOutcome) => number): Summary => of(p.name, r.name, f)
      const bound = (x: RunOutcome) => b.find(y => y.seed === x.seed)!
      limitRows.push([p.name, r.name, share(m(x => x.successRate)), share(m(x => x.volumeRate)), share(m(x => x.newcomerSuccess)),
        times(m(x => ratio(x.succeeded, x.maxFlowCovered))), times(m(x => ratio(x.successRate, bound(x).oracle.successRate))), times(m(x => ratio(x.successRate, bound(x).capacity.successRate)))])
      paymentRows.push([p.name, r.name, share(m(x => x.successRate)), share(m(x => x.lastRoundSuccess)), share(m(x => x.newcomerSuccess)), share(m(x => x.volumeRate)), plain(m(x => x.feePpm)), plain(m(x => x.attempts)), whole(m(x => x.multiPart))])
      const perRebalance = storm.runs.filter(x => x.placement === p.name && x.rebalancing === r.name && x.paymentsPerRebalance !== null)
      rebalanceRows.push([p.name, r.name, whole(m(x => x.rebalance.payments)), whole(m(x => x.rebalance.failed)), whole(m(x => x.rebalance.fees)), whole(m(x => x.fees)),
        plain(m(x => x.rebalanceFeeRatio)), plain(m(x => x.rebalanceFeeRatioNet)),
        perRebalance.length === 0 ? '—' : plain(summarize(perRebalance.map(x => x.paymentsPerRebalance!))), whole(m(x => x.imbalancedEnd)),
        `${whole(m(x => x.endpointBound))} / ${whole(m(x => x.payments - x.succeeded - x.endpointBound))}`])
      useRows.push([p.name, r.name, share(m(x => x.twoWayShare)), share(m(x => x.routedCapacityShare)), plain(m(x => x.turnover)), plain(m(x => x.rebalancedShare)), whole(m(x => x.channels)), whole(m(x => x.isolated)), whole(m(x => x.unplaced))])
    }
  }
  const first = storm.runs[0]
  const size = first === undefined ? '' : `${count(first.members)} members, ${count(first.channels)} channels (storm planner, first seed), ${count(first.payments)} payments per run`
  return [
    {
      title: `${storm.label}: targets${spread}`,
      columns: ['target (Storm placement + Storm circular)', 'goal', 'measured', 'met'],
      rows: storm.targets.map(t => [t.target, `${t.atMost ? '≤' : '≥'} ${sig(t.goal)}`, many ? `${sig(t.measured.median)} (${sig(t.measured.min)}–${sig(t.measured.max)})` : sig(t.measured.median), t.met ? 'yes' : 'NO'])
    },
    {
      title: `${storm.label}: against the limit${spread}`,
      columns: ['placement', 'rebalancing / bound', 'success', 'volume', 'to newcomers', '÷ oracle (same run)', '÷ max-flow routing', '÷ capacity bound'],
      rows: limitRows,
      notes: [size]
    },
    {
      title: `${storm.label}: payments${spread}`,
      columns: ['placement', 'rebalancing', 'success', 'last round', 'to newcomers', 'volume delivered', 'fee ppm', 'attempts', 'multi-part'],
      rows: paymentRows
    },
    {
      title: `${storm.label}: rebalancing${spread}`,
      columns: ['placement', 'rebalancing', 'payments', 'failed', 'fees paid (sats)', 'routing fees earned (sats)', 'fees ÷ earned (gross)', 'net', 'payments per rebalance', 'imbalanced at end', 'workload failures: endpoint-bound / other'],
      rows: rebalanceRows
    },
    {
      title: `${storm.label}: liquidity use${spread}`,
      columns: ['placement', 'rebalancing', 'two-way channels', 'capacity routed', 'turnover', 'rebalanced', 'channels', 'isolated', 'unplaced'],
      rows: useRows
    },
    {
      title: `${storm.label}: ratios, subject ÷ baseline on the same seed, members and payments${many ? ' — median (min–max) over seeds' : ''}`,
      columns: ['subject', 'baseline', ...METRICS.map(m => m.label)],
      rows: storm.ratios.map(r => [
        `${r.subject.placement} + ${r.subject.rebalancing}`,
        `${r.baseline.placement} + ${r.baseline.rebalancing}`,
        ...METRICS.map(m => times(r.metrics[m.key]))
      ]),
      notes: ['> ×1: the subject does better, except in fee ppm, where < ×1 is better']
    }
  ]
}

/** What the rows and columns are. */
export function notes (config: LiquidityConfig, rules: StormRules): string[] {
  const { work } = config
  const s = rules.rebalancing.baseSettings
  return [
    ...config.storms.map(({ label, shape }) => `${label}: ${percent(shape.fundedShare)} bring ${count(shape.minBudget)}–${count(shape.maxBudget)} sats (log-uniform) in ${shape.maxRequests === 1 ? 'one addfunds request' : `1–${shape.maxRequests} addfunds requests`}; the others are newcomers with no funds.`),
    `Every placement uses the planner's sizes (≤ ${rules.maxChannelsPerAllocation} channels per request, ${count(rules.minChannelSize)}–${count(rules.maxChannelSize)} sats, equal split); channels open with all funds on the funder's side and charge the Storm's default fee (${rules.defaultBaseFeeMsat} msat + ${rules.defaultFeeRatePpm} ppm).`,
    `Payments: ${work.rounds} rounds × ${count(work.paymentsPerRound)}, each round standing for ${count(work.roundSeconds)} s; ${percent(work.hubShare)} of members are hubs of demand (${percent(work.toHub)} of payments go to one, ${percent(work.fromHub)} come from one); amounts ${count(work.minAmount)}–${count(work.maxAmount)} sats skewed small; fee limit ${percent(work.feeLimit)}. Routed like LND: cheapest fee-aware route from what the sender sees, retries around failures, then multi-part (halves down to 10,000 sats, parts held until all arrive).`,
    `Rebalancers act every refreshRate (${s.refreshRate} s) within Tightrope's settings (maxTransactionSize ${count(s.maxTransactionSize)}, minTimeBetweenPayments ${s.minTimeBetweenPayments} s, ${s.maxTransactionsPerPeriod} payments / ${s.maxTransactionsPeriod} s, ${count(s.maxAmountPerPeriod)} sats / ${s.maxAmountPeriod} s, balance point ${s.balancePoint} ± ${s.deadzone}), fees at most ${rules.rebalancing.maxFeePpm} ppm and ${count(rules.rebalancing.maxFeePerPeriod)} sats per node per period.`,
    'oracle (same run): per payment, whether the max-flow on that run\'s balances of that moment (full information, any parts, no fees, reserves kept) covers it — every delivered payment is covered, so success ÷ oracle ≤ 1 and measures how close the router comes; max-flow routing: a separate run that sends every payment as that max-flow and moves its own balances (not a bound over a sequence: greedy max-flow can drain channels a cheaper route keeps, so a strategy may beat it); capacity-only bound: a payment succeeds if the min-cut of capacities (less reserves) covers it — balances set ideally for each payment, more than a fund-neutral rebalancer can reach where members own no funds (newcomers).',
    'success: payments delivered / tried; last round: the same in the final round; to newcomers: payments to members who brought no funds; volume: sats delivered / asked; fee ppm: routing fees per delivered sat; attempts: routes tried per payment; multi-part: payments delivered in more than one part.',
    'workload failures, endpoint-bound: the sender\'s channels together could not send the amount, or the receiver\'s could not receive it, at that moment — circular rebalancing keeps each member\'s total, so no fund-neutral rebalancer can deliver these; other: failures where the totals sufficed (the router, or liquidity inside the Storm: what rebalancing can work on).',
    'fees ÷ earned (gross): rebalancing fees paid ÷ routing fees members earned forwarding the workload; net: the part of the rebalancing fees paid to non-members ÷ the same — 0 here, since every hop of the simulated Storm is a member; payments per rebalance: workload payments delivered per rebalancing payment.',
    `two-way: channels each of whose sides holds ≥ ${percent(TWO_WAY_MIN_SHARE)} at the end; capacity routed: share of capacity in channels that carried a payment; turnover: sats delivered per sat of capacity; rebalanced: sats moved by rebalancing per sat of capacity; isolated: members with no channel; unplaced: addfunds requests the placement refused.`,
    ...PLACEMENTS.map(p => `${p.name}: ${p.describe}.`),
    ...REBALANCERS.map(r => `${r.name}: ${r.describe}.`),
    ...(config.chart === null ? [] : [`Chart of success against load (payments carried so far, per round; median over seeds) written to ${config.chart}; colours: storm+circular red, storm+none orange, storm+pairwise purple, random+none blue, pref.+none green, oracle black, capacity bound grey.`])
  ]
}
