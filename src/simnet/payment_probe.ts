/**
 * A seeded payment workload between some of a network's nodes, to measure how often payments
 * succeed (before, during and after a member leaves, say). Each payment goes between two different
 * nodes of `keys`, picked by the seeded generator, for an amount between the bounds; the router is
 * the simulated network's own (`SimNetwork.pay`). Payments move balances, as real ones would.
 */
import type { SimNetwork } from './sim_network.ts'
import type { Prng } from './prng.ts'

export interface ProbePayment {
  from: string
  to: string
  amount: number
  ok: boolean
}

export interface ProbeOutcome {
  attempted: number
  succeeded: number
  /** succeeded ÷ attempted (1 when nothing was attempted). */
  rate: number
}

export interface ProbeOptions {
  count: number
  minAmount: number
  maxAmount: number
  /** Fee limit as a share of the amount (default 1 %). */
  feeShare?: number
}

/** Makes `count` payments among `keys` (at least two), one after the other; says how each went. */
export function probePayments (network: SimNetwork, keys: readonly string[], prng: Prng, o: ProbeOptions): ProbePayment[] {
  if (keys.length < 2) throw new Error('probePayments: at least two nodes')
  const out: ProbePayment[] = []
  for (let i = 0; i < o.count; i++) {
    const from = prng.int(keys.length)
    const to = (from + 1 + prng.int(keys.length - 1)) % keys.length
    const amount = o.minAmount + prng.int(o.maxAmount - o.minAmount + 1)
    const r = network.pay(keys[from]!, keys[to]!, amount, { maxFee: Math.ceil(amount * (o.feeShare ?? 0.01)) })
    out.push({ from: keys[from]!, to: keys[to]!, amount, ok: r.ok })
  }
  return out
}

/** How many of `payments` arrived. */
export function successOf (payments: readonly ProbePayment[]): ProbeOutcome {
  const succeeded = payments.filter(p => p.ok).length
  return { attempted: payments.length, succeeded, rate: payments.length === 0 ? 1 : succeeded / payments.length }
}
