/**
 * What a use case works with: the state (mutated only after every check has passed), the time,
 * the rules, what agents last reported, and a list of effects the service carries out after the
 * state is stored: messages to agents, events to announce, audit entries.
 */
import type { State, Member, DirectiveRecord, Allocation } from './state/schema.ts'
import type { StormRules } from './rules.ts'
import type { Observations } from './observations.ts'
import type { RandomInt } from '../shared/ids.ts'
import type { MessageBody, MessageType } from '../protocol/messages.ts'
import type { Downtime } from './liveness/schema.ts'
import type { ExitPlan } from './planning/plan_exit.ts'
import type { BanChoice, BanProposal, FeeChoice, FeeProposal, Proposal, Tally } from './governance/schema.ts'

export type StormEvent =
  | { type: 'member_requested', member: Member }
  | { type: 'member_joined', member: Member }
  /** An admin declined a membership request (the request's announcement closes). */
  | { type: 'member_declined', member: Member }
  /** `added`: a further node, now in the member's fleet (absent: its first node, or re-paired). */
  | { type: 'member_paired', member: Member, added?: MessageBody<'hello'>['node'] }
  | { type: 'member_left', member: Member, reason: 'disconnected' | 'banned' }
  | { type: 'directive_changed', record: DirectiveRecord, member: Member }
  | { type: 'allocation_changed', allocation: Allocation, member: Member }
  // governance: votes and their outcomes, always with the tally
  | { type: 'fee_vote', member: Member, vote: FeeChoice, proposal: FeeProposal, tally: Tally }
  | { type: 'fee_consensus', from: FeeChoice, to: FeeChoice, proposal: FeeProposal, tally: Tally, directives: number }
  | { type: 'ban_proposed', proposal: BanProposal, target: Member }
  | { type: 'ban_vote', proposal: BanProposal, member: Member, target: Member, choice: BanChoice, tally: Tally }
  | { type: 'proposal_decided', proposal: Proposal, tally: Tally, target?: Member }
  | { type: 'member_banned', member: Member, reason: string, closes: number, proposal?: BanProposal }
  | { type: 'member_unbanned', member: Member }
  | { type: 'rating_warning', member: Member, rating: number }
  /** Planned downtime moved on (`liveness/`). */
  | { type: 'downtime_changed', downtime: Downtime, member: Member, change: DowntimeChange }
  // the Storm moving around a node (graceful exit, onboarding)
  | { type: 'exit_planned', member: Member, allocation: Allocation, plan: ExitPlan }
  | { type: 'exit_ready', member: Member, allocation: Allocation, closes: number, failed: number, unhelped: number }
  | { type: 'left_early', member: Member, allocation: Allocation, channelsOpen: number }
  | { type: 'newcomer_lifted', newcomer: Member, openers: Array<{ member: Member, capacity: number, allocation: string }>, leftToday: number }
  | { type: 'lift_refused', newcomer: Member, code: string, params: Record<string, unknown> }

/** What happened to a planned downtime, for the chat. */
export type DowntimeChange = 'requested' | 'granted' | 'extended' | 'cancelled' | 'left_early' | 'overdue' | 'back' | 'back_late'

export interface Outbound<T extends MessageType = MessageType> {
  agentKey: string
  type: T
  body: MessageBody<T>
}

export interface AuditEntry {
  at: number
  event: string
  actor?: string
  data: Record<string, unknown>
  /** The members it concerns (filled in by the manager when it stores the entry, for the history). */
  members?: string[]
}

export interface Effects {
  send: Outbound[]
  events: StormEvent[]
  audit: AuditEntry[]
  /** Connections to close after sending (a cut-off agent). */
  drop: string[]
}

export interface Ctx {
  state: State
  now: number
  rules: StormRules
  observations: Observations
  random: RandomInt
  effects: Effects
  /** Whether the member's agent is connected right now. */
  isConnected: (agentKey: string) => boolean
  /**
   * Whether a node key is a node of an active or leaving member (the manager answers from its
   * `StormNodeIndex`); absent, it is found by a scan of the members.
   */
  isStormNode?: (nodeKey: string) => boolean
  /** The digest of the roster (`rosterDigest` of its node keys), from the same index; absent, computed from the roster. */
  stormRosterDigest?: () => string
  /**
   * A count that moves whenever a member record is written (the manager counts the writes its
   * store tells): while it and the members record are the same, what was derived from the members
   * still holds. Absent, readers scan the members each time.
   */
  membersVersion?: () => number
}

export function emptyEffects (): Effects {
  return { send: [], events: [], audit: [], drop: [] }
}

/** Queues a message to an agent. */
export function sendTo<T extends MessageType> (ctx: Ctx, agentKey: string, type: T, body: MessageBody<T>): void {
  ctx.effects.send.push({ agentKey, type, body } as Outbound)
}

export function audit (ctx: Ctx, event: string, data: Record<string, unknown>, actor?: string): void {
  ctx.effects.audit.push(actor === undefined ? { at: ctx.now, event, data } : { at: ctx.now, event, actor, data })
}

export function announce (ctx: Ctx, event: StormEvent): void {
  ctx.effects.events.push(event)
}
