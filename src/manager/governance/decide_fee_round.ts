/**
 * A fee round reached its quorum: the medians become the Storm's fee. A change becomes a
 * `set_fees` directive to every paired member (their agent sets it on every Storm channel, and
 * only those), replacing any earlier one that has not started; it is announced with the old and
 * new values and the tally.
 */
import type { Ctx } from '../context.ts'
import { announce, audit, sendTo } from '../context.ts'
import type { FeeChoice, FeeProposal, Tally } from './schema.ts'
import { activeMembers } from '../members/find_member.ts'
import { issueDirective, moveDirective } from '../directives/issue_directive.ts'
import { isCancellable } from '../directives/lifecycle.ts'
import { unfinishedDirectives } from '../state/indexes.ts'
import { directiveAgent } from '../members/member_nodes.ts'

/** Records the decision; returns how many `set_fees` directives it issued (0 when nothing changed). */
export function decideFeeRound (ctx: Ctx, proposal: FeeProposal, outcome: FeeChoice, tally: Tally): number {
  proposal.status = 'passed'
  proposal.decidedAt = ctx.now
  proposal.tally = tally
  proposal.outcome = outcome
  const from: FeeChoice = { baseFeeMsat: ctx.state.consensus.baseFeeMsat, feeRatePpm: ctx.state.consensus.feeRatePpm }
  const changed = from.baseFeeMsat !== outcome.baseFeeMsat || from.feeRatePpm !== outcome.feeRatePpm
  let directives = 0
  if (changed) {
    ctx.state.consensus = { baseFeeMsat: outcome.baseFeeMsat, feeRatePpm: outcome.feeRatePpm, decidedAt: ctx.now }
    directives = issueSetFees(ctx, outcome, `fee vote ${proposal.id}: base ${outcome.baseFeeMsat} msat, rate ${outcome.feeRatePpm} ppm`)
  }
  audit(ctx, 'fee_consensus', { proposal: proposal.id, from, to: outcome, changed, tally, directives })
  announce(ctx, { type: 'fee_consensus', from, to: outcome, proposal, tally, directives })
  return directives
}

/** A `set_fees` directive to every paired member; earlier ones not started yet are withdrawn. */
export function issueSetFees (ctx: Ctx, fees: FeeChoice, reason: string): number {
  for (const r of unfinishedDirectives(ctx.state)) {
    if (r.directive.kind !== 'set_fees' || !isCancellable(r.status)) continue
    const wasSent = r.status !== 'created'
    moveDirective(ctx, r, 'cancelled', 'storm')
    const key = directiveAgent(ctx.state.members[r.target], r)
    if (wasSent && key !== undefined) sendTo(ctx, key, 'revoke', { directive: r.directive.id, reason: 'cancelled' })
  }
  let n = 0
  for (const m of activeMembers(ctx.state)) {
    if (m.agentKey === undefined || m.node === undefined) continue
    issueDirective(ctx, m, { kind: 'set_fees', params: { baseFeeMsat: fees.baseFeeMsat, feeRatePpm: fees.feeRatePpm } }, reason)
    n++
  }
  return n
}
