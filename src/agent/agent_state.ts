/**
 * stormd's own state, in a lowdb file beside its key: whom it is paired with, every directive it
 * has received and how far it got (so a directive delivered twice runs once, even across a
 * restart), and a ledger of what it spent (for the owner's per-period limits).
 */
import { z } from 'zod'
import { AgentKeySchema, DirectiveSchema, ErrorInfoSchema, IdSchema, NodeKeySchema } from '../protocol/messages.ts'

export const AGENT_STATE_VERSION = 1

export const AGENT_DIRECTIVE_STATUSES = [
  'received', 'awaiting_approval', 'approved', 'executing', 'succeeded', 'failed', 'rejected', 'revoked'
] as const
export type AgentDirectiveStatus = typeof AGENT_DIRECTIVE_STATUSES[number]

export const AgentDirectiveSchema = z.object({
  directive: DirectiveSchema,
  status: z.enum(AGENT_DIRECTIVE_STATUSES),
  receivedAt: z.number().int(),
  updatedAt: z.number().int(),
  decidedBy: z.string().max(200).optional(),
  detail: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  error: ErrorInfoSchema.optional(),
  /**
   * A rebalance's payment hash, stored with `executing` before the payment is sent: after a crash
   * stormd asks the node how that payment ended. Absent: it was never sent (or an older stormd ran it).
   */
  paymentHash: z.string().regex(/^[0-9a-f]{64}$/).optional(),
  /**
   * Finished, and the manager has not yet acknowledged storing the result (`result_delivery.ts`):
   * it is sent again until it has. Absent: acknowledged (or finished by an older stormd).
   */
  unacked: z.literal(true).optional()
})
export type AgentDirective = z.infer<typeof AgentDirectiveSchema>

export const LedgerEntrySchema = z.object({
  at: z.number().int(),
  kind: z.enum(['open', 'rebalance']),
  amount: z.number().int().nonnegative(),
  fee: z.number().int().nonnegative()
})
export type LedgerEntry = z.infer<typeof LedgerEntrySchema>

export const AgentStateSchema = z.object({
  version: z.literal(AGENT_STATE_VERSION),
  pairing: z.object({
    managerKey: AgentKeySchema,
    memberId: IdSchema,
    group: z.string().max(64),
    node: NodeKeySchema,
    pairedAt: z.number().int()
  }).optional(),
  /**
   * The Storm's member nodes as last told by the manager: kept, so limits hold right after a
   * restart. Replaced whole, never changed in place (the store compares it by reference).
   */
  roster: z.array(NodeKeySchema).default([]),
  /**
   * The member id of each node in `roster`, in the same order: our member's nodes (its fleet) are
   * the only ones a plain invoice may pay, known again at once after a restart. Empty (a state
   * from before it was kept, or no roster yet): not known until the manager sends a roster.
   * Replaced whole with `roster`, never changed in place (compared by reference, as `roster`).
   */
  rosterMembers: z.array(IdSchema).default([]),
  directives: z.record(IdSchema, AgentDirectiveSchema),
  ledger: z.array(LedgerEntrySchema)
})
export type AgentState = z.infer<typeof AgentStateSchema>

export function emptyAgentState (): AgentState {
  return { version: AGENT_STATE_VERSION, roster: [], rosterMembers: [], directives: {}, ledger: [] }
}

/** Our member's nodes in the stored roster; none when the roster's member ids are not known. */
export function ownNodesOf (state: AgentState): Set<string> {
  const memberId = state.pairing?.memberId
  if (memberId === undefined || state.rosterMembers.length !== state.roster.length) return new Set()
  return new Set(state.roster.filter((_, i) => state.rosterMembers[i] === memberId))
}

export function isFinished (status: AgentDirectiveStatus): boolean {
  return status === 'succeeded' || status === 'failed' || status === 'rejected' || status === 'revoked'
}

const KEEP_MS = 30 * 86_400_000

/** Forgets finished directives and ledger entries older than 30 days (longer than any directive lives). */
export function pruneAgentState (state: AgentState, now: number): void {
  for (const [id, d] of Object.entries(state.directives)) {
    if (isFinished(d.status) && d.updatedAt < now - KEEP_MS) delete state.directives[id]
  }
  state.ledger = state.ledger.filter(e => e.at >= now - KEEP_MS)
}
