/**
 * Creating a directive, handing it to the member's agent, and moving it along — each step
 * recorded in the state, audited and announced (the service stores before it announces).
 */
import type { Ctx } from '../context.ts'
import { announce, audit, sendTo } from '../context.ts'
import type { DirectiveRecord, DirectiveStatus, Member } from '../state/schema.ts'
import type { DirectiveMessage } from '../../protocol/messages.ts'
import { shortId } from '../../shared/ids.ts'
import { kindListed } from '../../protocol/channel_opens.ts'
import { directiveAgent } from '../members/member_nodes.ts'
import { advance, isTerminal } from './lifecycle.ts'
import type { Result } from '../../shared/errors.ts'
import { putDirective, unfinishedDirectivesOf } from '../state/indexes.ts'
import { hasOwn, own } from '../../shared/own.ts'

type DirectiveSpec = Pick<DirectiveMessage, 'kind' | 'params'>

/** A fresh directive id, unique among directives and requests. */
export function newId (ctx: Ctx): string {
  return shortId(id => hasOwn(ctx.state.directives, id) || hasOwn(ctx.state.allocations, id), ctx.random)
}

/**
 * Creates a directive for `target` and sends it if their agent is connected: the agent of their
 * first node, or `agent` (one of their fleet's).
 */
export function issueDirective (ctx: Ctx, target: Member, spec: DirectiveSpec, reason: string, agent?: string): DirectiveRecord {
  const id = newId(ctx)
  const directive = {
    ...spec,
    id,
    reason,
    createdAt: ctx.now,
    expiresAt: ctx.now + ctx.rules.directiveTtlMs,
    requiresApproval: kindListed(ctx.rules.approvalRequired, spec.kind)
  } as DirectiveMessage
  const record: DirectiveRecord = { directive, target: target.id, status: 'created', history: [{ status: 'created', at: ctx.now }] }
  if (agent !== undefined && agent !== target.agentKey) record.agent = agent
  putDirective(ctx.state, record)
  audit(ctx, 'directive_created', { id, target: target.id, kind: spec.kind, params: spec.params, reason })
  deliverDirective(ctx, record)
  // delivered, it was announced as sent; otherwise say it waits for the agent
  if (record.status === 'created') announce(ctx, { type: 'directive_changed', record, member: target })
  return record
}

/**
 * Sends (or sends again) a directive that is still in flight, with the owner's decision when one
 * was made: after a reconnect the agent answers with where it is (it runs each id once).
 */
export function deliverDirective (ctx: Ctx, record: DirectiveRecord): void {
  // the member's first node's agent, or the fleet node's it names
  const agent = directiveAgent(own(ctx.state.members, record.target), record)
  if (agent === undefined || !ctx.isConnected(agent) || isTerminal(record.status)) return
  sendTo(ctx, agent, 'directive', record.directive)
  if (record.status === 'approved') {
    const by = [...record.history].reverse().find(h => h.status === 'approved')?.by ?? 'owner'
    sendTo(ctx, agent, 'approval', { directive: record.directive.id, decision: 'approve', by })
  }
  if (record.status === 'created') moveDirective(ctx, record, 'sent')
}

/** Moves a directive forward; audits and announces the change. */
export function moveDirective (ctx: Ctx, record: DirectiveRecord, to: DirectiveStatus, by?: string): Result<DirectiveRecord> {
  const from = record.status
  const r = advance(record, to, ctx.now, by)
  if (r.ok && from !== to) {
    audit(ctx, 'directive_' + to, { id: record.directive.id, from }, by)
    const member = own(ctx.state.members, record.target)
    if (member !== undefined) announce(ctx, { type: 'directive_changed', record, member })
  }
  return r
}

/** The member's directives that are not finished, oldest first. */
export function openDirectivesOf (ctx: Ctx, member: string): DirectiveRecord[] {
  return unfinishedDirectivesOf(ctx.state, member)
    .sort((a, b) => a.directive.createdAt - b.directive.createdAt)
}
