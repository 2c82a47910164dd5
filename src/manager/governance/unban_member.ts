/**
 * `unban @member`: an admin lifts a ban. The member is a former member again: they may `connect`
 * (a private Storm asks an admin as for anyone) and their paired agent is admitted once they are.
 */
import type { Ctx } from '../context.ts'
import { announce, audit } from '../context.ts'
import type { Actor } from '../members/find_member.ts'
import { actorName } from '../members/find_member.ts'
import { resolveMember } from '../members/member_name.ts'
import type { Member } from '../state/schema.ts'
import { err, ok, type Result } from '../../shared/errors.ts'

/** Errors: `NOT_ADMIN`, `UNKNOWN_MEMBER` {ref}, `AMBIGUOUS_MEMBER` {ref, ids}, `NOT_BANNED` {name}. */
export function unbanMember (ctx: Ctx, actor: Actor, ref: string): Result<Member> {
  if (actor.kind !== 'chat' || !actor.isAdmin) return err('NOT_ADMIN')
  const found = resolveMember(ctx.state, ref)
  if (!found.ok) return found
  const member = found.value
  if (member.status !== 'banned') return err('NOT_BANNED', { name: member.chat.name })
  member.status = 'left'
  delete ctx.state.governance.bans[member.id]
  delete ctx.state.governance.alerts[member.id]
  audit(ctx, 'member_unbanned', { member: member.id }, actorName(actor))
  announce(ctx, { type: 'member_unbanned', member })
  return ok(member)
}
