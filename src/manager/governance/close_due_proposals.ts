/**
 * The scheduler's tick for proposal deadlines: a ban vote past its deadline is decided (passed,
 * rejected, or lapsed without a quorum); a fee round that never reached the quorum lapses (the
 * standing votes stay and count in the next round). Proposals decided more than a week ago leave
 * the live state (the audit log has every vote and tally).
 */
import type { Ctx } from '../context.ts'
import { announce, audit } from '../context.ts'
import { openProposals } from './proposals.ts'
import { tallyBanVotes, tallyFeeVotes } from './tally_votes.ts'
import { decideBan } from './decide_ban.ts'
import { decideFeeRound } from './decide_fee_round.ts'

/** Decided proposals stay in the live state this long (their votes and tallies are in the audit log). */
export const KEEP_DECIDED_MS = 7 * 24 * 60 * 60_000

/** Decides what is due; returns how many proposals closed. */
export function closeDueProposals (ctx: Ctx): number {
  forgetOldProposals(ctx)
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

/** The live state keeps what is open and what was decided in the last week: it stays small. */
function forgetOldProposals (ctx: Ctx): void {
  const proposals = ctx.state.governance.proposals
  for (const [id, p] of Object.entries(proposals)) {
    if (p.status === 'open' || p.decidedAt === undefined || ctx.now - p.decidedAt < KEEP_DECIDED_MS) continue
    delete proposals[id]
    audit(ctx, 'proposal_archived', { proposal: id, kind: p.kind, status: p.status, tally: p.tally })
  }
}
