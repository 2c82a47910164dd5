/**
 * A Storm on the simulated network: members as simnet nodes, channels opened by a placement
 * strategy request by request, and the views the metrics and rebalancers read.
 */
import type { StormRules } from '../../src/manager/rules.ts'
import { SimNetwork } from '../../src/simnet/index.ts'
import { createPrng } from '../../src/simnet/index.ts'
import type { Placement, StormPicture } from './placement.ts'
import type { Scenario } from './workload.ts'

/** One Storm channel: `a` funded it (and held all of it at the open). */
export interface StormChannel {
  a: number
  b: number
  capacity: number
  /** Short channel id on the simulated network. */
  id: string
}

/** A built Storm. */
export interface SimStorm {
  network: SimNetwork
  keys: string[]
  indexOfKey: Map<string, number>
  channels: StormChannel[]
  /** Channel index by the unordered pair of its ends (`pairKey`). */
  byPair: Map<number, number>
  /** Requests the placement could not place (the planner's errors). */
  unplaced: number
}

const FROZEN_CLOCK = { now: () => 0, schedule: () => () => {} }

/**
 * Builds the Storm of `scenario` with `placement`: each request is placed on the picture left
 * by the ones before it, and its channels open at once, all funds on the funder's side.
 * Channels charge the Storm's default fee (the consensus until members vote).
 */
export function buildStorm (scenario: Scenario, placement: Placement, rules: StormRules): SimStorm {
  const n = scenario.budgets.length
  const network = SimNetwork.create({
    seed: `storm-bench:${scenario.seed}`,
    clock: FROZEN_CLOCK,
    recordForwards: false,
    defaultPolicy: { baseFeeMsat: rules.defaultBaseFeeMsat, feeRatePpm: rules.defaultFeeRatePpm, cltvDelta: 80 }
  })
  const keys: string[] = []
  for (let i = 0; i < n; i++) keys.push(network.addNode(`member${i}`, { onchain: scenario.budgets[i]! }).publicKey)
  const members = keys.map((_, i) => `m${i}`)
  const picture: StormPicture & { inbound: number[], channels: number[], peers: Array<Set<number>>, funds: number[], edges: Array<{ a: number, b: number, balA: number, balB: number }> } = {
    members,
    indexOf: new Map(members.map((m, i) => [m, i])),
    nodeKeys: keys,
    inbound: new Array<number>(n).fill(0),
    channels: new Array<number>(n).fill(0),
    peers: Array.from({ length: n }, () => new Set<number>()),
    funds: [...scenario.budgets],
    edges: []
  }
  const storm: SimStorm = { network, keys, indexOfKey: new Map(keys.map((k, i) => [k, i])), channels: [], byPair: new Map(), unplaced: 0 }
  // the baselines draw from their own stream, so the Storm planner's runs consume none of it
  const rng = createPrng(`storm-bench-placement:${scenario.seed}:${placement.name}`)
  for (const request of scenario.requests) {
    const placed = placement.place(request, picture, rules, rng)
    if (placed === null) {
      storm.unplaced++
      continue
    }
    for (const { peer, capacity } of placed) {
      const a = request.member
      const opened = network.openChannelNow(keys[a]!, keys[peer]!, capacity)
      storm.byPair.set(pairKey(a, peer, n), storm.channels.length)
      storm.channels.push({ a, b: peer, capacity, id: opened.id })
      picture.inbound[peer]! += capacity
      picture.funds[a]! -= capacity
      picture.edges.push({ a, b: peer, balA: capacity, balB: 0 })
      picture.channels[a]!++
      picture.channels[peer]!++
      picture.peers[a]!.add(peer)
      picture.peers[peer]!.add(a)
    }
  }
  return storm
}

/** A number naming the unordered pair {i, j} among `n` members. */
export function pairKey (i: number, j: number, n: number): number {
  return i < j ? i * n + j : j * n + i
}

/** Each channel's balance on its funder's side (`a`), in sats, by channel index. */
export function fundersBalances (storm: SimStorm): number[] {
  const out = new Array<number>(storm.channels.length).fill(0)
  const n = storm.keys.length
  for (let a = 0; a < n; a++) {
    for (const view of storm.network.channelsOf(storm.keys[a]!)) {
      const b = storm.indexOfKey.get(view.peer)!
      const c = storm.byPair.get(pairKey(a, b, n))
      if (c !== undefined && storm.channels[c]!.a === a) out[c] = view.localBalance
    }
  }
  return out
}

/** How many members have no channel at all. */
export function isolatedMembers (storm: SimStorm): number {
  const touched = new Uint8Array(storm.keys.length)
  for (const ch of storm.channels) {
    touched[ch.a] = 1
    touched[ch.b] = 1
  }
  return touched.reduce((s, t) => s + (t === 0 ? 1 : 0), 0)
}

/** Each channel's capacity, funder's balance and reserve (each side's), by channel index. */
export function channelStates (storm: SimStorm): Array<{ capacity: number, balA: number, reserve: number }> {
  const out = storm.channels.map(ch => ({ capacity: ch.capacity, balA: 0, reserve: 0 }))
  const n = storm.keys.length
  for (let a = 0; a < n; a++) {
    for (const view of storm.network.channelsOf(storm.keys[a]!)) {
      const b = storm.indexOfKey.get(view.peer)!
      const c = storm.byPair.get(pairKey(a, b, n))
      if (c !== undefined && storm.channels[c]!.a === a) out[c] = { capacity: view.capacity, balA: view.localBalance, reserve: view.localReserve }
    }
  }
  return out
}
