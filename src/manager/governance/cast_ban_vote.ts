/**
 * A member votes yes or no on a ban, weighted by the stake they had when it was proposed; a
 * second vote replaces the first. The vote is decided as soon as the rest cannot change it
 * (`tallyBanVotes`), else at the deadline (`closeDueProposals`).
 */
import type { Ctx } from '../context.ts'
import { announce, audit } from '../context.ts'
import type { Actor } from '../members/find_member.ts'
import { actorName, requireMember } from '../members/find_member.ts'
import type { BanChoice, BanProposal, Tally } from './schema.ts'
import { tallyBanVotes, type BanVerdict } from './tally_votes.ts'
import { decideBan } from './decide_ban.ts'
import { err, ok, type Result } from '../../shared/errors.ts'

export interface BanVoteOutcome { proposal: BanProposal, tally: Tally, stake: number, verdict: BanVerdict }

/**
 * Errors: membership errors, `UNKNOWN_PROPOSAL` {id}, `PROPOSAL_CLOSED` {id, status},
 * `CANNOT_VOTE_ON_OWN_BAN`, `JOINED_AFTER_PROPOSAL` {id}.
 */
export function castBanVote (ctx: Ctx, actor: Actor, id: string, choice: BanChoice): Result<BanVoteOutcome> {
  const r = requireMember(ctx.state, actor)
  if (!r.ok) return r
  const member = r.value
  const proposal = ctx.state.governance.proposals[id]
  if (proposal?.kind !== 'ban') return err('UNKNOWN_PROPOSAL', { id: id.slice(0, 64) })
  if (proposal.status !== 'open') return err('PROPOSAL_CLOSED', { id, status: proposal.status })
  if (proposal.target === member.id) return err('CANNOT_VOTE_ON_OWN_BAN')
  const stake = proposal.stakes[member.id]
  if (stake === undefined) return err('JOINED_AFTER_PROPOSAL', { id })
  const target = ctx.state.members[proposal.target]!
  proposal.votes[member.id] = { choice, at: ctx.now }
  const { tally, verdict } = tallyBanVotes(ctx.state, proposal, ctx.rules.governance.quorum, ctx.now)
  audit(ctx, 'ban_vote', { proposal: id, member: member.id, choice, stake, tally }, actorName(actor))
  announce(ctx, { type: 'ban_vote', proposal, member, target, choice, tally })
  if (verdict !== 'open') decideBan(ctx, proposal, verdict, tally)
  return ok({ proposal, tally, stake, verdict })
}
