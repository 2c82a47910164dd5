/**
 * `ban @member reason`: an admin puts a ban to the members, who vote by stake until the deadline.
 * `ban @member now reason` bans at once, where the Storm's rules let admins do that
 * (`rules.governance.outrightBan`). The rating proposes bans too (`openRatingBan`).
 */
import type { Ctx } from '../context.ts'
import { announce, audit } from '../context.ts'
import type { Actor } from '../members/find_member.ts'
import { actorName, findMemberByActor } from '../members/find_member.ts'
import { resolveMember } from '../members/member_name.ts'
import type { Member } from '../state/schema.ts'
import type { BanProposal } from './schema.ts'
import { openBanOf, startBanVote } from './proposals.ts'
import { banMember } from './ban_member.ts'
import { err, ok, type Result } from '../../shared/errors.ts'

export const MAX_BAN_REASON = 300

export type BanOutcome =
  | { kind: 'proposed', proposal: BanProposal, target: Member }
  | { kind: 'banned', target: Member, closes: number }

/**
 * Errors: `NOT_ADMIN`, `UNKNOWN_MEMBER` {ref}, `AMBIGUOUS_MEMBER` {ref, ids}, `CANNOT_BAN_SELF`, `ALREADY_BANNED` {name},
 * `NOT_A_CURRENT_MEMBER` {name}, `BAN_REASON_REQUIRED`, `BAN_REASON_TOO_LONG` {max},
 * `BAN_ALREADY_PROPOSED` {name, id}, `OUTRIGHT_BAN_NOT_ALLOWED`.
 */
export function proposeBan (ctx: Ctx, actor: Actor, ref: string, reason: string, outright = false): Result<BanOutcome> {
  if (actor.kind !== 'chat' || !actor.isAdmin) return err('NOT_ADMIN')
  const found = resolveMember(ctx.state, ref)
  if (!found.ok) return found
  const target = found.value
  if (findMemberByActor(ctx.state, actor) === target) return err('CANNOT_BAN_SELF')
  if (target.status === 'banned') return err('ALREADY_BANNED', { name: target.chat.name })
  if (target.status === 'left') return err('NOT_A_CURRENT_MEMBER', { name: target.chat.name })
  const why = reason.trim()
  if (why === '') return err('BAN_REASON_REQUIRED')
  if (why.length > MAX_BAN_REASON) return err('BAN_REASON_TOO_LONG', { max: MAX_BAN_REASON })
  const by = actorName(actor)
  if (outright) {
    if (ctx.rules.governance.outrightBan !== 'admins') return err('OUTRIGHT_BAN_NOT_ALLOWED')
    return ok({ kind: 'banned', target, closes: banMember(ctx, target, why, by) })
  }
  const open = openBanOf(ctx, target.id)
  if (open !== undefined) return err('BAN_ALREADY_PROPOSED', { name: target.chat.name, id: open.id })
  if (target.status === 'requested') {
    // nobody has voted them in yet: an admin's decline is the answer, not a vote
    return err('NOT_A_CURRENT_MEMBER', { name: target.chat.name })
  }
  const proposal = startBanVote(ctx, target.id, why, by)
  audit(ctx, 'ban_proposed', { proposal: proposal.id, target: target.id, reason: why, stakes: proposal.stakes }, by)
  announce(ctx, { type: 'ban_proposed', proposal, target })
  return ok({ kind: 'proposed', proposal, target })
}

/** The rating proposes a ban (no admin needed); none when one is open already. */
export function openRatingBan (ctx: Ctx, target: Member, reason: string): BanProposal | undefined {
  if (openBanOf(ctx, target.id) !== undefined) return undefined
  const proposal = startBanVote(ctx, target.id, reason, 'storm')
  audit(ctx, 'ban_proposed', { proposal: proposal.id, target: target.id, reason, stakes: proposal.stakes }, 'storm')
  announce(ctx, { type: 'ban_proposed', proposal, target })
  return proposal
}
