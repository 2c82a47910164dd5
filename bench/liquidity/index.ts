/**
 * The headline bench: how well a Storm's liquidity carries a payment workload, every strategy on
 * the same seeded scenario in one run — Storm's placement with Storm's collective circular
 * rebalancing, Storm's placement alone, random placement, LND-autopilot-style preferential
 * attachment, and fund-neutral pairwise rebalancing — against the limits the liquidity sets (the
 * max-flow oracle on the balances of the moment, and the capacity-only bound of each placement).
 * Ratios are per seed: same members, requests and payments.
 */
import { defaultRules } from '../../src/manager/rules.ts'
import { percent, sig } from '../lib/format.ts'
import { ratio, summarize, type Summary } from '../lib/stats.ts'
import type { Bench } from '../lib/types.ts'
import { writeChart } from './chart.ts'
import { bounds, type OracleOutcome } from './oracle.ts'
import { PLACEMENTS, PREFERENTIAL_ATTACHMENT, RANDOM_PLACEMENT, STORM_PLANNER, type Placement } from './placement.ts'
import { NO_REBALANCING, PAIRWISE_NEUTRAL, REBALANCERS, STORM_CIRCULAR, type Rebalancer } from './rebalancing.ts'
import { simulate, type RunOutcome } from './simulate.ts'
import { METRICS, notes, tables, targets, type MetricKey, type Target } from './tables.ts'
import { scenario, type StormShape, type WorkloadShape } from './workload.ts'

/** A Storm shape with the name the tables give it. */
export interface NamedStorm {
  label: string
  shape: StormShape
  /** Thin Storms carry the placement targets (×1.3 random, ×1.15 autopilot). */
  thin: boolean
}

export interface LiquidityConfig {
  storms: NamedStorm[]
  work: WorkloadShape
  seeds: number[]
  /** Where to write the PNG chart of success against load; null for none. */
  chart: string | null
}

/** A comparison of two strategy pairs, per seed. */
export interface LiquidityRatio {
  subject: { placement: string, rebalancing: string }
  baseline: { placement: string, rebalancing: string }
  /** subject ÷ baseline per metric, summarized over seeds. */
  metrics: Record<MetricKey, Summary>
}

/** What one Storm shape gave. */
export interface StormFigures {
  label: string
  shape: StormShape
  thin: boolean
  runs: RunOutcome[]
  bounds: OracleOutcome[]
  ratios: LiquidityRatio[]
  targets: Target[]
}

/** A strategy pair as listed. */
export interface Strategy {
  placement: string
  rebalancing: string
  describe: string
}

export interface LiquidityFigures {
  storms: StormFigures[]
  strategies: Strategy[]
  /** The chart written, if any. */
  chart: string | null
}

const WORK: WorkloadShape = {
  rounds: 10, paymentsPerRound: 1000, hubShare: 0.05, toHub: 0.4, fromHub: 0.2, minAmount: 2_000, maxAmount: 500_000, feeLimit: 0.01, roundSeconds: 3600
}
/** Most members bring funds, over several requests: about six channels per member. */
const FUNDED: StormShape = { members: 200, fundedShare: 0.8, minBudget: 1_000_000, maxBudget: 20_000_000, maxRequests: 3 }
/** Half the members are newcomers, the others make one request: about two channels per member. */
const THIN: StormShape = { ...FUNDED, fundedShare: 0.5, maxRequests: 1 }
const storms = (members: number): NamedStorm[] => [
  { label: `well-funded Storm, ${members} members`, shape: { ...FUNDED, members }, thin: false },
  { label: `thin Storm, ${members} members`, shape: { ...THIN, members }, thin: true }
]

