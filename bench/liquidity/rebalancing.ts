/**
 * What happens to channel balances between payment rounds. Storm's own rebalancer (circular
 * payments planned by the manager) is not built yet: it is listed so the output says so, and so
 * its row fills in once it exists. Pairwise rebalancing is Tightrope's documented model, kept
 * here as a baseline only.
 */
import type { SimStorm } from './sim_storm.ts'
import { fundersBalances } from './sim_storm.ts'

/** What a rebalancing pass did. */
export interface RebalanceStats {
  payments: number
  failed: number
  /** Sats moved by rebalancing payments. */
  moved: number
  /** Fees they paid, sats. */
  fees: number
}

/** A rebalancing strategy, run between payment rounds. */
export interface Rebalancer {
  name: string
  describe: string
  /** False for a strategy Storm does not have yet: listed in the output, never run. */
  built: boolean
  rebalance (storm: SimStorm): RebalanceStats
}

/** Tightrope's defaults: aim for half on each side, act only beyond ±10%. */
export const TIGHTROPE_BALANCE_POINT = 0.5
export const TIGHTROPE_DEADZONE = 0.1

/** Balances drift with the payments. */
export const NO_REBALANCING: Rebalancer = {
  name: 'none',
  describe: 'no rebalancing: balances drift with the payments',
  built: true,
  rebalance: () => ({ payments: 0, failed: 0, moved: 0, fees: 0 })
}

/**
 * Tightrope, channel by channel: when a side falls below balance point − dead zone, it invoices
 * the other side for the difference and the other side pays it over that channel (no fee).
 * Between two owners that moves money from one to the other; Storm allows it only between one
 * owner's nodes. No per-period limits here, so this is the most this model can do.
 */
export const PAIRWISE: Rebalancer = {
  name: 'pairwise',
  describe: "Tightrope's channel-by-channel invoice-and-pay (balance point 0.5, dead zone 0.1, no period limits) — moves money between owners",
  built: true,
  rebalance (storm) {
    const stats: RebalanceStats = { payments: 0, failed: 0, moved: 0, fees: 0 }
    const balances = fundersBalances(storm)
    storm.channels.forEach((ch, c) => {
      const share = balances[c]! / ch.capacity
      if (Math.abs(share - TIGHTROPE_BALANCE_POINT) <= TIGHTROPE_DEADZONE) return
      const amount = Math.floor(Math.abs(share - TIGHTROPE_BALANCE_POINT) * ch.capacity)
      if (amount <= 0) return
      // the poorer side invoices, the richer side pays, straight over this channel (maxFee 0)
      const [payer, payee] = share > TIGHTROPE_BALANCE_POINT ? [ch.a, ch.b] : [ch.b, ch.a]
      const r = storm.network.pay(storm.keys[payer]!, storm.keys[payee]!, amount, { maxFee: 0, maxAttempts: 1 })
      stats.payments++
      if (r.ok) {
        stats.moved += amount
        stats.fees += r.fee
      } else {
        stats.failed++
      }
    })
    return stats
  }
}

/** Storm's circular rebalancing, planned by the manager: a later issue. */
export const STORM_CIRCULAR: Rebalancer = {
  name: 'storm circular',
  describe: "Storm's circular rebalancing (manager-planned cycles of Storm channels): not built yet",
  built: false,
  rebalance () {
    throw new Error('storm circular rebalancing is not built yet')
  }
}

/** Every rebalancing strategy, in the order the tables list them. */
export const REBALANCERS: readonly Rebalancer[] = [NO_REBALANCING, PAIRWISE, STORM_CIRCULAR]
