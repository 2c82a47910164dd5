/**
 * What agents tell the manager: hello on connect, reports, heartbeats, directive progress and
 * results. A message the state machine cannot accept is audited and otherwise ignored.
 */
import type { Ctx } from '../context.ts'
import { audit, sendTo } from '../context.ts'
import type { Member } from '../state/schema.ts'
import type { MessageBody } from '../../protocol/messages.ts'
import { deliverDirective, moveDirective, openDirectivesOf } from '../directives/issue_directive.ts'
import { directiveFinished, reportReceived } from '../allocations/track_allocation.ts'
import { roster, sendRoster } from '../members/roster.ts'
import { rosterDigest } from '../../protocol/roster_digest.ts'
import { reconcileFees } from '../governance/reconcile_fees.ts'
import { err, ok, type Result } from '../../shared/errors.ts'
import { newcomerReported } from './lift_newcomer.ts'
import { own } from '../../shared/own.ts'
import { directivesOf } from '../state/indexes.ts'
import { directiveAgent, fleetEntry, nodeOfAgent, observationKey } from '../members/member_nodes.ts'

/**
 * The agent said hello. Its node must be the one it paired with (`NODE_MISMATCH` otherwise, and
 * it is dropped): the member's first node, or the fleet node that agent was paired for. Every
 * directive still in flight for that agent is delivered again.
 */
export function agentHello (ctx: Ctx, member: Member, agentKey: string, body: MessageBody<'hello'>): Result<void> {
  const paired = nodeOfAgent(member, agentKey)
  if (paired !== undefined && paired.node.publicKey !== body.node.publicKey) {
    audit(ctx, 'node_mismatch', { member: member.id, paired: paired.node.publicKey, claimed: body.node.publicKey })
    return err('NODE_MISMATCH')
  }
  const fleet = fleetEntry(member, agentKey)
  if (fleet !== undefined) fleet.node = body.node
  else member.node = body.node
  ctx.observations.connected(observationKey(member, agentKey), ctx.now)
  audit(ctx, 'agent_connected', { member: member.id, version: body.agentVersion, ...fleet === undefined ? {} : { node: body.node.publicKey } })
  // an agent that holds the current roster (it says so by its digest) is not sent it again
  const current = ctx.stormRosterDigest?.() ?? rosterDigest(roster(ctx).members.map(m => m.node))
  if (body.rosterDigest !== current) sendRoster(ctx, agentKey)
  for (const record of openDirectivesOf(ctx, member.id)) {
    if (directiveAgent(member, record) === agentKey) deliverDirective(ctx, record)
  }
  revokeAgain(ctx, member, agentKey, new Set(body.finished))
  return ok(undefined)
}

/**
 * A revoke goes out after the state that ended the directive is stored, so a manager that stops
 * in between never sent it: the agent would hold a lifted `do_not_disconnect` forever, or a
 * cancelled directive its owner could still approve. On each hello, every directive the manager
 * ended itself (cancelled, expired, a hold lifted) that the agent does not list as finished is
 * revoked again; the agent ignores a revoke of what it has finished or never had.
 */
function revokeAgain (ctx: Ctx, member: Member, agentKey: string, finished: ReadonlySet<string>): void {
  // the member's directives only (an index): a hello costs what the member has, not the Storm
  for (const r of directivesOf(ctx.state, member.id)) {
    if (finished.has(r.directive.id) || directiveAgent(member, r) !== agentKey) continue
    const lifted = r.directive.kind === 'do_not_disconnect' && r.status === 'succeeded' && r.history.at(-1)?.by === 'storm'
    if (!lifted && r.status !== 'cancelled' && r.status !== 'expired') continue
    // one the agent never received needs no revoke (it was not sent, or the manager knows no more)
    if (!r.history.some(h => h.status === 'sent')) continue
    sendTo(ctx, agentKey, 'revoke', { directive: r.directive.id, reason: lifted ? 'lifted' : r.status === 'expired' ? 'expired' : 'cancelled' })
  }
}

/**
 * A node's report. The Storm's fee and the member's other requests run on its first node, so only
 * that node's report moves fees and closes; a fleet node's is observed on its own, and opens the
 * channels an `addfunds` funded from that node.
 */
export function agentReport (ctx: Ctx, member: Member, agentKey: string, body: MessageBody<'report'>): void {
  ctx.observations.reported(observationKey(member, agentKey), body, ctx.now)
  if (agentKey !== member.agentKey) return reportReceived(ctx, member.id, body, true)
  reportReceived(ctx, member.id, body)
  reconcileFees(ctx, member, body)
  newcomerReported(ctx, member, body)
}

export function agentHeartbeat (ctx: Ctx, member: Member, agentKey: string, body: MessageBody<'heartbeat'>): void {
  ctx.observations.heartbeat(observationKey(member, agentKey), body.health, ctx.now)
}

/** A directive reached a new stage on the agent. */
export function directiveProgress (ctx: Ctx, member: Member, agentKey: string, body: MessageBody<'directive_status'>): void {
  const record = own(ctx.state.directives, body.directive)
  if (record === undefined || record.target !== member.id || directiveAgent(member, record) !== agentKey) {
    audit(ctx, 'unknown_directive_status', { member: member.id, directive: body.directive })
    return
  }
  if (body.status === 'received') return
  const by = body.status === 'approved' ? `agent:${member.id}` : undefined
  const r = moveDirective(ctx, record, body.status, by)
  if (!r.ok) audit(ctx, 'directive_status_ignored', { directive: body.directive, status: body.status, current: record.status })
}

/**
 * A directive finished on the agent. Every result is acknowledged (`result_ack`, sent after the
 * state is stored), also one already taken or for a directive unknown here: stormd resends a
 * result until it is acked, and a duplicate changes nothing.
 */
export function directiveResult (ctx: Ctx, member: Member, agentKey: string, body: MessageBody<'result'>): void {
  ctx.effects.send.push({ agentKey, type: 'result_ack', body: { directive: body.directive } })
  const record = own(ctx.state.directives, body.directive)
  if (record === undefined || record.target !== member.id || directiveAgent(member, record) !== agentKey) {
    audit(ctx, 'unknown_directive_result', { member: member.id, directive: body.directive })
    return
  }
  const to = body.outcome === 'revoked' ? 'cancelled' : body.outcome
  if (record.status === to) return
  if (record.lateOutcome === body.outcome) return
  if (!moveDirective(ctx, record, to).ok) {
    // e.g. the owner cancelled while the agent was already executing: the outcome is still a fact
    // (recorded once: the same late result resent is not a second fact)
    record.lateOutcome = body.outcome
    audit(ctx, 'late_result', { directive: body.directive, outcome: body.outcome, status: record.status, detail: body.detail })
    return
  }
  record.result = body.detail
  if (body.error !== undefined) record.error = body.error
  audit(ctx, 'directive_result', { directive: body.directive, outcome: body.outcome, detail: body.detail, error: body.error })
  directiveFinished(ctx, record)
}
