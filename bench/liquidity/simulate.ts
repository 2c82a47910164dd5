/**
 * One liquidity run: build the Storm with a placement, carry the scenario's payment rounds
 * (each payment routed like LND: cheapest fee-aware route, retries, multi-part), rebalance between
 * rounds on the time model, and measure what the liquidity achieved.
 */
import type { StormRules } from '../../src/manager/rules.ts'
import type { Placement } from './placement.ts'
import { imbalancedChannels, stormGraph, type Rebalancer, type RebalanceStats } from './rebalancing.ts'
import { buildStorm, fundersBalances, isolatedMembers, pairKey } from './sim_storm.ts'
import { maxFeeOf, type Scenario, type WorkloadShape } from './workload.ts'
import { FlowGraph } from './max_flow.ts'

/** A channel counts as usable both ways while each side holds at least this share of it. */
export const TWO_WAY_MIN_SHARE = 0.1

/** What one run measured. */
export interface RunOutcome {
  placement: string
  rebalancing: string
  seed: number
  members: number
  channels: number
  /** Sats in Storm channels. */
  capacity: number
  /** Requests the placement refused. */
  unplaced: number
  /** Members left with no channel at all. */
  isolated: number
  payments: number
  succeeded: number
  /** succeeded / payments. */
  successRate: number
  /** Success rate of the last round alone: where the drift has taken the Storm. */
  lastRoundSuccess: number
  /** Success rate of each round. */
  perRound: number[]
  /** Success rate of payments to newcomers (members who brought no funds): onboarding. */
  newcomerSuccess: number
  requestedSats: number
  deliveredSats: number
  /** deliveredSats / requestedSats. */
  volumeRate: number
  /** Routing fees paid by senders, sats. */
  fees: number
  /** Fees per delivered sat, ppm. */
  feePpm: number
  /** Route attempts per payment. */
  attempts: number
  /** Share of channels each of whose sides holds ≥ TWO_WAY_MIN_SHARE at the end. */
  twoWayShare: number
  /** Share of the capacity in channels that carried at least one payment. */
  routedCapacityShare: number
  /** Delivered sats per sat of capacity over the whole run. */
  turnover: number
  /** Sats moved by rebalancing per sat of capacity. */
  rebalancedShare: number
  /** Rebalancing fees paid ÷ routing fees the members earned forwarding the workload (gross). */
  rebalanceFeeRatio: number
  /**
   * The same net of fees paid to other members: rebalancing fees that left the Storm ÷ routing
   * fees earned. Every hop of the simulated Storm is a member, so this is 0 by construction.
   */
  rebalanceFeeRatioNet: number
  /** Workload payments delivered per rebalancing payment (null with no rebalancing payment). */
  paymentsPerRebalance: number | null
  /** Channels outside balance point ± dead zone at the end. */
  imbalancedEnd: number
  /** Multi-part payments that went in more than one part. */
  multiPart: number
  /**
   * Payments whose max-flow on this run's balances of that moment (full information, any parts,
   * no fees) covered them: the per-payment oracle of this very run. Every delivered payment is
   * covered (tested), so `succeeded ÷ maxFlowCovered` ≤ 1 measures the router and
   * `maxFlowCovered ÷ payments` what the liquidity allowed at each moment.
   */
  maxFlowCovered: number
  /**
   * Failed payments whose sender could not send the amount over all its channels together, or
   * whose receiver could not receive it, on the balances of that moment. Circular rebalancing keeps
   * every member's total, so no fund-neutral rebalancer can deliver these.
   */
  endpointBound: number
  /** Failures by error code. */
  failures: Record<string, number>
  rebalance: RebalanceStats
  seconds: number
}

