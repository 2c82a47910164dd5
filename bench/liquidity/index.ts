/**
 * The headline bench: how well a Storm's liquidity carries a payment workload, with Storm's
 * planner placing the channels against random placement and LND-autopilot-style preferential
 * attachment, each with no rebalancing and with Tightrope's pairwise rebalancing (Storm's own
 * circular rebalancing is listed as not built yet). Two Storm shapes (well funded, and thin with
 * many newcomers), several seeds; ratios are per seed: same members, requests and payments.
 */
import { defaultRules } from '../../src/manager/rules.ts'
import { percent, sig } from '../lib/format.ts'
import { ratio, summarize, type Summary } from '../lib/stats.ts'
import type { Bench } from '../lib/types.ts'
import { PLACEMENTS, STORM_PLANNER, type Placement } from './placement.ts'
import { NO_REBALANCING, PAIRWISE, REBALANCERS, type Rebalancer } from './rebalancing.ts'
import { simulate, type RunOutcome } from './simulate.ts'
import { METRICS, notes, tables, type MetricKey } from './tables.ts'
import { scenario, type StormShape, type WorkloadShape } from './workload.ts'

/** A Storm shape with the name the tables give it. */
export interface NamedStorm {
  label: string
  shape: StormShape
}

export interface LiquidityConfig {
  storms: NamedStorm[]
  work: WorkloadShape
  seeds: number[]
}

/** A comparison of two strategy pairs, per seed. */
export interface LiquidityRatio {
  subject: { placement: string, rebalancing: string }
  baseline: { placement: string, rebalancing: string }
  /** subject ÷ baseline per metric, summarized over seeds; null when a side is not built yet. */
  metrics: Record<MetricKey, Summary> | null
}

/** What one Storm shape gave. */
export interface StormFigures {
  label: string
  shape: StormShape
  runs: RunOutcome[]
  ratios: LiquidityRatio[]
}

/** A strategy pair as listed, with `built: false` for the ones Storm does not have yet. */
export interface Strategy {
  placement: string
  rebalancing: string
  built: boolean
  describe: string
}

export interface LiquidityFigures {
  storms: StormFigures[]
  strategies: Strategy[]
}

const WORK: WorkloadShape = {
  rounds: 10, paymentsPerRound: 1000, hubShare: 0.05, toHub: 0.4, fromHub: 0.2, minAmount: 2_000, maxAmount: 500_000, feeLimit: 0.01
}
/** Most members bring funds, over several requests: about six channels per member. */
const FUNDED: StormShape = { members: 200, fundedShare: 0.8, minBudget: 1_000_000, maxBudget: 20_000_000, maxRequests: 3 }
/** Half the members are newcomers, the others make one request: about two channels per member. */
const THIN: StormShape = { ...FUNDED, fundedShare: 0.5, maxRequests: 1 }
const storms = (members: number): NamedStorm[] => [
  { label: 'well-funded Storm', shape: { ...FUNDED, members } },
  { label: 'thin Storm', shape: { ...THIN, members } }
]

export const LIQUIDITY: Bench<LiquidityConfig, LiquidityFigures> = {
  name: 'liquidity',
  title: 'Liquidity: payment success and liquidity use of a simulated Storm',
  presets: {
    tiny: { storms: storms(12), work: { ...WORK, rounds: 2, paymentsPerRound: 30 }, seeds: [1] },
    default: { storms: storms(200), work: WORK, seeds: [1, 2, 3, 4, 5] },
    full: { storms: storms(3000), work: { ...WORK, rounds: 4, paymentsPerRound: 2500 }, seeds: [1] }
  },
  async run (config, progress) {
    const start = process.hrtime.bigint()
    const rules = defaultRules()
    const out: StormFigures[] = []
    for (const { label, shape } of config.storms) {
      const runs: RunOutcome[] = []
      for (const seed of config.seeds) {
        const sc = scenario(seed, shape, config.work)
        for (const placement of PLACEMENTS) {
          for (const rebalancer of REBALANCERS.filter(r => r.built)) {
            const run = simulate(sc, placement, rebalancer, rules, config.work)
            progress(`liquidity: ${label}, seed ${seed}, ${placement.name} + ${rebalancer.name}: ${percent(run.successRate)} in ${sig(run.seconds)} s`)
            runs.push(run)
            // let other work (and a Ctrl-C) in between runs
            await new Promise(resolve => setImmediate(resolve))
          }
        }
      }
      out.push({ label, shape, runs, ratios: comparisons().map(([subject, baseline]) => compare(runs, subject, baseline)) })
    }
    const figures: LiquidityFigures = {
      storms: out,
      strategies: PLACEMENTS.flatMap(p => REBALANCERS.filter(r => r.built || p === STORM_PLANNER).map(r => ({
        placement: p.name, rebalancing: r.name, built: r.built, describe: `${p.describe}; ${r.describe}`
      })))
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
  for (const missing of REBALANCERS.filter(r => !r.built)) out.push([[STORM_PLANNER, missing], [STORM_PLANNER, PAIRWISE]])
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
