/**
 * `approve ID|all` and `reject ID`: the owner's decision on their own directives, relayed to
 * their agent. Only the member a directive targets may decide it.
 */
import type { Ctx } from '../context.ts'
import { sendTo } from '../context.ts'
import type { Actor } from '../members/find_member.ts'
import { actorName, requireMember } from '../members/find_member.ts'
import type { DirectiveRecord } from '../state/schema.ts'
import { moveDirective } from '../directives/issue_directive.ts'
import { isAwaitingOwner } from '../directives/lifecycle.ts'
import { directiveFinished } from '../allocations/track_allocation.ts'
import { err, ok, type Result } from '../../shared/errors.ts'
import { own } from '../../shared/own.ts'
import { directiveAgent } from '../members/member_nodes.ts'

export type Decision = 'approve' | 'reject'

/**
 * Errors: membership errors, `UNKNOWN_DIRECTIVE` {id}, `NOT_YOUR_DIRECTIVE` {id},
 * `DIRECTIVE_NOT_AWAITING` {id, status}, `NOTHING_TO_APPROVE`.
 */
export function decideDirective (ctx: Ctx, actor: Actor, id: string | 'all', decision: Decision): Result<DirectiveRecord[]> {
  const r = requireMember(ctx.state, actor)
  if (!r.ok) return r
  const member = r.value
  let records: DirectiveRecord[]
  if (id === 'all') {
    records = Object.values(ctx.state.directives)
      .filter(x => x.target === member.id && isAwaitingOwner(x.status) && x.directive.requiresApproval)
      .sort((a, b) => a.directive.createdAt - b.directive.createdAt)
    if (records.length === 0) return err('NOTHING_TO_APPROVE')
  } else {
    const record = own(ctx.state.directives, id)
    if (record === undefined) return err('UNKNOWN_DIRECTIVE', { id })
    if (record.target !== member.id) return err('NOT_YOUR_DIRECTIVE', { id })
    if (!isAwaitingOwner(record.status)) return err('DIRECTIVE_NOT_AWAITING', { id, status: record.status })
    records = [record]
  }
  const by = actorName(actor)
  for (const record of records) {
    moveDirective(ctx, record, decision === 'approve' ? 'approved' : 'rejected', by)
    const agent = directiveAgent(member, record)
    if (agent !== undefined) sendTo(ctx, agent, 'approval', { directive: record.directive.id, decision, by })
    if (decision === 'reject') directiveFinished(ctx, record)
  }
  return ok(records)
}
