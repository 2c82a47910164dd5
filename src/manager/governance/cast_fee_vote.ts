/**
 * `vote fee BASE RATE` (chat, stormcli) and stormd's `vote` message: a member's fee vote. It
 * stands until the member votes again, and counts in the fee round under way (one is opened, with
 * a snapshot of every member's stake, when none is). Once the voting stake reaches the quorum the
 * round decides: the stake-weighted median of each parameter becomes the Storm's fee.
 */
import type { Ctx } from '../context.ts'
import { announce, audit } from '../context.ts'
import type { Actor } from '../members/find_member.ts'
import { actorName, requireMember } from '../members/find_member.ts'
import type { FeeChoice, FeeProposal, Tally } from './schema.ts'
import { openFeeRound, startFeeRound } from './proposals.ts'
import { stakes } from './stake.ts'
import { tallyFeeVotes } from './tally_votes.ts'
import { decideFeeRound } from './decide_fee_round.ts'
import { err, ok, type Result } from '../../shared/errors.ts'

export interface FeeVoteOutcome {
  proposal: FeeProposal
  tally: Tally
  /** The member's weight in this round, sats. */
  stake: number
  /** True when the vote was the member's standing vote already (stormd says it on every start). */
  unchanged: boolean
  /** The new consensus when this vote decided the round. */
  decided?: FeeChoice
}

/**
 * Errors: membership errors, `BASE_FEE_ABOVE_LIMIT` {max}, `FEE_RATE_ABOVE_LIMIT` {max}.
 */
export function castFeeVote (ctx: Ctx, actor: Actor, choice: FeeChoice): Result<FeeVoteOutcome> {
  const r = requireMember(ctx.state, actor)
  if (!r.ok) return r
  const member = r.value
  const limits = ctx.rules.governance
  if (BigInt(choice.baseFeeMsat) > BigInt(limits.maxBaseFeeMsat)) return err('BASE_FEE_ABOVE_LIMIT', { max: limits.maxBaseFeeMsat })
  if (choice.feeRatePpm > limits.maxFeeRatePpm) return err('FEE_RATE_ABOVE_LIMIT', { max: limits.maxFeeRatePpm })

  const standing = member.feeVote
  const same = standing !== undefined && standing.baseFeeMsat === choice.baseFeeMsat && standing.feeRatePpm === choice.feeRatePpm
  const open = openFeeRound(ctx)
  if (same && (open === undefined || open.votes[member.id] !== undefined)) {
    // nothing to change: the same vote again counts once
    const proposal = open ?? lastFeeRound(ctx)
    if (proposal !== undefined) {
      return ok({ proposal, tally: tallyFeeVotes(ctx.state, proposal, limits.quorum).tally, stake: proposal.stakes[member.id] ?? 0, unchanged: true })
    }
  }
  member.feeVote = { baseFeeMsat: choice.baseFeeMsat, feeRatePpm: choice.feeRatePpm, at: ctx.now }
  const proposal = open === undefined || stakeless(open, ctx) ? startFeeRound(ctx) : open
  proposal.votes[member.id] = { baseFeeMsat: choice.baseFeeMsat, feeRatePpm: choice.feeRatePpm, at: ctx.now }
  const counted = tallyFeeVotes(ctx.state, proposal, limits.quorum)
  audit(ctx, 'fee_vote', { proposal: proposal.id, member: member.id, baseFeeMsat: choice.baseFeeMsat, feeRatePpm: choice.feeRatePpm, tally: counted.tally }, actorName(actor))
  announce(ctx, { type: 'fee_vote', member, vote: choice, proposal, tally: counted.tally })
  const outcome: FeeVoteOutcome = { proposal, tally: counted.tally, stake: proposal.stakes[member.id] ?? 0, unchanged: false }
  if (counted.outcome !== undefined) {
    decideFeeRound(ctx, proposal, counted.outcome, counted.tally)
    outcome.decided = counted.outcome
  }
  return ok(outcome)
}

/**
 * A round opened when nobody had stake yet (stormd votes as soon as it connects, before any
 * channel is open) could never reach a quorum: once someone has stake, it gives way to a new round
 * with a fresh snapshot, the standing votes counted in it.
 */
function stakeless (round: FeeProposal, ctx: Ctx): boolean {
  if (Object.values(round.stakes).some(s => s > 0)) return false
  if (!Object.values(stakes(ctx)).some(s => s > 0)) return false
  round.status = 'withdrawn'
  round.decidedAt = ctx.now
  audit(ctx, 'fee_round_restarted', { proposal: round.id, reason: 'no stake when it opened' })
  return true
}

function lastFeeRound (ctx: Ctx): FeeProposal | undefined {
  let last: FeeProposal | undefined
  for (const p of Object.values(ctx.state.governance.proposals)) if (p.kind === 'fee' && (last === undefined || p.openedAt >= last.openedAt)) last = p
  return last
}
