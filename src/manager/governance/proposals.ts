/** Opening proposals and finding open ones: shared by the fee round, ban votes and the rating. */
import type { Ctx } from '../context.ts'
import type { BanProposal, FeeProposal, Proposal } from './schema.ts'
import { stakes } from './stake.ts'
import { shortId } from '../../shared/ids.ts'

/** A new id, unique among directives, allocations and proposals. */
export function newProposalId (ctx: Ctx): string {
  const { state } = ctx
  return shortId(id => id in state.directives || id in state.allocations || id in state.governance.proposals, ctx.random)
}

/** The fee round under way, if any. */
export function openFeeRound (ctx: Pick<Ctx, 'state'>): FeeProposal | undefined {
  for (const p of Object.values(ctx.state.governance.proposals)) if (p.kind === 'fee' && p.status === 'open') return p
  return undefined
}

/** The open ban vote about `member`, if any. */
export function openBanOf (ctx: Pick<Ctx, 'state'>, member: string): BanProposal | undefined {
  for (const p of Object.values(ctx.state.governance.proposals)) if (p.kind === 'ban' && p.status === 'open' && p.target === member) return p
  return undefined
}

/** Proposals still open, oldest first. */
export function openProposals (ctx: Pick<Ctx, 'state'>): Proposal[] {
  return Object.values(ctx.state.governance.proposals).filter(p => p.status === 'open').sort((a, b) => a.openedAt - b.openedAt)
}

/**
 * Opens a fee round: every member's stake is snapshotted now, and every standing vote (a member's
 * last fee vote) is counted in it from the start.
 */
export function startFeeRound (ctx: Ctx): FeeProposal {
  const snapshot = stakes(ctx)
  const votes: FeeProposal['votes'] = {}
  for (const id of Object.keys(snapshot)) {
    const v = ctx.state.members[id]?.feeVote
    if (v !== undefined) votes[id] = { baseFeeMsat: v.baseFeeMsat, feeRatePpm: v.feeRatePpm, at: v.at }
  }
  const proposal: FeeProposal = {
    kind: 'fee', id: newProposalId(ctx), openedAt: ctx.now, deadline: ctx.now + ctx.rules.governance.proposalTtlMs, status: 'open', stakes: snapshot, votes
  }
  ctx.state.governance.proposals[proposal.id] = proposal
  return proposal
}

/** Opens a ban vote about `target`; its stake is left out (no one votes on their own ban). */
export function startBanVote (ctx: Ctx, target: string, reason: string, proposer: string): BanProposal {
  const snapshot = stakes(ctx)
  delete snapshot[target]
  const proposal: BanProposal = {
    kind: 'ban', id: newProposalId(ctx), openedAt: ctx.now, deadline: ctx.now + ctx.rules.governance.proposalTtlMs, status: 'open',
    stakes: snapshot, votes: {}, target, reason, proposer
  }
  ctx.state.governance.proposals[proposal.id] = proposal
  return proposal
}
