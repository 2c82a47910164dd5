/**
 * The read model's views: typed, zod-described shapes of the Storm for every reader (chat
 * renderers, stormcli, the dashboard, the public summary). A figure the Storm does not have yet
 * is present and marked unknown with a reason — never a made-up number.
 */
import { z } from 'zod'
import { MEMBER_STATUSES, DIRECTIVE_STATUSES } from '../state/schema.ts'
import { DIRECTIVE_KINDS, IdSchema, MsatSchema } from '../../protocol/messages.ts'

/**
 * Why a figure is unknown:
 * - `not_reported`: the member's agent has not reported it (not paired, or no report yet);
 * - `not_yet_available`: this Storm's manager does not compute it yet (ratings and proposals come
 *   with governance);
 * - `no_data`: nothing was measured in the period (no report reached the flow history);
 * - `too_short`: what was measured covers too little time to be a rate (under `minCoverageMs`).
 */
export const UNKNOWN_REASONS = ['not_reported', 'not_yet_available', 'no_data', 'too_short'] as const
export type UnknownReason = typeof UNKNOWN_REASONS[number]

/** A figure that may be unknown: `{ known: true, value }` or `{ known: false, reason }`. */
export function knownSchema<T extends z.ZodType> (value: T) {
  return z.discriminatedUnion('known', [
    z.object({ known: z.literal(true), value }),
    z.object({ known: z.literal(false), reason: z.enum(UNKNOWN_REASONS) })
  ])
}
export type Known<T> = { known: true, value: T } | { known: false, reason: UnknownReason }

export function known<T> (value: T): Known<T> {
  return { known: true, value }
}
export function unknown<T = never> (reason: UnknownReason): Known<T> {
  return { known: false, reason }
}

const Sats = z.number().int().nonnegative()
const Time = z.number().int().nonnegative()

// ---- members -------------------------------------------------------------------------------

export const MemberViewSchema = z.object({
  id: IdSchema,
  /** The chat name (`@bob`), shown as typed. */
  name: z.string(),
  status: z.enum(MEMBER_STATUSES),
  joinedAt: Time.nullable(),
  paired: z.boolean(),
  /** The node's alias, once paired. */
  alias: z.string().nullable(),
  /** The agent is connected right now. */
  online: z.boolean(),
  /** The member's further nodes (a fleet), each with its own stormd: alias and whether it is connected. */
  fleet: z.array(z.object({ alias: z.string(), publicKey: z.string(), online: z.boolean() })),
  lastSeenAt: Time.nullable(),
  /** LND answers and is synced, as last reported. */
  healthy: knownSchema(z.boolean()),
  /** Whether its reports carry forwarding flow: `private` when the owner chose not to share it (`reportFlow=false`). */
  flow: z.enum(['reported', 'private', 'not_reported']),
  /** On planned downtime (preparing, away or overdue): the Storm routes around it. */
  away: z.boolean(),
  /**
   * Stake, sats: the capacity of the Storm channels the member opened, from its latest report;
   * before its first report, the open channels its allocations funded (`stakeBasis`).
   */
  stake: Sats,
  stakeBasis: z.enum(['reported', 'allocations']),
  /** Share of the Storm's total stake, 0–1 (0 when nobody has stake). */
  stakeShare: z.number().min(0).max(1),
  /** Uptime rating, 0–100. */
  rating: knownSchema(z.number().min(0).max(100)),
  /** Storm channels the member's node reported, and their capacity. */
  channels: z.number().int().nonnegative(),
  capacity: Sats
})
export type MemberView = z.infer<typeof MemberViewSchema>

// ---- the channel graph ---------------------------------------------------------------------

export const BalanceSettingsSchema = z.object({
  /** The share of a channel that should sit on this side (Tightrope's balancePoint). */
  balancePoint: z.number().min(0).max(1),
  /** How far the share may drift before a rebalance (Tightrope's deadzone). */
  deadzone: z.number().min(0).max(0.5)
})
export type BalanceSettings = z.infer<typeof BalanceSettingsSchema>

export const ChannelBalanceSchema = z.object({
  /** Sats on each side (`a`'s local balance, `b`'s). */
  a: Sats,
  b: Sats,
  /** `a`'s share of what the two sides hold, 0–1. */
  aShare: z.number().min(0).max(1),
  /** `a`'s side's settings. */
  settings: BalanceSettingsSchema,
  /** `aShare - balancePoint`: positive when `a` holds more than it should. */
  deviation: z.number().min(-1).max(1),
  /** Within the dead zone, or which side holds too much. */
  zone: z.enum(['balanced', 'a_heavy', 'b_heavy'])
})
export type ChannelBalance = z.infer<typeof ChannelBalanceSchema>

export const GraphChannelSchema = z.object({
  /** The short channel id (`BLOCKxTXxOUT`), or the funding outpoint while it is opening. */
  id: z.string(),
  /** The member who opened (funded) it, and the other end. */
  a: IdSchema,
  b: IdSchema,
  capacity: Sats,
  state: z.enum(['active', 'inactive', 'opening', 'closing']),
  balance: knownSchema(ChannelBalanceSchema),
  /** When the report these balances come from arrived. */
  reportedAt: Time.nullable()
})
export type GraphChannel = z.infer<typeof GraphChannelSchema>

