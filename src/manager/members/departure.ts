/**
 * The end of a withdrawal: `do_not_disconnect` notices are lifted, and a member who is leaving is
 * told it is safe to disconnect and stops being a member.
 */
import type { Ctx } from '../context.ts'
import { announce, sendTo } from '../context.ts'
import type { Member } from '../state/schema.ts'
import { sendRoster } from './roster.ts'
import { issueDirective, moveDirective, openDirectivesOf } from '../directives/issue_directive.ts'
import { directiveAgent } from './member_nodes.ts'

/** The member leaves: told it is safe to disconnect, and no longer a member. */
export function completeDeparture (ctx: Ctx, member: Member): void {
  liftHolds(ctx, member)
  if (member.agentKey !== undefined) issueDirective(ctx, member, { kind: 'safe_to_disconnect', params: {} }, 'all channels are closed')
  member.status = 'left'
  member.leftAt = ctx.now
  announce(ctx, { type: 'member_left', member, reason: 'disconnected' })
  sendRoster(ctx)
}

/** Lifts the member's `do_not_disconnect` notices: the manager decides they are done. */
export function liftHolds (ctx: Ctx, member: Member): void {
  for (const r of openDirectivesOf(ctx, member.id)) {
    if (r.directive.kind !== 'do_not_disconnect') continue
    moveDirective(ctx, r, 'succeeded', 'storm')
    const agent = directiveAgent(member, r)
    if (agent !== undefined) sendTo(ctx, agent, 'revoke', { directive: r.directive.id, reason: 'lifted' })
  }
}

