/**
 * The liquidity bench's printed tables: per Storm shape, payments, liquidity use, and the
 * ratios of Storm's planner to each baseline; then notes saying what every row is.
 */
import type { StormRules } from '../../src/manager/rules.ts'
import { count, percent, percentSpread, sig, times } from '../lib/format.ts'
import { summarize, type Summary } from '../lib/stats.ts'
import type { Table } from '../lib/types.ts'
import type { LiquidityConfig, LiquidityFigures, StormFigures } from './index.ts'
import { PLACEMENTS } from './placement.ts'
import { REBALANCERS } from './rebalancing.ts'
import { TWO_WAY_MIN_SHARE, type RunOutcome } from './simulate.ts'

/** The metrics compared between strategies; `lowerIsBetter` ones read the other way. */
export const METRICS = [
  { key: 'successRate', label: 'success', lowerIsBetter: false },
  { key: 'newcomerSuccess', label: 'to newcomers', lowerIsBetter: false },
  { key: 'volumeRate', label: 'volume', lowerIsBetter: false },
  { key: 'twoWayShare', label: 'two-way', lowerIsBetter: false },
  { key: 'routedCapacityShare', label: 'cap. routed', lowerIsBetter: false },
  { key: 'feePpm', label: 'fee ppm', lowerIsBetter: true }
] as const
export type MetricKey = typeof METRICS[number]['key']

/** Three tables per Storm shape. */
export function tables (config: LiquidityConfig, figures: LiquidityFigures): Table[] {
  return figures.storms.flatMap(storm => stormTables(config, figures, storm))
}

function stormTables (config: LiquidityConfig, figures: LiquidityFigures, storm: StormFigures): Table[] {
  const many = config.seeds.length > 1
  const spread = many ? ` — median over ${config.seeds.length} seeds (min–max)` : ''
  const of = (p: string, r: string, key: keyof RunOutcome): Summary =>
    summarize(storm.runs.filter(x => x.placement === p && x.rebalancing === r).map(x => x[key] as number))
  const share = (s: Summary): string => many ? percentSpread(s) : percent(s.median)
  const plain = (s: Summary): string => many ? `${sig(s.median)} (${sig(s.min)}–${sig(s.max)})` : sig(s.median)
  const whole = (s: Summary): string => many ? `${count(s.median)} (${count(s.min)}–${count(s.max)})` : count(s.median)
  const paymentRows: string[][] = []
  const useRows: string[][] = []
  for (const s of figures.strategies) {
    if (!s.built) {
      paymentRows.push([s.placement, s.rebalancing, 'not built yet'])
      useRows.push([s.placement, s.rebalancing, 'not built yet'])
      continue
    }
    const m = (key: keyof RunOutcome): Summary => of(s.placement, s.rebalancing, key)
    paymentRows.push([s.placement, s.rebalancing, share(m('successRate')), share(m('lastRoundSuccess')), share(m('newcomerSuccess')), share(m('volumeRate')), plain(m('feePpm')), plain(m('attempts'))])
    useRows.push([s.placement, s.rebalancing, share(m('twoWayShare')), share(m('routedCapacityShare')), plain(m('turnover')), plain(m('rebalancedShare')), whole(m('channels')), whole(m('isolated')), whole(m('unplaced'))])
  }
  const first = storm.runs[0]
  const size = first === undefined ? '' : `${count(first.members)} members, ${count(first.payments)} payments per run`
  return [
    {
      title: `${storm.label}: payments${spread}`,
      columns: ['placement', 'rebalancing', 'success', 'last round', 'to newcomers', 'volume delivered', 'fee ppm', 'attempts'],
      rows: paymentRows,
      notes: [size]
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
        ...(r.metrics === null ? ['not built yet'] : METRICS.map(m => times(r.metrics![m.key])))
      ]),
      notes: ['> ×1: the subject does better, except in fee ppm, where < ×1 is better']
    }
  ]
}

/** What the rows and columns are. */
export function notes (config: LiquidityConfig, rules: StormRules): string[] {
  const { work } = config
  return [
    ...config.storms.map(({ label, shape }) => `${label}: ${count(shape.members)} members, ${percent(shape.fundedShare)} bring ${count(shape.minBudget)}–${count(shape.maxBudget)} sats (log-uniform) in ${shape.maxRequests === 1 ? 'one addfunds request' : `1–${shape.maxRequests} addfunds requests`}; the others are newcomers with no funds.`),
    `Every placement uses the planner's sizes (≤ ${rules.maxChannelsPerAllocation} channels per request, ${count(rules.minChannelSize)}–${count(rules.maxChannelSize)} sats, equal split); channels open with all funds on the funder's side and charge the Storm's default fee (${rules.defaultBaseFeeMsat} msat + ${rules.defaultFeeRatePpm} ppm).`,
    `Payments: ${work.rounds} rounds × ${count(work.paymentsPerRound)}, rebalancing between rounds; ${percent(work.hubShare)} of members are hubs of demand (${percent(work.toHub)} of payments go to one, ${percent(work.fromHub)} come from one); amounts ${count(work.minAmount)}–${count(work.maxAmount)} sats skewed small; fee limit ${percent(work.feeLimit)}.`,
    'success: payments delivered / tried; last round: the same in the final round; to newcomers: success of payments to members who brought no funds (onboarding); volume: sats delivered / sats asked; fee ppm: routing fees per delivered sat; attempts: routes tried per payment.',
    `two-way: channels each of whose sides holds ≥ ${percent(TWO_WAY_MIN_SHARE)} at the end; capacity routed: share of capacity in channels that carried a payment; turnover: sats delivered per sat of capacity; rebalanced: sats moved by rebalancing per sat of capacity; isolated: members with no channel; unplaced: addfunds requests the placement refused.`,
    ...PLACEMENTS.map(p => `${p.name}: ${p.describe}.`),
    ...REBALANCERS.map(r => `${r.name}: ${r.describe}.`)
  ]
}
