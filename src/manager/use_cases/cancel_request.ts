/**
 * `cancel ID`: withdraws an `addfunds` / `removefunds` request that has not executed. Its
 * directives are revoked; an agent that already started one finishes it and reports as usual.
 */
import type { Ctx } from '../context.ts'
import { announce, audit, sendTo } from '../context.ts'
import type { Actor } from '../members/find_member.ts'
import { actorName, requireMember } from '../members/find_member.ts'
import type { Allocation } from '../state/schema.ts'
import { moveDirective } from '../directives/issue_directive.ts'
import { isCancellable } from '../directives/lifecycle.ts'
import { fundedChannel } from '../allocations/track_allocation.ts'
import { liftHolds } from '../members/departure.ts'
import { err, ok, type Result } from '../../shared/errors.ts'
import { own } from '../../shared/own.ts'
import { directiveAgent } from '../members/member_nodes.ts'

/**
 * Errors: membership errors, `UNKNOWN_REQUEST` {id}, `NOT_YOUR_REQUEST` {id},
 * `REQUEST_FINISHED` {id, status}, `REQUEST_EXECUTING` {id}.
 */
export function cancelRequest (ctx: Ctx, actor: Actor, id: string): Result<Allocation> {
  const r = requireMember(ctx.state, actor)
  if (!r.ok) return r
  const member = r.value
  const allocation = own(ctx.state.allocations, id)
  if (allocation === undefined) return err('UNKNOWN_REQUEST', { id })
  if (allocation.member !== member.id) return err('NOT_YOUR_REQUEST', { id })
  if (allocation.status !== 'pending') {
    return allocation.status === 'funding' ? err('REQUEST_EXECUTING', { id }) : err('REQUEST_FINISHED', { id, status: allocation.status })
  }
  const records = allocation.directives.map(d => own(ctx.state.directives, d)).filter(x => x !== undefined)
  if (records.some(x => x.directive.kind !== 'do_not_disconnect' && (x.status === 'approved' || x.status === 'executing'))) {
    return err('REQUEST_EXECUTING', { id })
  }

  for (const record of records) {
    if (record.directive.kind === 'do_not_disconnect') continue
    if (!isCancellable(record.status)) continue
    const wasSent = record.status !== 'created'
    moveDirective(ctx, record, 'cancelled', actorName(actor))
    const agent = directiveAgent(member, record)
    if (wasSent && agent !== undefined) sendTo(ctx, agent, 'revoke', { directive: record.directive.id, reason: 'cancelled' })
    if (record.directive.kind === 'close_channel') {
      const funded = fundedChannel(ctx, record.directive.params.channelPoint)
      if (funded?.state === 'closing') funded.state = 'open'
    }
  }
  liftHolds(ctx, member)
  if (allocation.leave && member.status === 'leaving') member.status = 'active'
  allocation.status = 'cancelled'
  allocation.finishedAt = ctx.now
  audit(ctx, 'allocation_cancelled', { id }, actorName(actor))
  announce(ctx, { type: 'allocation_changed', allocation, member })
  return ok(allocation)
}