export const LIQUIDITY: Bench<LiquidityConfig, LiquidityFigures> = {
  name: 'liquidity',
  title: 'Liquidity: payment success of a simulated Storm against the max-flow limit',
  presets: {
    tiny: { storms: storms(12), work: { ...WORK, rounds: 3, paymentsPerRound: 30 }, seeds: [1], chart: null },
    default: { storms: [...storms(50), ...storms(500)], work: WORK, seeds: [1, 2, 3, 4, 5], chart: 'bench/results/liquidity.png' },
    full: { storms: storms(3000), work: { ...WORK, rounds: 4, paymentsPerRound: 2500 }, seeds: [1], chart: 'bench/results/liquidity-full.png' }
  },
  async run (config, progress) {
    const start = process.hrtime.bigint()
    const rules = defaultRules()
    const out: StormFigures[] = []
    for (const { label, shape, thin } of config.storms) {
      const runs: RunOutcome[] = []
      const limits: OracleOutcome[] = []
      for (const seed of config.seeds) {
        const sc = scenario(seed, shape, config.work)
        for (const placement of PLACEMENTS) {
          const b = bounds(sc, placement, rules)
          limits.push(b)
          progress(`liquidity: ${label}, seed ${seed}, ${placement.name}: oracle ${percent(b.oracle.successRate)}, capacity bound ${percent(b.capacity.successRate)}`)
          for (const rebalancer of REBALANCERS) {
            const run = simulate(sc, placement, rebalancer, rules, config.work)
            progress(`liquidity: ${label}, seed ${seed}, ${placement.name} + ${rebalancer.name}: ${percent(run.successRate)} in ${sig(run.seconds)} s`)
            runs.push(run)
            // let other work (and a Ctrl-C) in between runs
            await new Promise(resolve => setImmediate(resolve))
          }
        }
      }
      const ratios = COMPARISONS.map(([subject, baseline]) => compare(runs, subject, baseline))
      out.push({ label, shape, thin, runs, bounds: limits, ratios, targets: targets(runs, limits, thin) })
    }
    const figures: LiquidityFigures = {
      storms: out,
      strategies: PLACEMENTS.flatMap(p => REBALANCERS.map(r => ({ placement: p.name, rebalancing: r.name, describe: `${p.describe}; ${r.describe}` }))),
      chart: config.chart
    }
    if (config.chart !== null) writeChart(config.chart, figures, config.work)
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

/** What is compared: Storm (placement + circular) against each other strategy, then placements alone. */
const COMPARISONS: Array<[Pair, Pair]> = [
  [[STORM_PLANNER, STORM_CIRCULAR], [STORM_PLANNER, NO_REBALANCING]],
  [[STORM_PLANNER, STORM_CIRCULAR], [STORM_PLANNER, PAIRWISE_NEUTRAL]],
  [[STORM_PLANNER, STORM_CIRCULAR], [RANDOM_PLACEMENT, NO_REBALANCING]],
  [[STORM_PLANNER, STORM_CIRCULAR], [PREFERENTIAL_ATTACHMENT, NO_REBALANCING]],
  [[STORM_PLANNER, STORM_CIRCULAR], [RANDOM_PLACEMENT, STORM_CIRCULAR]],
  [[STORM_PLANNER, STORM_CIRCULAR], [PREFERENTIAL_ATTACHMENT, STORM_CIRCULAR]],
  [[STORM_PLANNER, NO_REBALANCING], [RANDOM_PLACEMENT, NO_REBALANCING]],
  [[STORM_PLANNER, NO_REBALANCING], [PREFERENTIAL_ATTACHMENT, NO_REBALANCING]],
  [[STORM_PLANNER, PAIRWISE_NEUTRAL], [STORM_PLANNER, NO_REBALANCING]]
]

function compare (runs: RunOutcome[], [sp, sr]: Pair, [bp, br]: Pair): LiquidityRatio {
  const subject = runs.filter(r => r.placement === sp.name && r.rebalancing === sr.name)
  const baseline = runs.filter(r => r.placement === bp.name && r.rebalancing === br.name)
  const metrics = {} as Record<MetricKey, Summary>
  for (const { key } of METRICS) {
    metrics[key] = summarize(subject.map(s => {
      const b = baseline.find(x => x.seed === s.seed)!
      return ratio(s[key], b[key])
    }))
  }
  return { subject: { placement: sp.name, rebalancing: sr.name }, baseline: { placement: bp.name, rebalancing: br.name }, metrics }
}
