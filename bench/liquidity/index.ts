/**
 * The headline bench: how well a Storm's liquidity carries a payment workload, with Storm's
 * planner placing the channels against random placement and LND-autopilot-style preferential
 * attachment, each with no rebalancing and with Tightrope's pairwise rebalancing (Storm's own
 * circular rebalancing is listed as not built yet). Several seeds; ratios are per seed, same
 * members, same requests, same payments.
 */
import { defaultRules, type StormRules } from '../../src/manager/rules.ts'
import { count, percent, percentSpread, sig, times } from '../lib/format.ts'
import { ratio, summarize, type Summary } from '../lib/stats.ts'
import type { Bench, Table } from '../lib/types.ts'
import { PLACEMENTS, STORM_PLANNER, type Placement } from './placement.ts'
import { NO_REBALANCING, PAIRWISE, REBALANCERS, type Rebalancer } from './rebalancing.ts'
import { simulate, TWO_WAY_MIN_SHARE, type RunOutcome } from './simulate.ts'
import { scenario, type StormShape, type WorkloadShape } from './workload.ts'

export interface LiquidityConfig {
  storm: StormShape
  work: WorkloadShape
  seeds: number[]
}

/** The metrics compared between strategies; `lowerIsBetter` ones read the other way. */
const METRICS = [
  { key: 'successRate', label: 'success', lowerIsBetter: false },
  { key: 'volumeRate', label: 'volume', lowerIsBetter: false },
  { key: 'twoWayShare', label: 'two-way', lowerIsBetter: false },
  { key: 'routedCapacityShare', label: 'cap. routed', lowerIsBetter: false },
  { key: 'turnover', label: 'turnover', lowerIsBetter: false },
  { key: 'feePpm', label: 'fee ppm', lowerIsBetter: true }
] as const
type MetricKey = typeof METRICS[number]['key']

/** A comparison of two strategy pairs, per seed. */
export interface LiquidityRatio {
  subject: { placement: string, rebalancing: string }
  baseline: { placement: string, rebalancing: string }
  /** subject ÷ baseline per metric, summarized over seeds; null when a side is not built yet. */
  metrics: Record<MetricKey, Summary> | null
}

export interface LiquidityFigures {
  runs: RunOutcome[]
  /** Every strategy pair, with `built: false` for the ones Storm does not have yet. */
  strategies: Array<{ placement: string, rebalancing: string, built: boolean, describe: string }>
  ratios: LiquidityRatio[]
  rules: Pick<StormRules, 'minChannelSize' | 'maxChannelSize' | 'maxChannelsPerAllocation' | 'defaultBaseFeeMsat' | 'defaultFeeRatePpm'>
}

const WORK: WorkloadShape = {
  rounds: 10, paymentsPerRound: 1000, hubShare: 0.05, toHub: 0.4, fromHub: 0.2, minAmount: 2_000, maxAmount: 500_000, feeLimit: 0.01
}
const STORM: StormShape = { members: 200, fundedShare: 0.8, minBudget: 1_000_000, maxBudget: 20_000_000, maxRequests: 3 }

