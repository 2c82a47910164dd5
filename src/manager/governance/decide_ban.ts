/** A ban vote is decided: passed bans are enforced; every outcome is announced with the tally. */
import type { Ctx } from '../context.ts'
import { announce, audit } from '../context.ts'
import type { BanProposal, Tally } from './schema.ts'
import { banMember } from './ban_member.ts'

export function decideBan (ctx: Ctx, proposal: BanProposal, verdict: 'passed' | 'rejected' | 'lapsed', tally: Tally): void {
  proposal.status = verdict
  proposal.decidedAt = ctx.now
  proposal.tally = tally
  const target = ctx.state.members[proposal.target]
  audit(ctx, 'ban_decided', { proposal: proposal.id, target: proposal.target, verdict, tally })
  announce(ctx, target === undefined ? { type: 'proposal_decided', proposal, tally } : { type: 'proposal_decided', proposal, tally, target })
  if (verdict === 'passed' && target !== undefined && (target.status === 'active' || target.status === 'leaving')) {
    banMember(ctx, target, proposal.reason, `vote:${proposal.id}`, proposal)
  }
}
