/**
 * The scheduler's tick for proposal deadlines: a ban vote past its deadline is decided (passed,
 * rejected, or lapsed without a quorum); a fee round that never reached the quorum lapses (the
 * standing votes stay and count in the next round).
 */
import type { Ctx } from '../context.ts'
import { announce, audit } from '../context.ts'
import { openProposals } from './proposals.ts'
import { tallyBanVotes, tallyFeeVotes } from './tally_votes.ts'
import { decideBan } from './decide_ban.ts'
import { decideFeeRound } from './decide_fee_round.ts'

/** Decides what is due; returns how many proposals closed. */
export function closeDueProposals (ctx: Ctx): number {
  let n = 0
  const quorum = ctx.rules.governance.quorum
  for (const p of openProposals(ctx)) {
    if (p.deadline > ctx.now) continue
    n++
    if (p.kind === 'ban') {
      const { tally, verdict } = tallyBanVotes(ctx.state, p, quorum, ctx.now)
      decideBan(ctx, p, verdict === 'open' ? 'lapsed' : verdict, tally)
      continue
    }
    const counted = tallyFeeVotes(ctx.state, p, quorum)
    // members who left may have made a quorate round of it after all
    if (counted.outcome !== undefined) {
      decideFeeRound(ctx, p, counted.outcome, counted.tally)
      continue
    }
    p.status = 'lapsed'
    p.decidedAt = ctx.now
    p.tally = counted.tally
    audit(ctx, 'fee_round_lapsed', { proposal: p.id, tally: counted.tally })
    announce(ctx, { type: 'proposal_decided', proposal: p, tally: counted.tally })
  }
  return n
}
