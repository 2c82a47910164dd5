/**
 * What happens to channel balances between payment rounds, on a time model: each round of
 * payments stands for `roundSeconds` of the Storm's life, and a rebalancer acts every
 * `refreshRate` seconds of it, within Tightrope's limits (`rules.rebalancing`), paying the
 * routing fees its payments cost.
 *
 * - none: balances drift with the payments.
 * - pairwise (fund-neutral): Tightrope's trigger, channel by channel, but with the richer side's
 *   own money — it pays itself out over the drifted channel and back over a route the router
 *   picks, as single-node rebalancers do (funds stay with their owner; fees paid).
 * - storm circular: Storm's manager plans circular payments over the reconciled graph
 *   (`planRebalancing`, the code the manager runs) and each payer's node makes them. Each node's
 *   forwards are summed per outgoing channel from the start of the run, as its stormd reports
 *   them (rebalancing forwards included: the planner takes their fees out of the fees earned), so
 *   the planner weighs each payment's fee against what the liquidity it restores would earn.
 */
import type { StormRules } from '../../src/manager/rules.ts'
import { reconcileGraph, type StormGraph } from '../../src/manager/planning/storm_graph.ts'
import { outOfZone, planRebalancing, type RebalanceAttempt } from '../../src/manager/planning/plan_rebalancing.ts'
import type { RebalanceSettings } from '../../src/manager/planning/rebalance_rules.ts'
import { sideKey, type ObservedFlow } from '../../src/manager/planning/rebalance_economics.ts'
import { simReport } from '../../src/simnet/index.ts'
import type { SimStorm } from './sim_storm.ts'

/** What a rebalancer did over a run. */
export interface RebalanceStats {
  /** Rebalancing payments attempted, and those that failed. */
  payments: number
  failed: number
  /** Sats moved by rebalancing payments. */
  moved: number
  /** Fees they paid, sats. */
  fees: number
}

/** The time model the rebalancers act on. */
export interface RebalanceClock {
  /** Seconds of the Storm's life one payment round stands for. */
  roundSeconds: number
}

/** A rebalancer's state over one run. */
export interface RebalanceSession {
  /** Acts over round `r`'s span of time (between payment rounds r−1 and r). */
  rebalance (r: number): void
  stats: RebalanceStats
}

/** A rebalancing strategy. */
export interface Rebalancer {
  name: string
  describe: string
  start (storm: SimStorm, rules: StormRules, clock: RebalanceClock): RebalanceSession
}

/** Balances drift with the payments. */
export const NO_REBALANCING: Rebalancer = {
  name: 'none',
  describe: 'no rebalancing: balances drift with the payments',
  start: () => ({ rebalance () {}, stats: emptyStats() })
}

/**
 * Tightrope's rule with one owner's funds: every refreshRate, each channel side above balance
 * point + dead zone pays itself the excess (up to maxTransactionSize) out over that channel and
 * back over the cheapest other route, within its node's limits and rules.rebalancing.maxFeePpm.
 */
export const PAIRWISE_NEUTRAL: Rebalancer = {
  name: 'pairwise',
  describe: 'fund-neutral pairwise (Tightrope\'s trigger, the richer side pays itself out over the channel and back by the router\'s route, fees paid, Tightrope\'s limits)',
  start (storm, rules, clock) {
    const stats = emptyStats()
    const s = rules.rebalancing.baseSettings
    const ledgers = storm.keys.map(() => new Ledger())
    return {
      stats,
      rebalance (r) {
        for (const now of ticks(r, clock, s)) {
          for (let x = 0; x < storm.keys.length; x++) {
            for (const ch of storm.network.channelsOf(storm.keys[x]!)) {
              if (ch.localBalance <= (s.balancePoint + s.deadzone) * ch.capacity) continue
              const amount = Math.floor(Math.min(ch.localBalance - s.balancePoint * ch.capacity, s.maxTransactionSize))
              if (amount < rules.rebalancing.minAmount) continue
              const maxFee = Math.floor(amount * rules.rebalancing.maxFeePpm / 1e6)
              if (!ledgers[x]!.allows(now, amount, maxFee, s, rules.rebalancing.maxFeePerPeriod)) break
              const res = storm.network.payOut(storm.keys[x]!, ch.id, amount, { maxFee, maxAttempts: 3 })
              stats.payments++
              ledgers[x]!.add(now, res.ok ? amount : 0, res.ok ? res.fee : 0)
              if (res.ok) {
                stats.moved += amount
                stats.fees += res.feeMsat / 1000
              } else {
                stats.failed++
              }
            }
          }
        }
      }
    }
  }
}

