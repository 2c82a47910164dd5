/** The scheduled sweep: directives past their expiry that never started are expired and revoked. */
import type { Ctx } from '../context.ts'
import { sendTo } from '../context.ts'
import { moveDirective } from '../directives/issue_directive.ts'
import { dueForExpiry } from '../directives/lifecycle.ts'
import { directiveFinished } from '../allocations/track_allocation.ts'
import { unfinishedDirectives } from '../state/indexes.ts'
import { own } from '../../shared/own.ts'
import { directiveAgent } from '../members/member_nodes.ts'

/** Expires what is due; returns how many. Only unfinished directives are looked at (the index keeps them). */
export function expireDirectives (ctx: Ctx): number {
  const due = dueForExpiry(unfinishedDirectives(ctx.state), ctx.now)
  for (const record of due) {
    const wasSent = record.status !== 'created'
    moveDirective(ctx, record, 'expired', 'storm')
    const agentKey = directiveAgent(own(ctx.state.members, record.target), record)
    if (wasSent && agentKey !== undefined) sendTo(ctx, agentKey, 'revoke', { directive: record.directive.id, reason: 'expired' })
    directiveFinished(ctx, record)
  }
  return due.length
}
