/**
 * `connect`: a chat user asks to join. A public Storm admits them at once; a private one asks an
 * admin (who is admitted at once themselves).
 */
import type { Ctx } from '../context.ts'
import { announce, audit } from '../context.ts'
import type { Actor } from '../members/find_member.ts'
import { activeMembers, actorName, findMemberByActor } from '../members/find_member.ts'
import { chatIdentity, resolveMember } from '../members/member_name.ts'
import type { Member } from '../state/schema.ts'
import { shortId } from '../../shared/ids.ts'
import { err, ok, type Result } from '../../shared/errors.ts'
import { hasOwn } from '../../shared/own.ts'
import { bound, MAX_NAME_SHOWN } from '../../shared/untrusted_text.ts'

export interface MembershipOutcome { member: Member, admitted: boolean }

/** Errors: `WRONG_GROUP` {group, asked}, `ALREADY_MEMBER`, `MEMBERSHIP_PENDING`, `BANNED`, `AGENTS_USE_CHAT`. */
export function requestMembership (ctx: Ctx, actor: Actor, group?: string): Result<MembershipOutcome> {
  if (actor.kind !== 'chat') return err('AGENTS_USE_CHAT')
  const { state } = ctx
  if (group !== undefined && group.toLowerCase() !== state.group.toLowerCase()) {
    return err('WRONG_GROUP', { group: state.group, asked: bound(group, MAX_NAME_SHOWN) })
  }
  const existing = findMemberByActor(state, actor)
  if (existing?.status === 'active' || existing?.status === 'leaving') return err('ALREADY_MEMBER', { group: state.group })
  if (existing?.status === 'requested') return err('MEMBERSHIP_PENDING', { group: state.group })
  if (existing?.status === 'banned') return err('BANNED', { group: state.group })

  const admitted = actor.isAdmin || (ctx.rules.visibility === 'public' && meetsAdmissionRules(ctx, existing))
  const member: Member = existing ?? {
    id: shortId(id => hasOwn(state.members, id), ctx.random),
    chat: chatIdentity(actor),
    status: 'requested',
    requestedAt: ctx.now,
    rating: 100
  }
  member.chat = chatIdentity(actor)
  member.requestedAt = ctx.now
  delete member.leftAt
  state.members[member.id] = member
  if (admitted) {
    admit(ctx, member, actor)
  } else {
    member.status = 'requested'
    audit(ctx, 'member_requested', { member: member.id }, actorName(actor))
    announce(ctx, { type: 'member_requested', member })
  }
  return ok({ member, admitted })
}

/**
 * An admin admits or declines a pending request, named by member id, `@handle` or an unambiguous
 * name (see `resolveMember`).
 * Errors: `NOT_ADMIN`, `UNKNOWN_MEMBER` {ref}, `AMBIGUOUS_MEMBER` {ref, ids}, `NO_PENDING_REQUEST` {name}.
 */
export function decideMembership (ctx: Ctx, actor: Actor, ref: string, accept: boolean): Result<Member> {
  if (actor.kind !== 'chat' || !actor.isAdmin) return err('NOT_ADMIN')
  const found = resolveMember(ctx.state, ref)
  if (!found.ok) return found
  const member = found.value
  if (member.status !== 'requested') return err('NO_PENDING_REQUEST', { name: member.chat.name })
  if (accept) {
    admit(ctx, member, actor)
  } else {
    member.status = 'left'
    member.leftAt = ctx.now
    audit(ctx, 'member_declined', { member: member.id }, actorName(actor))
    announce(ctx, { type: 'member_declined', member })
  }
  return ok(member)
}

function admit (ctx: Ctx, member: Member, actor: Actor): void {
  member.status = 'active'
  member.joinedAt = ctx.now
  audit(ctx, 'member_joined', { member: member.id }, actorName(actor))
  announce(ctx, { type: 'member_joined', member })
}

/**
 * A public Storm admits a newcomer at once when it meets the rules (`rules.governance`): the
 * Storm is not full, and a former member's last rating was not below `rejoinMinRating`. Anyone
 * else waits for an admin, as in a private Storm.
 */
function meetsAdmissionRules (ctx: Ctx, former: Member | undefined): boolean {
  const g = ctx.rules.governance
  if (g.maxMembers > 0 && activeMembers(ctx.state).length >= g.maxMembers) return false
  if (former !== undefined && former.rating < g.rejoinMinRating) return false
  return true
}