/** Storm's collective rebalancing: the manager's planner on the graph the members would report. */
export const STORM_CIRCULAR: Rebalancer = {
  name: 'storm circular',
  describe: 'Storm\'s collective circular rebalancing: planRebalancing (src/manager/planning) on the reconciled graph and each node\'s forwards per channel every refreshRate — a payment only where what its restored liquidity is expected to earn covers minGainRatio × its fee, fees within maxFeeShare of fees earned — made by each payer\'s node',
  start (storm, rules, clock) {
    const stats = emptyStats()
    const history: RebalanceAttempt[] = []
    const s = rules.rebalancing.baseSettings
    const fees = { baseFeeMsat: rules.defaultBaseFeeMsat, feeRatePpm: rules.defaultFeeRatePpm }
    const sides = new Map<string, { amount: number, feeMsat: number }>()
    for (const key of storm.keys) {
      storm.network.node(key)!.subscribe(event => {
        if (event.type !== 'forward') return
        const side = sideKey(key, event.forward.outChannel)
        const e = sides.get(side) ?? { amount: 0, feeMsat: 0 }
        e.amount += event.forward.amount
        e.feeMsat += Number(event.forward.feeMsat)
        sides.set(side, e)
      })
    }
    return {
      stats,
      rebalance (r) {
        // the forwards of the r payment rounds so far, each standing for roundSeconds
        const flow: ObservedFlow = { windowMs: r * clock.roundSeconds * 1000, sides }
        for (const now of ticks(r, clock, s)) {
          const graph = stormGraph(storm, now, fees)
          const keep = now - Math.max(s.maxAmountPeriod, s.maxTransactionsPeriod) * 1000
          while (history.length > 0 && history[0]!.at <= keep) history.shift()
          const plan = planRebalancing({ graph, rules: rules.rebalancing, now, history, flow })
          for (const p of plan.payments) {
            const res = storm.network.payCircular(p.payer, { amount: p.amount, outgoingChannel: p.outgoingChannel, hops: p.hops, maxFee: p.maxFee }, 1)
            stats.payments++
            const senders = [p.payer, ...p.hops]
            const sides = p.channels.map((channel, k) => ({ node: senders[k]!, channel }))
            history.push({ at: now, payer: p.payer, amount: p.amount, fee: res.ok ? res.fee : 0, sides, outcome: res.ok ? 'succeeded' : 'failed' })
            if (res.ok) {
              stats.moved += p.amount
              stats.fees += res.feeMsat / 1000
            } else {
              stats.failed++
            }
          }
        }
      }
    }
  }
}

/** Every rebalancing strategy, in the order the tables list them. */
export const REBALANCERS: readonly Rebalancer[] = [NO_REBALANCING, PAIRWISE_NEUTRAL, STORM_CIRCULAR]

/** The Storm's graph as the manager would reconcile it from every member's report at `now`. */
export function stormGraph (storm: SimStorm, now: number, fees: { baseFeeMsat: string, feeRatePpm: number }): StormGraph {
  return reconcileGraph(storm.keys.map((key, i) => ({ member: `m${i}`, key, report: simReport(storm.network, key, now) })), fees)
}

/** Channels outside balance point ± dead zone, on either side. */
export function imbalancedChannels (graph: StormGraph, s: Pick<RebalanceSettings, 'balancePoint' | 'deadzone'>): number {
  return graph.channels.filter(ch => outOfZone(ch.balA, ch.capacity, s) || outOfZone(ch.balB, ch.capacity, s)).length
}

/** The times (ms) a rebalancer acts at in round `r`'s span: every refreshRate. */
function ticks (r: number, clock: RebalanceClock, s: RebalanceSettings): number[] {
  const out: number[] = []
  const start = (r - 1) * clock.roundSeconds * 1000
  for (let t = 0; t < clock.roundSeconds; t += s.refreshRate) out.push(start + t * 1000)
  return out
}

function emptyStats (): RebalanceStats {
  return { payments: 0, failed: 0, moved: 0, fees: 0 }
}

/** One node's rebalancing payments, for Tightrope's per-node limits. */
class Ledger {
  readonly #entries: Array<{ at: number, amount: number, fee: number }> = []

  allows (now: number, amount: number, fee: number, s: RebalanceSettings, maxFeePerPeriod: number): boolean {
    if (amount > s.maxTransactionSize) return false
    let count = 0
    let moved = 0
    let paid = 0
    let last = -Infinity
    for (const e of this.#entries) {
      last = Math.max(last, e.at)
      if (e.at > now - s.maxTransactionsPeriod * 1000) count++
      if (e.at > now - s.maxAmountPeriod * 1000) { moved += e.amount; paid += e.fee }
    }
    return now - last >= s.minTimeBetweenPayments * 1000 && count < s.maxTransactionsPerPeriod &&
      moved + amount <= s.maxAmountPerPeriod && paid + fee <= maxFeePerPeriod
  }

  add (at: number, amount: number, fee: number): void {
    this.#entries.push({ at, amount, fee })
  }
}