export const LIQUIDITY: Bench<LiquidityConfig, LiquidityFigures> = {
  name: 'liquidity',
  title: 'Liquidity: payment success and liquidity use of a simulated Storm',
  presets: {
    tiny: { storm: { ...STORM, members: 12 }, work: { ...WORK, rounds: 2, paymentsPerRound: 30 }, seeds: [1] },
    default: { storm: STORM, work: WORK, seeds: [1, 2, 3, 4, 5] },
    full: { storm: { ...STORM, members: 3000 }, work: { ...WORK, rounds: 5, paymentsPerRound: 3000 }, seeds: [1] }
  },
  async run (config, progress) {
    const start = process.hrtime.bigint()
    const rules = defaultRules()
    const runs: RunOutcome[] = []
    for (const seed of config.seeds) {
      const sc = scenario(seed, config.storm, config.work)
      for (const placement of PLACEMENTS) {
        for (const rebalancer of REBALANCERS) {
          if (!rebalancer.built) continue
          const run = simulate(sc, placement, rebalancer, rules, config.work)
          progress(`liquidity: seed ${seed}, ${placement.name} + ${rebalancer.name}: ${percent(run.successRate)} in ${sig(run.seconds)} s`)
          runs.push(run)
          // let other work (and a Ctrl-C) in between runs
          await new Promise(resolve => setImmediate(resolve))
        }
      }
    }
    const ratios = comparisons().map(([subject, baseline]) => compare(runs, subject, baseline))
    const figures: LiquidityFigures = {
      runs,
      strategies: PLACEMENTS.flatMap(p => REBALANCERS.filter(r => r.built || p === STORM_PLANNER).map(r => ({
        placement: p.name, rebalancing: r.name, built: r.built, describe: `${p.describe}; ${r.describe}`
      }))),
      ratios,
      rules: {
        minChannelSize: rules.minChannelSize,
        maxChannelSize: rules.maxChannelSize,
        maxChannelsPerAllocation: rules.maxChannelsPerAllocation,
        defaultBaseFeeMsat: rules.defaultBaseFeeMsat,
        defaultFeeRatePpm: rules.defaultFeeRatePpm
      }
    }
    return {
      name: 'liquidity',
      title: LIQUIDITY.title,
      config,
      figures,
      tables: tables(config, figures),
      notes: notes(config, rules),
      seconds: Number(process.hrtime.bigint() - start) / 1e9
    }
  }
}

type Pair = [Placement, Rebalancer]

/** What is compared: Storm's planner against each baseline placement, per rebalancing; then rebalancers. */
function comparisons (): Array<[Pair, Pair]> {
  const out: Array<[Pair, Pair]> = []
  for (const rebalancer of [NO_REBALANCING, PAIRWISE]) {
    for (const baseline of PLACEMENTS.filter(p => p !== STORM_PLANNER)) out.push([[STORM_PLANNER, rebalancer], [baseline, rebalancer]])
  }
  const circular = REBALANCERS.find(r => !r.built)
  if (circular !== undefined) out.push([[STORM_PLANNER, circular], [STORM_PLANNER, PAIRWISE]])
  out.push([[STORM_PLANNER, PAIRWISE], [STORM_PLANNER, NO_REBALANCING]])
  return out
}

function compare (runs: RunOutcome[], [sp, sr]: Pair, [bp, br]: Pair): LiquidityRatio {
  const label = { subject: { placement: sp.name, rebalancing: sr.name }, baseline: { placement: bp.name, rebalancing: br.name } }
  if (!sr.built || !br.built) return { ...label, metrics: null }
  const subject = runs.filter(r => r.placement === sp.name && r.rebalancing === sr.name)
  const baseline = runs.filter(r => r.placement === bp.name && r.rebalancing === br.name)
  const metrics = {} as Record<MetricKey, Summary>
  for (const { key } of METRICS) {
    metrics[key] = summarize(subject.map(s => {
      const b = baseline.find(x => x.seed === s.seed)!
      return ratio(s[key], b[key])
    }))
  }
  return { ...label, metrics }
}

