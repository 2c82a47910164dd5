/**
 * Rebalancing rules: Tightrope's settings (seed 001) as Storm rules, nested under
 * `rules.rebalancing`. `baseSettings` apply to every node and channel; each `idSettings` entry
 * overrides some of them for one id, which is a node (its alias, its member id or its public key),
 * a channel (its short channel id, `BLOCKxTXxOUT`), or one side of a channel (`alias:channelId`,
 * the settings that node uses on that channel). The most specific wins:
 * `alias:channelId` over `channelId` over the node over `baseSettings`.
 *
 * How the planner reads them (`plan_rebalancing.ts`):
 * - `balancePoint` and `deadzone` of a side say where that side's share of the channel should sit
 *   and how far it may drift before a rebalance is planned;
 * - `maxTransactionSize`, `minTimeBetweenPayments`, `maxTransactionsPerPeriod` /
 *   `maxTransactionsPeriod`, `maxAmountPerPeriod` / `maxAmountPeriod` bound the payments a node
 *   makes (as the payer of a circular payment) and the amounts each side sends over a channel (as
 *   payer or as a forwarding hop);
 * - `minGainRatio` and `maxFeeShare` weigh a payment's fee against the routing fees it is expected
 *   to bring (`rebalance_economics.ts`), once members report their forwarding flow;
 * - `refreshRate`: the base value is how often a rebalancing round runs; an override makes that
 *   channel (or node's channels) looked at no more often than that.
 */
import { z } from 'zod'

const Seconds = z.number().int().nonnegative()
const Sats = z.number().int().nonnegative().max(21e14)

/** One set of Tightrope settings, every field given. */
export const RebalanceSettingsSchema = z.object({
  maxTransactionSize: Sats.min(1).describe('The largest single rebalancing payment, sats.'),
  minTimeBetweenPayments: Seconds.describe('The shortest time between two rebalancing payments, seconds.'),
  maxTransactionsPerPeriod: z.number().int().nonnegative().describe('Rebalancing payments per maxTransactionsPeriod, at most.'),
  maxTransactionsPeriod: Seconds.min(1).describe('The period of maxTransactionsPerPeriod, seconds.'),
  maxAmountPerPeriod: Sats.describe('Sats moved by rebalancing per maxAmountPeriod, at most.'),
  maxAmountPeriod: Seconds.min(1).describe('The period of maxAmountPerPeriod, seconds.'),
  balancePoint: z.number().min(0).max(1).describe('The share of a channel that should sit on this side (0.5: half each side).'),
  deadzone: z.number().min(0).max(0.5).describe('How far a side\'s share may drift from the balance point before a rebalance is planned.'),
  refreshRate: Seconds.min(1).describe('How often balances are checked, seconds.')
}).strict()
export type RebalanceSettings = z.infer<typeof RebalanceSettingsSchema>

/** Tightrope's documented defaults where it gives them (balance point 0.5, dead zone 0.1); the
 * limits match stormd's own defaults, so the manager plans nothing a default agent refuses. */
export const DEFAULT_REBALANCE_SETTINGS: RebalanceSettings = {
  maxTransactionSize: 1_000_000,
  minTimeBetweenPayments: 60,
  maxTransactionsPerPeriod: 24,
  maxTransactionsPeriod: 86_400,
  maxAmountPerPeriod: 5_000_000,
  maxAmountPeriod: 86_400,
  balancePoint: 0.5,
  deadzone: 0.1,
  refreshRate: 300
}

/** An override: an id and some settings. */
export const RebalanceOverrideSchema = RebalanceSettingsSchema.partial().extend({
  id: z.string().min(1).max(200).describe('A node alias, member id or node key; a short channel id; or alias:channelId.')
}).strict()
export type RebalanceOverride = z.infer<typeof RebalanceOverrideSchema>

export const RebalanceRulesSchema = z.object({
  enabled: z.boolean().default(true).describe('Whether the manager plans circular rebalancing rounds.'),
  baseSettings: RebalanceSettingsSchema.default(DEFAULT_REBALANCE_SETTINGS)
    .describe('Tightrope\'s settings for every node and channel.'),
  idSettings: z.array(RebalanceOverrideSchema).max(10_000).default([])
    .describe('Overrides by node alias / member id / node key, channel id, or alias:channelId.'),
  maxFeePpm: z.number().int().nonnegative().max(1_000_000).default(500)
    .describe('The most a circular payment may pay in routing fees, parts per million of its amount.'),
  maxFeePerPeriod: Sats.default(5_000)
    .describe('Routing fees a node may pay for rebalancing per maxAmountPeriod, sats (stormd\'s default limit).'),
  maxCycleLength: z.number().int().min(2).max(20).default(6)
    .describe('The most channels on one circular payment\'s cycle.'),
  minAmount: Sats.min(1).default(10_000).describe('The smallest rebalancing payment worth making, sats.'),
  minGainRatio: z.number().nonnegative().max(1000).default(1.5)
    .describe('A circular payment is planned only when the routing fees the liquidity it restores is expected to earn (each fixed channel\'s reported forwarding at the fee it earned, over maxAmountPeriod) are at least this many times its fee (0: no such check). Applies once members report their flow.'),
  maxFeeShare: z.number().nonnegative().max(100).default(0.1)
    .describe('Rebalancing fees within the reported flow\'s window stay within this share of the routing fees members earned in it, rebalancing forwards left out (0: no cap). Applies once members report their flow.')
}).strict()
export type RebalanceRules = z.infer<typeof RebalanceRulesSchema>

/** Rebalancing rules with every default applied. */
export function defaultRebalanceRules (overrides: Partial<z.input<typeof RebalanceRulesSchema>> = {}): RebalanceRules {
  return RebalanceRulesSchema.parse(overrides)
}

/**
 * Resolves the settings of one side of a channel, or of a node when `channelId` is absent:
 * `nodeIds` are the names the node goes by (alias, member id, key).
 */
export class SettingsResolver {
  readonly #base: RebalanceSettings
  readonly #byId = new Map<string, Partial<RebalanceSettings>>()
  readonly #cache = new Map<string, RebalanceSettings>()

  constructor (rules: Pick<RebalanceRules, 'baseSettings' | 'idSettings'>) {
    this.#base = rules.baseSettings
    for (const { id, ...s } of rules.idSettings) this.#byId.set(id, { ...this.#byId.get(id), ...s })
  }

  /** True when no override exists: every side has the base settings. */
  get uniform (): boolean {
    return this.#byId.size === 0
  }

  get base (): RebalanceSettings {
    return this.#base
  }

  /** The settings `node` (known by `nodeIds`, the first one its cache key) uses on `channelId`. */
  side (nodeIds: readonly string[], channelId?: string): RebalanceSettings {
    if (this.#byId.size === 0) return this.#base
    const key = `${nodeIds[0] ?? ''}|${channelId ?? ''}`
    const hit = this.#cache.get(key)
    if (hit !== undefined) return hit
    let out: RebalanceSettings = { ...this.#base }
    // least specific first, so the most specific is applied last
    for (const id of [...nodeIds].reverse()) out = { ...out, ...this.#byId.get(id) }
    if (channelId !== undefined) {
      out = { ...out, ...this.#byId.get(channelId) }
      for (const id of [...nodeIds].reverse()) out = { ...out, ...this.#byId.get(`${id}:${channelId}`) }
    }
    this.#cache.set(key, out)
    return out
  }
}
