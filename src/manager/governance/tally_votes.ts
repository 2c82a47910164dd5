/**
 * Counting votes, pure. Each vote weighs the stake its member had when the proposal opened; a
 * member who is no longer in the Storm (left or banned while the vote was open) neither votes
 * nor counts towards the total any more, so leaving mid-vote cannot block a quorum.
 */
import type { State } from '../state/schema.ts'
import type { BanProposal, FeeChoice, FeeProposal, Tally } from './schema.ts'
import { weightedMedian } from './weighted_median.ts'

export interface FeeTally { tally: Tally, quorate: boolean, outcome?: FeeChoice }

/** The fee round's tally; `outcome` (the stake-weighted medians) once the voting stake reaches `quorum`. */
export function tallyFeeVotes (state: Pick<State, 'members'>, proposal: FeeProposal, quorum: number): FeeTally {
  const base: Array<{ value: bigint, weight: number }> = []
  const rate: Array<{ value: number, weight: number }> = []
  let totalStake = 0
  let votedStake = 0
  let voters = 0
  for (const [member, stake] of Object.entries(proposal.stakes)) {
    if (!isMember(state, member)) continue
    totalStake += stake
    const vote = proposal.votes[member]
    if (vote === undefined) continue
    voters++
    votedStake += stake
    base.push({ value: BigInt(vote.baseFeeMsat), weight: stake })
    rate.push({ value: vote.feeRatePpm, weight: stake })
  }
  const tally: Tally = { totalStake, votedStake, voters }
  const quorate = totalStake > 0 && votedStake > 0 && votedStake >= quorum * totalStake
  if (!quorate) return { tally, quorate }
  return { tally, quorate, outcome: { baseFeeMsat: String(weightedMedian(base)!), feeRatePpm: weightedMedian(rate)! } }
}

export type BanVerdict = 'passed' | 'rejected' | 'lapsed' | 'open'

/**
 * The ban vote's tally and verdict. Before the deadline it is decided only when the rest cannot
 * change it: `passed` once more than half the stake says yes, `rejected` once half says no. At
 * the deadline: `lapsed` below the quorum, else `passed` if yes outweighs no, else `rejected`.
 */
export function tallyBanVotes (state: Pick<State, 'members'>, proposal: BanProposal, quorum: number, now: number): { tally: Tally, verdict: BanVerdict } {
  let totalStake = 0
  let yesStake = 0
  let noStake = 0
  let voters = 0
  for (const [member, stake] of Object.entries(proposal.stakes)) {
    if (!isMember(state, member) || member === proposal.target) continue
    totalStake += stake
    const vote = proposal.votes[member]
    if (vote === undefined) continue
    voters++
    if (vote.choice === 'yes') yesStake += stake
    else noStake += stake
  }
  const votedStake = yesStake + noStake
  const tally: Tally = { totalStake, votedStake, voters, yesStake, noStake }
  let verdict: BanVerdict = 'open'
  if (totalStake > 0 && 2 * yesStake > totalStake) verdict = 'passed'
  else if (totalStake > 0 && 2 * noStake >= totalStake) verdict = 'rejected'
  else if (now >= proposal.deadline) {
    if (totalStake === 0 || votedStake === 0 || votedStake < quorum * totalStake) verdict = 'lapsed'
    else verdict = yesStake > noStake ? 'passed' : 'rejected'
  }
  return { tally, verdict }
}

function isMember (state: Pick<State, 'members'>, id: string): boolean {
  const s = state.members[id]?.status
  return s === 'active' || s === 'leaving'
}