function tables (config: LiquidityConfig, figures: LiquidityFigures): Table[] {
  const spread = config.seeds.length > 1 ? ` — median over ${config.seeds.length} seeds (min–max)` : ''
  const of = (p: string, r: string, key: keyof RunOutcome): Summary =>
    summarize(figures.runs.filter(x => x.placement === p && x.rebalancing === r).map(x => x[key] as number))
  const share = (s: Summary): string => config.seeds.length > 1 ? percentSpread(s) : percent(s.median)
  const plain = (s: Summary): string => config.seeds.length > 1 ? `${sig(s.median)} (${sig(s.min)}–${sig(s.max)})` : sig(s.median)
  const whole = (s: Summary): string => config.seeds.length > 1 ? `${count(s.median)} (${count(s.min)}–${count(s.max)})` : count(s.median)
  const paymentRows: string[][] = []
  const useRows: string[][] = []
  for (const s of figures.strategies) {
    if (!s.built) {
      paymentRows.push([s.placement, s.rebalancing, 'not built yet', '', '', '', ''])
      useRows.push([s.placement, s.rebalancing, 'not built yet', '', '', '', ''])
      continue
    }
    const m = (key: keyof RunOutcome) => of(s.placement, s.rebalancing, key)
    paymentRows.push([s.placement, s.rebalancing, share(m('successRate')), share(m('lastRoundSuccess')), share(m('volumeRate')), plain(m('feePpm')), plain(m('attempts'))])
    useRows.push([s.placement, s.rebalancing, share(m('twoWayShare')), share(m('routedCapacityShare')), plain(m('turnover')), whole(m('isolated')), whole(m('unplaced'))])
  }
  const first = figures.runs[0]
  const size = first === undefined ? '' : `${count(first.members)} members, ${count(first.channels)} channels (seed ${first.seed}), ${count(first.payments)} payments per run`
  return [
    {
      title: `Payments${spread}`,
      columns: ['placement', 'rebalancing', 'success', 'last round', 'volume delivered', 'fee ppm', 'attempts'],
      rows: paymentRows,
      notes: [size, 'success: payments delivered / tried; last round: the same in the final round; volume: sats delivered / sats asked; fee ppm: routing fees per delivered sat']
    },
    {
      title: `Liquidity use${spread}`,
      columns: ['placement', 'rebalancing', 'two-way channels', 'capacity routed', 'turnover', 'isolated', 'unplaced'],
      rows: useRows,
      notes: [
        `two-way: channels each of whose sides holds ≥ ${percent(TWO_WAY_MIN_SHARE)} at the end; capacity routed: share of capacity in channels that carried a payment`,
        'turnover: sats delivered per sat of capacity; isolated: members with no channel; unplaced: addfunds requests the placement refused'
      ]
    },
    {
      title: 'Ratios, subject ÷ baseline on the same seed, members and payments — median (min–max) over seeds',
      columns: ['subject', 'baseline', ...METRICS.map(m => m.label)],
      rows: figures.ratios.map(r => [
        `${r.subject.placement} + ${r.subject.rebalancing}`,
        `${r.baseline.placement} + ${r.baseline.rebalancing}`,
        ...(r.metrics === null ? ['not built yet', ...METRICS.slice(1).map(() => '')] : METRICS.map(m => times(r.metrics![m.key])))
      ]),
      notes: ['> ×1 means the subject does better on every column except fee ppm, where < ×1 is better']
    }
  ]
}

function notes (config: LiquidityConfig, rules: StormRules): string[] {
  const { storm, work } = config
  return [
    `Storm: ${storm.members} members, ${percent(storm.fundedShare)} bring ${count(storm.minBudget)}–${count(storm.maxBudget)} sats (log-uniform) in 1–${storm.maxRequests} addfunds requests; the rest are newcomers with no funds.`,
    `Every placement uses the planner's sizes (≤ ${rules.maxChannelsPerAllocation} channels per request, ${count(rules.minChannelSize)}–${count(rules.maxChannelSize)} sats, equal split); channels open with all funds on the funder's side and charge the Storm's default fee (${rules.defaultBaseFeeMsat} msat + ${rules.defaultFeeRatePpm} ppm).`,
    `Payments: ${work.rounds} rounds × ${work.paymentsPerRound}; ${percent(work.hubShare)} of members are hubs of demand (${percent(work.toHub)} of payments go to one, ${percent(work.fromHub)} come from one); amounts ${count(work.minAmount)}–${count(work.maxAmount)} sats skewed small; fee limit ${percent(work.feeLimit)}.`,
    ...PLACEMENTS.map(p => `${p.name}: ${p.describe}.`),
    ...REBALANCERS.map(r => `${r.name}: ${r.describe}.`)
  ]
}
