/**
 * What the manager stores of governance, under `state.governance`: proposals (fee rounds and ban
 * votes) with the stake each voter had when the proposal opened, and the rating alerts already
 * given. Uptime samples are not here: they live in buckets in their own store (`uptime/`).
 */
import { z } from 'zod'
import { IdSchema, MsatSchema } from '../../protocol/messages.ts'

export const FeeChoiceSchema = z.object({
  baseFeeMsat: MsatSchema,
  feeRatePpm: z.number().int().nonnegative().max(1_000_000)
})
export type FeeChoice = z.infer<typeof FeeChoiceSchema>

export const BanChoiceSchema = z.enum(['yes', 'no'])
export type BanChoice = z.infer<typeof BanChoiceSchema>

/** How the tally stood: stakes in sats. */
export const TallySchema = z.object({
  /** Stake of every member who could vote when the proposal opened. */
  totalStake: z.number().int().nonnegative(),
  /** Stake of those who voted (and are still members). */
  votedStake: z.number().int().nonnegative(),
  voters: z.number().int().nonnegative(),
  /** Ban votes: stake voting yes and no. */
  yesStake: z.number().int().nonnegative().optional(),
  noStake: z.number().int().nonnegative().optional()
})
export type Tally = z.infer<typeof TallySchema>

export const PROPOSAL_STATUSES = ['open', 'passed', 'rejected', 'lapsed', 'withdrawn'] as const

const ProposalBase = z.object({
  id: IdSchema,
  openedAt: z.number().int(),
  deadline: z.number().int(),
  status: z.enum(PROPOSAL_STATUSES),
  /** Each member's stake (sats) when the proposal opened: the weight of their vote. */
  stakes: z.record(IdSchema, z.number().int().nonnegative()),
  decidedAt: z.number().int().optional(),
  tally: TallySchema.optional()
})

/** A fee round: opened by the first vote after the last decision, decided once the quorum votes. */
export const FeeProposalSchema = ProposalBase.extend({
  kind: z.literal('fee'),
  votes: z.record(IdSchema, FeeChoiceSchema.extend({ at: z.number().int() })),
  /** The consensus it decided, when it passed. */
  outcome: FeeChoiceSchema.optional()
})
export type FeeProposal = z.infer<typeof FeeProposalSchema>

/** A ban put to the members by an admin (or by the rating). */
export const BanProposalSchema = ProposalBase.extend({
  kind: z.literal('ban'),
  target: IdSchema,
  reason: z.string().max(300),
  /** Who proposed: a chat actor's audit name, or `storm` for a rating proposal. */
  proposer: z.string().max(200),
  votes: z.record(IdSchema, z.object({ choice: BanChoiceSchema, at: z.number().int() }))
})
export type BanProposal = z.infer<typeof BanProposalSchema>

export const ProposalSchema = z.discriminatedUnion('kind', [FeeProposalSchema, BanProposalSchema])
export type Proposal = z.infer<typeof ProposalSchema>

export const GovernanceStateSchema = z.object({
  proposals: z.record(IdSchema, ProposalSchema).default({}),
  /** Rating alerts given, by member: when the last warning and the last ban proposal were made. */
  alerts: z.record(IdSchema, z.object({ warnedAt: z.number().int().optional(), proposedAt: z.number().int().optional() })).default({}),
  /** Why each banned member was banned, and how. */
  bans: z.record(IdSchema, z.object({
    at: z.number().int(),
    reason: z.string().max(300),
    by: z.string().max(200),
    proposal: IdSchema.optional()
  })).default({}),
  /** Windows of planned downtime that do not count against a member's rating, by member. */
  excused: z.record(IdSchema, z.array(z.object({ from: z.number().int(), to: z.number().int(), reason: z.string().max(200) }))).default({}),
  /** When each member was last sent the consensus fee for channels that differed from it. */
  feeSyncAt: z.record(IdSchema, z.number().int()).default({})
})
export type GovernanceState = z.infer<typeof GovernanceStateSchema>

/** An empty governance section. */
export function emptyGovernance (): GovernanceState {
  return { proposals: {}, alerts: {}, bans: {}, excused: {}, feeSyncAt: {} }
}
