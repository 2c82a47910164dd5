/**
 * The manager's persistent state: one JSON document, validated on load, versioned.
 * High-rate data (heartbeats, reports) is not here; see `uptime/` and `observations.ts`.
 */
import { z } from 'zod'
import {
  AgentKeySchema, DirectiveSchema, IdSchema, NodeSummarySchema, ErrorInfoSchema
} from '../../protocol/messages.ts'
import { GovernanceStateSchema, emptyGovernance } from '../governance/schema.ts'
import { DowntimesSchema } from '../liveness/schema.ts'

/** 2: `governance` (proposals, bans, rating alerts) added. 3: `downtimes` (planned downtime) added, and members' `fleet` (more nodes). */
export const STATE_VERSION = 3

/** `STATE_MIGRATIONS[n]` upgrades a stored state of version n to n + 1. */
export const STATE_MIGRATIONS: Record<number, (doc: Record<string, unknown>) => Record<string, unknown>> = {
  1: (doc) => ({ ...doc, governance: emptyGovernance() }),
  // 3 adds planned downtimes; every member so far has one node (or none): an empty fleet
  2: (doc) => ({
    ...doc,
    downtimes: {},
    members: Object.fromEntries(Object.entries((doc.members ?? {}) as Record<string, Record<string, unknown>>).map(([id, m]) => [id, { ...m, fleet: [] }]))
  })
}

export const ChatIdentitySchema = z.object({
  /** `console`, `telegram`, `matrix`. */
  platform: z.string().min(1).max(16),
  /** The user's id on that platform. */
  userId: z.string().min(1).max(200),
  /** The name shown in chat (`@bob`, `Bob`): `@` + the handle when there is one, never `@` otherwise. */
  name: z.string().max(200),
  /** The platform's handle (a Telegram username), without `@`: only what the platform vouches for. */
  handle: z.string().min(1).max(64).optional()
})
export type ChatIdentity = z.infer<typeof ChatIdentitySchema>

/** One more node of a member (a company's fleet), with its own stormd: bound at its pairing. */
export const FleetNodeSchema = z.object({
  agentKey: AgentKeySchema,
  node: NodeSummarySchema,
  pairedAt: z.number().int()
})
export type FleetNode = z.infer<typeof FleetNodeSchema>

export const MEMBER_STATUSES = ['requested', 'active', 'leaving', 'left', 'banned'] as const

export const MemberSchema = z.object({
  id: IdSchema,
  chat: ChatIdentitySchema,
  status: z.enum(MEMBER_STATUSES),
  requestedAt: z.number().int(),
  joinedAt: z.number().int().optional(),
  leftAt: z.number().int().optional(),
  /** The member's chosen language, when set with /lang. */
  lang: z.string().max(16).optional(),
  /** Bound at pairing: the agent's ed25519 key and the node it proved it controls. */
  agentKey: AgentKeySchema.optional(),
  node: NodeSummarySchema.optional(),
  pairedAt: z.number().int().optional(),
  /**
   * The member's further nodes, each paired with its own stormd (`/pair` again from another
   * node). `agentKey`/`node` above stay the first node's: the one the member's requests run on.
   */
  fleet: z.array(FleetNodeSchema).max(100).optional(),
  /** Uptime rating, 0–100. */
  rating: z.number().min(0).max(100).default(100),
  /** Fee vote: base fee (msat, decimal string) and rate (ppm). */
  feeVote: z.object({ baseFeeMsat: z.string(), feeRatePpm: z.number().int(), at: z.number().int() }).optional(),
  /** `lift on`: the member is willing to open channels to newcomers who have no funds. */
  willingToLift: z.boolean().optional(),
  /** When the Storm first looked at lifting this member (a newcomer with no funds), and how it went. */
  lift: z.object({ at: z.number().int(), outcome: z.string().max(64) }).optional()
})
export type Member = z.infer<typeof MemberSchema>

export const PairingSchema = z.object({
  member: IdSchema,
  /** The pairing key derived from the code: the code itself is never stored. */
  pairingKey: AgentKeySchema,
  createdAt: z.number().int(),
  expiresAt: z.number().int(),
  usedAt: z.number().int().optional(),
  /** The nonce of the challenge sent on the pairing connection, when one is under way. */
  nonce: z.string().optional()
})
export type Pairing = z.infer<typeof PairingSchema>

export const AllocationChannelSchema = z.object({
  channelPoint: z.string(),
  peer: z.string(),
  capacity: z.number().int().positive(),
  /** opening → open → closing → closed, as agents report them. */
  state: z.enum(['opening', 'open', 'closing', 'closed'])
})
export type AllocationChannel = z.infer<typeof AllocationChannelSchema>

