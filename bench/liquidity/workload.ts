/**
 * The Storm a liquidity run simulates and the payments it must carry, both a pure function of the
 * seed, so every placement and rebalancing strategy faces exactly the same members, budgets,
 * request order and payments.
 */
import { createPrng, type Prng } from '../../src/simnet/index.ts'
import type { PlacementRequest } from './placement.ts'

/** The members and what they ask for. */
export interface StormShape {
  /** How many members. */
  members: number
  /** Share of members who bring funds; the others are newcomers with none (onboarding). */
  fundedShare: number
  /** A funded member's budget is log-uniform in [minBudget, maxBudget] sats. */
  minBudget: number
  maxBudget: number
  /** A budget is added in 1..maxRequests `addfunds` requests, interleaved with everyone's. */
  maxRequests: number
}

/** The payments. */
export interface WorkloadShape {
  rounds: number
  paymentsPerRound: number
  /** Share of members who are hubs of demand (shops, exchanges). */
  hubShare: number
  /** Chance that a payment's receiver is a hub, and that its sender is one (else uniform). */
  toHub: number
  fromHub: number
  /** Amounts are skewed toward small: min × (max/min)^(u²), u uniform. */
  minAmount: number
  maxAmount: number
  /** The most a payment may pay in fees, as a share of its amount (at least 10 sats). */
  feeLimit: number
  /** Seconds of the Storm's life one round of payments stands for (rebalancers' time model). */
  roundSeconds: number
}

/** One payment to try. */
export interface Payment {
  from: number
  to: number
  amount: number
}

/** Everything a run needs, drawn from one seed. */
export interface Scenario {
  seed: number
  budgets: number[]
  /** `addfunds` requests in the order they reach the manager. */
  requests: PlacementRequest[]
  hubs: number[]
  rounds: Payment[][]
}

/** Draws the scenario of `seed`. */
export function scenario (seed: number, storm: StormShape, work: WorkloadShape): Scenario {
  const rng = createPrng(`storm-bench-liquidity:${seed}`)
  const n = storm.members
  const order = shuffle(Array.from({ length: n }, (_, i) => i), rng)
  const funded = new Set(order.slice(0, Math.round(n * storm.fundedShare)))
  const budgets = Array.from({ length: n }, (_, i) => funded.has(i) ? logUniform(storm.minBudget, storm.maxBudget, rng) : 0)
  const requests: PlacementRequest[] = []
  for (let i = 0; i < n; i++) {
    if (budgets[i] === 0) continue
    const parts = 1 + rng.int(storm.maxRequests)
    const each = Math.floor(budgets[i]! / parts)
    for (let p = 0; p < parts; p++) requests.push({ member: i, amount: p === 0 ? budgets[i]! - each * (parts - 1) : each })
  }
  shuffle(requests, rng)
  const hubs = shuffle(Array.from({ length: n }, (_, i) => i), rng).slice(0, Math.max(1, Math.round(n * work.hubShare)))
  const rounds: Payment[][] = []
  for (let r = 0; r < work.rounds; r++) {
    const round: Payment[] = []
    for (let k = 0; k < work.paymentsPerRound; k++) round.push(payment(n, hubs, work, rng))
    rounds.push(round)
  }
  return { seed, budgets, requests, hubs, rounds }
}

/** The fee limit of a payment, in sats. */
export function maxFeeOf (amount: number, work: WorkloadShape): number {
  return Math.max(10, Math.ceil(amount * work.feeLimit))
}

function payment (n: number, hubs: number[], work: WorkloadShape, rng: Prng): Payment {
  const pick = (hubChance: number): number => rng.float() < hubChance ? hubs[rng.int(hubs.length)]! : rng.int(n)
  const to = pick(work.toHub)
  let from = pick(work.fromHub)
  while (from === to) from = rng.int(n)
  const u = rng.float()
  const amount = Math.round(work.minAmount * Math.pow(work.maxAmount / work.minAmount, u * u))
  return { from, to, amount }
}

function logUniform (min: number, max: number, rng: Prng): number {
  return Math.round(min * Math.pow(max / min, rng.float()))
}

function shuffle<T> (items: T[], rng: Prng): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(i + 1)
    const t = items[i]!
    items[i] = items[j]!
    items[j] = t
  }
  return items
}