/** Runs `scenario` on a Storm placed by `placement`, rebalanced by `rebalancer` between rounds. */
export function simulate (scenario: Scenario, placement: Placement, rebalancer: Rebalancer, rules: StormRules, work: WorkloadShape): RunOutcome {
  const start = process.hrtime.bigint()
  const storm = buildStorm(scenario, placement, rules)
  const n = storm.keys.length
  const used = new Uint8Array(storm.channels.length)
  const failures: Record<string, number> = {}
  const session = rebalancer.start(storm, rules, { roundSeconds: work.roundSeconds })
  const flow = new FlowGraph(n, storm.channels.map(ch => [ch.a, ch.b] as const))
  const channelIds = storm.channels.map(ch => ch.id)
  const funders = storm.channels.map(ch => storm.keys[ch.a]!)
  const room = new Float64Array(2 * storm.channels.length)
  // each member's channels, by arc: the arc it sends on (2c for the funder, 2c+1 for the peer)
  const sendArcs: number[][] = storm.keys.map(() => [])
  storm.channels.forEach((ch, c) => { sendArcs[ch.a]!.push(2 * c); sendArcs[ch.b]!.push(2 * c + 1) })
  const total = (arcs: number[], flip: number): number => arcs.reduce((t, arc) => t + room[arc ^ flip]!, 0)
  let endpointBound = 0
  let covered = 0
  let multiPart = 0
  const perRound: number[] = []
  let payments = 0
  let succeeded = 0
  let requestedSats = 0
  let deliveredSats = 0
  let feeMsat = 0
  let attempts = 0
  let toNewcomers = 0
  let toNewcomersOk = 0
  scenario.rounds.forEach((round, r) => {
    if (r > 0) session.rebalance(r)
    let ok = 0
    for (const p of round) {
      // routed as LND would: the whole amount, then in parts, retrying around failures
      const result = storm.network.payMulti(storm.keys[p.from]!, storm.keys[p.to]!, p.amount, { maxFee: maxFeeOf(p.amount, work) })
      const newcomer = scenario.budgets[p.to] === 0
      if (newcomer) toNewcomers++
      payments++
      requestedSats += p.amount
      attempts += result.attempts
      if (!result.ok) {
        failures[result.code] = (failures[result.code] ?? 0) + 1
        // a failed multi-part payment moved nothing: these are the balances it was tried on
        storm.network.sendableInto(channelIds, funders, room)
        if (total(sendArcs[p.from]!, 0) < p.amount || total(sendArcs[p.to]!, 1) < p.amount) endpointBound++
        if (flow.maxFlow(p.from, p.to, room, p.amount) >= p.amount) covered++
        continue
      }
      covered++
      ok++
      if (result.parts > 1) multiPart++
      if (newcomer) toNewcomersOk++
      deliveredSats += p.amount
      feeMsat += result.feeMsat
      let prev = p.from
      for (const hop of result.hops) {
        const next = storm.indexOfKey.get(hop)!
        used[storm.byPair.get(pairKey(prev, next, n))!] = 1
        prev = next
      }
    }
    succeeded += ok
    perRound.push(round.length === 0 ? 0 : ok / round.length)
  })
  const balances = fundersBalances(storm)
  let capacity = 0
  let routedCapacity = 0
  let twoWay = 0
  storm.channels.forEach((ch, c) => {
    capacity += ch.capacity
    if (used[c] === 1) routedCapacity += ch.capacity
    const share = balances[c]! / ch.capacity
    if (share >= TWO_WAY_MIN_SHARE && share <= 1 - TWO_WAY_MIN_SHARE) twoWay++
  })
  const fees = feeMsat / 1000
  const rebalance: RebalanceStats = session.stats
  const end = stormGraph(storm, scenario.rounds.length * work.roundSeconds * 1000, { baseFeeMsat: rules.defaultBaseFeeMsat, feeRatePpm: rules.defaultFeeRatePpm })
  return {
    placement: placement.name,
    rebalancing: rebalancer.name,
    seed: scenario.seed,
    members: n,
    channels: storm.channels.length,
    capacity,
    unplaced: storm.unplaced,
    isolated: isolatedMembers(storm),
    payments,
    succeeded,
    successRate: payments === 0 ? 0 : succeeded / payments,
    lastRoundSuccess: perRound.at(-1) ?? 0,
    perRound,
    newcomerSuccess: toNewcomers === 0 ? 0 : toNewcomersOk / toNewcomers,
    requestedSats,
    deliveredSats,
    volumeRate: requestedSats === 0 ? 0 : deliveredSats / requestedSats,
    fees,
    feePpm: deliveredSats === 0 ? 0 : fees / deliveredSats * 1e6,
    attempts: payments === 0 ? 0 : attempts / payments,
    twoWayShare: storm.channels.length === 0 ? 0 : twoWay / storm.channels.length,
    routedCapacityShare: capacity === 0 ? 0 : routedCapacity / capacity,
    turnover: capacity === 0 ? 0 : deliveredSats / capacity,
    rebalancedShare: capacity === 0 ? 0 : rebalance.moved / capacity,
    rebalanceFeeRatio: fees === 0 ? 0 : rebalance.fees / fees,
    rebalanceFeeRatioNet: 0,
    paymentsPerRebalance: rebalance.payments === 0 ? null : succeeded / rebalance.payments,
    imbalancedEnd: imbalancedChannels(end, rules.rebalancing.baseSettings),
    multiPart,
    maxFlowCovered: covered,
    endpointBound,
    failures,
    rebalance,
    seconds: Number(process.hrtime.bigint() - start) / 1e9
  }
}