export const ALLOCATION_STATUSES = ['pending', 'funding', 'done', 'cancelled', 'failed'] as const

/** An `addfunds` (kind add) or `removefunds` / `disconnect` (kind remove) request. */
export const AllocationSchema = z.object({
  id: IdSchema,
  member: IdSchema,
  kind: z.enum(['add', 'remove']),
  amount: z.number().int().positive(),
  createdAt: z.number().int(),
  status: z.enum(ALLOCATION_STATUSES),
  /** The directives that carry it out. */
  directives: z.array(IdSchema),
  /** Channels opened (kind add) or closed (kind remove) for it, and how far each has got. */
  channels: z.array(AllocationChannelSchema).default([]),
  /** True for a `disconnect`: the member leaves when it is done. */
  leave: z.boolean().default(false),
  /**
   * Kind add, opened by the Storm rather than asked for: a reinforcement before another member's
   * exit (`for` is that exit's allocation), or a channel lifting a newcomer.
   */
  purpose: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('exit'), for: IdSchema, to: IdSchema }),
    z.object({ kind: z.literal('onboard'), newcomer: IdSchema })
  ]).optional(),
  /** Kind remove: the graceful exit's plan, while it waits for capacity to be added first. */
  exit: z.object({
    /** The reinforcement allocations (kind add, other members') it waits for. */
    reinforcements: z.array(IdSchema),
    /** Closes that would cut a member off, issued once the reinforcements are open. */
    deferred: z.array(AllocationChannelSchema.omit({ state: true })),
    /** Members who would have been cut off or left thin, and why. */
    atRisk: z.array(z.object({ member: IdSchema, reason: z.enum(['cut_off', 'thin']) })),
    /** When the member's agent went away before the Storm was ready, if it did. */
    leftEarlyAt: z.number().int().optional()
  }).optional(),
  finishedAt: z.number().int().optional()
})
export type Allocation = z.infer<typeof AllocationSchema>

export const DIRECTIVE_STATUSES = [
  'created', 'sent', 'awaiting_approval', 'approved', 'rejected', 'executing',
  'succeeded', 'failed', 'expired', 'cancelled'
] as const
export type DirectiveStatus = typeof DIRECTIVE_STATUSES[number]

export const DirectiveRecordSchema = z.object({
  /** The directive exactly as sent to the agent. */
  directive: DirectiveSchema,
  target: IdSchema,
  /** The agent it goes to, when not the target member's first node's (a fleet node's). */
  agent: AgentKeySchema.optional(),
  status: z.enum(DIRECTIVE_STATUSES),
  history: z.array(z.object({
    status: z.enum(DIRECTIVE_STATUSES),
    at: z.number().int(),
    by: z.string().max(200).optional()
  })),
  result: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  error: ErrorInfoSchema.optional(),
  /** How the agent said it ended, when that came after the directive had already ended here (audited once). */
  lateOutcome: z.enum(['succeeded', 'failed', 'rejected', 'revoked']).optional()
})
export type DirectiveRecord = z.infer<typeof DirectiveRecordSchema>

export const StateSchema = z.object({
  version: z.literal(STATE_VERSION),
  group: z.string().min(1).max(64),
  createdAt: z.number().int(),
  /** The chat the Storm is run from (a Telegram group id, a Matrix room id), once bound. */
  chat: z.object({ platform: z.string(), id: z.string() }).optional(),
  members: z.record(IdSchema, MemberSchema),
  pairings: z.array(PairingSchema),
  /** Added through `putAllocation` (`indexes.ts` keeps each member's list); finished ones leave after a week (`retention.ts`). */
  allocations: z.record(IdSchema, AllocationSchema),
  /** Added through `putDirective` (`indexes.ts` keeps the unfinished ones); finished ones leave after a week (`retention.ts`). */
  directives: z.record(IdSchema, DirectiveRecordSchema),
  consensus: z.object({
    baseFeeMsat: z.string(),
    feeRatePpm: z.number().int().nonnegative(),
    decidedAt: z.number().int().optional()
  }),
  /** Fee rounds, ban votes, bans and rating alerts (`governance/`). */
  governance: GovernanceStateSchema.prefault({}),
  /** Planned downtime requests, by id (`liveness/`); finished ones leave after `rules.downtime.periodMs`. */
  downtimes: DowntimesSchema.default({})
})
export type State = z.infer<typeof StateSchema>

/** A fresh state for a new Storm. */
export function emptyState (group: string, now: number, fees: { baseFeeMsat: string, feeRatePpm: number }): State {
  return {
    version: STATE_VERSION,
    group,
    createdAt: now,
    members: {},
    pairings: [],
    allocations: {},
    directives: {},
    consensus: { ...fees },
    governance: emptyGovernance(),
    downtimes: {}
  }
}
