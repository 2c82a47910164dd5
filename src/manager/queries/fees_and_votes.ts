/**
 * The consensus fees and how the members' standing fee votes are spread, weighed by stake.
 */
import type { ReadSource } from './read_source.ts'
import type { FeesView, MemberView } from './views.ts'

/** `members` are the members' rows (their stakes weigh the votes). */
export function feesView (src: ReadSource, members: MemberView[]): FeesView {
  const { consensus } = src.state
  const stake = new Map(members.filter(m => m.status === 'active' || m.status === 'leaving').map(m => [m.id, m.stake]))
  const groups = new Map<string, { baseFeeMsat: string, feeRatePpm: number, voters: number, stake: number }>()
  let voters = 0
  let votedStake = 0
  for (const m of Object.values(src.state.members)) {
    const vote = m.feeVote
    const s = stake.get(m.id)
    if (vote === undefined || s === undefined) continue
    voters++
    votedStake += s
    const key = `${vote.baseFeeMsat}/${vote.feeRatePpm}`
    const g = groups.get(key) ?? { baseFeeMsat: vote.baseFeeMsat, feeRatePpm: vote.feeRatePpm, voters: 0, stake: 0 }
    g.voters++
    g.stake += s
    groups.set(key, g)
  }
  const distribution = [...groups.values()]
    .map(g => ({ ...g, share: votedStake === 0 ? 0 : g.stake / votedStake }))
    .sort((a, b) => b.stake - a.stake || b.voters - a.voters || a.feeRatePpm - b.feeRatePpm)
  return {
    consensus: { baseFeeMsat: consensus.baseFeeMsat, feeRatePpm: consensus.feeRatePpm, decidedAt: consensus.decidedAt ?? null },
    votes: { voters, votedStake, totalStake: [...stake.values()].reduce((a, b) => a + b, 0), distribution }
  }
}