export const GraphNodeSchema = z.object({
  id: IdSchema,
  name: z.string(),
  status: z.enum(MEMBER_STATUSES),
  online: z.boolean(),
  /** Capacity of the member's Storm channels, sats. */
  capacity: Sats
})
export type GraphNode = z.infer<typeof GraphNodeSchema>

export const ChannelGraphSchema = z.object({
  nodes: z.array(GraphNodeSchema),
  channels: z.array(GraphChannelSchema),
  /** The Storm-wide settings (rules.rebalancing.baseSettings), and whether they are Tightrope's defaults. */
  balance: BalanceSettingsSchema.extend({ source: z.enum(['rules', 'tightrope_default']) }),
  capacity: Sats
})
export type ChannelGraph = z.infer<typeof ChannelGraphSchema>

// ---- fees and votes -------------------------------------------------------------------------

export const FeeChoiceViewSchema = z.object({
  baseFeeMsat: MsatSchema,
  feeRatePpm: z.number().int().nonnegative()
})

export const FeesViewSchema = z.object({
  consensus: FeeChoiceViewSchema.extend({ decidedAt: Time.nullable() }),
  /** Standing fee votes grouped by choice, weighed by the voters' stake (largest first). */
  votes: z.object({
    voters: z.number().int().nonnegative(),
    votedStake: Sats,
    totalStake: Sats,
    distribution: z.array(FeeChoiceViewSchema.extend({
      voters: z.number().int().positive(),
      stake: Sats,
      /** Share of the voted stake, 0–1. */
      share: z.number().min(0).max(1)
    }))
  })
})
export type FeesView = z.infer<typeof FeesViewSchema>

// ---- directives and proposals ----------------------------------------------------------------

export const DirectiveViewSchema = z.object({
  id: IdSchema,
  kind: z.enum(DIRECTIVE_KINDS),
  target: IdSchema,
  targetName: z.string(),
  status: z.enum(DIRECTIVE_STATUSES),
  reason: z.string(),
  createdAt: Time,
  expiresAt: Time,
  requiresApproval: z.boolean(),
  /** The amount it moves or commits, sats, where it has one (channel size, payment). */
  amount: Sats.nullable(),
  /** The other member it concerns, where there is one (the channel's peer). */
  peerName: z.string().nullable()
})
export type DirectiveView = z.infer<typeof DirectiveViewSchema>

export const ProposalViewSchema = z.object({
  id: IdSchema,
  kind: z.string(),
  status: z.string(),
  deadline: Time,
  voters: z.number().int().nonnegative(),
  /** Share of the stake that has voted, 0–1. */
  votedShare: z.number().min(0).max(1),
  /** A ban's target, by name. */
  targetName: z.string().nullable()
})
export type ProposalView = z.infer<typeof ProposalViewSchema>

export const PendingViewSchema = z.object({
  directives: z.array(DirectiveViewSchema),
  /** Open proposals (fee rounds, bans): unknown until governance lands. */
  proposals: knownSchema(z.array(ProposalViewSchema))
})
export type PendingView = z.infer<typeof PendingViewSchema>

// ---- flow and earnings ---------------------------------------------------------------------

export const FlowPointSchema = z.object({
  start: Time,
  forwards: z.number().int().nonnegative(),
  amount: Sats,
  /** Fees earned, sats (millisatoshis rounded down). */
  fees: Sats
})

export const FlowViewSchema = z.object({
  bucketMs: z.number().int().positive(),
  from: Time,
  to: Time,
  /** Buckets some report reached; missing buckets are time nobody reported. */
  points: z.array(FlowPointSchema),
  totals: z.object({ forwards: z.number().int().nonnegative(), amount: Sats, fees: Sats, feeMsat: MsatSchema }),
  /** Forwards per second over the covered time (the seed's "tps"). */
  forwardsPerSecond: knownSchema(z.number().nonnegative()),
  satsPerDay: knownSchema(z.number().nonnegative()),
  /** Report windows left out of the history (overlapping or too long to place in time). */
  skippedWindows: z.number().int().nonnegative(),
  /** The time the history covers in the period, ms (the rates' denominator). */
  coveredMs: z.number().int().nonnegative()
})
export type FlowView = z.infer<typeof FlowViewSchema>

export const EarningsViewSchema = z.object({
  /** Fees earned per 1,000,000 sats of Storm capacity per day. */
  perMillionPerDay: knownSchema(z.number().nonnegative()),
  /** The inputs of the formula, so it can be shown with its numbers (fees in sats, to the msat). */
  fees: z.number().nonnegative(),
  days: z.number().nonnegative(),
  capacity: Sats,
  formula: z.literal('fees ÷ days ÷ (capacity ÷ 1,000,000)')
})
export type EarningsView = z.infer<typeof EarningsViewSchema>

// ---- the whole Storm -------------------------------------------------------------------------

export const StormViewSchema = z.object({
  group: z.string(),
  at: Time,
  members: z.array(MemberViewSchema),
  graph: ChannelGraphSchema,
  fees: FeesViewSchema,
  pending: PendingViewSchema,
  flow: FlowViewSchema,
  earnings: EarningsViewSchema
})
export type StormView = z.infer<typeof StormViewSchema>
