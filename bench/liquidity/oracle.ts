/**
 * The limits a placement's liquidity sets, on the same scenario as the strategies:
 * - max-flow routing: each payment is sent as the max-flow from sender to receiver on the
 *   balances of that moment (full information, any number of parts, no fees), and moves those
 *   balances. Per payment nothing does better on the same balances; over a sequence it is not a
 *   bound (a greedy max-flow may drain channels a cheaper route keeps) — the per-payment oracle of
 *   each run is `RunOutcome.maxFlowCovered`;
 * - the capacity-only bound: a payment succeeds when the min-cut between its ends, counting each
 *   channel's whole capacity (less both reserves) in either direction, covers it — balances as if
 *   a perfect rebalancer had set them for this payment alone: the most any rebalancer could reach.
 */
import type { StormRules } from '../../src/manager/rules.ts'
import { FlowGraph } from './max_flow.ts'
import type { Placement } from './placement.ts'
import { buildStorm, channelStates } from './sim_storm.ts'
import type { Scenario } from './workload.ts'

/** What a bound gave on one scenario. */
export interface BoundOutcome {
  successRate: number
  volumeRate: number
  newcomerSuccess: number
  perRound: number[]
}

export interface OracleOutcome {
  placement: string
  seed: number
  oracle: BoundOutcome
  capacity: BoundOutcome
}

/** Both bounds of `placement` on `scenario`. */
export function bounds (scenario: Scenario, placement: Placement, rules: StormRules): OracleOutcome {
  const storm = buildStorm(scenario, placement, rules)
  const states = channelStates(storm)
  const graph = new FlowGraph(storm.keys.length, storm.channels.map(ch => [ch.a, ch.b] as const))
  const balances = new Float64Array(2 * storm.channels.length)
  const capacity = new Float64Array(2 * storm.channels.length)
  states.forEach((s, c) => {
    balances[2 * c] = Math.max(0, s.balA - s.reserve)
    balances[2 * c + 1] = Math.max(0, s.capacity - s.balA - s.reserve)
    capacity[2 * c] = capacity[2 * c + 1] = Math.max(0, s.capacity - 2 * s.reserve)
  })
  const oracle = tally()
  const cap = tally()
  for (const round of scenario.rounds) {
    oracle.round()
    cap.round()
    for (const p of round) {
      const newcomer = scenario.budgets[p.to] === 0
      const work = balances.slice()
      const sent = graph.maxFlow(p.from, p.to, work, p.amount)
      if (sent >= p.amount) balances.set(work)
      oracle.add(sent >= p.amount, p.amount, newcomer)
      cap.add(graph.maxFlow(p.from, p.to, capacity.slice(), p.amount) >= p.amount, p.amount, newcomer)
    }
  }
  return { placement: placement.name, seed: scenario.seed, oracle: oracle.done(), capacity: cap.done() }
}

function tally () {
  let payments = 0
  let ok = 0
  let asked = 0
  let delivered = 0
  let toNew = 0
  let toNewOk = 0
  const perRound: number[] = []
  let inRound = 0
  let okInRound = 0
  const close = (): void => { if (inRound > 0) perRound.push(okInRound / inRound) }
  return {
    round () { close(); inRound = 0; okInRound = 0 },
    add (success: boolean, amount: number, newcomer: boolean) {
      payments++
      inRound++
      asked += amount
      if (newcomer) toNew++
      if (!success) return
      ok++
      okInRound++
      delivered += amount
      if (newcomer) toNewOk++
    },
    done (): BoundOutcome {
      close()
      inRound = 0
      return { successRate: payments === 0 ? 0 : ok / payments, volumeRate: asked === 0 ? 0 : delivered / asked, newcomerSuccess: toNew === 0 ? 0 : toNewOk / toNew, perRound }
    }
  }
}
