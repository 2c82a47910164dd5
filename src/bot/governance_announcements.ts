/**
 * What the chat is told about votes, bans and ratings: every vote and every outcome with its tally
 * (stake in sats). Buttons to vote come with the command registry.
 */
import type { StormManager } from '../manager/storm_manager.ts'
import type { StormEvent } from '../manager/context.ts'
import type { Announcement } from './announcements.ts'

type GovernanceEvent = Extract<StormEvent, { type: 'fee_vote' | 'fee_consensus' | 'ban_proposed' | 'ban_vote' | 'proposal_decided' | 'member_banned' | 'member_unbanned' | 'rating_warning' }>

export function governanceAnnouncement (e: GovernanceEvent, m: StormManager): Announcement | null {
  const g = m.rules.governance
  const quorum = Math.round(g.quorum * 100)
  switch (e.type) {
    case 'fee_vote':
      return {
        key: `fee-vote:${e.proposal.id}:${e.member.id}`,
        member: e.member.id,
        render: t => ({ text: t.t('announce-fee-vote', { name: e.member.chat.name, base: e.vote.baseFeeMsat, rate: e.vote.feeRatePpm, id: e.proposal.id, voted: e.tally.votedStake, total: e.tally.totalStake, quorum }) })
      }
    case 'fee_consensus': {
      const same = e.from.baseFeeMsat === e.to.baseFeeMsat && e.from.feeRatePpm === e.to.feeRatePpm
      return {
        key: `fee-consensus:${e.proposal.id}`,
        render: t => ({
          text: t.t(same ? 'announce-fee-consensus-same' : 'announce-fee-consensus', {
            id: e.proposal.id, fromBase: e.from.baseFeeMsat, toBase: e.to.baseFeeMsat, fromRate: e.from.feeRatePpm, toRate: e.to.feeRatePpm,
            voters: e.tally.voters, voted: e.tally.votedStake, total: e.tally.totalStake, directives: e.directives
          })
        })
      }
    }
    case 'ban_proposed':
      return {
        key: `ban:${e.proposal.id}`,
        render: t => ({
          text: t.t('announce-ban-proposed', {
            id: e.proposal.id, name: e.target.chat.name, reason: e.proposal.reason,
            deadline: new Date(e.proposal.deadline).toISOString().slice(0, 16).replace('T', ' '),
            total: Object.values(e.proposal.stakes).reduce((s, x) => s + x, 0)
          })
        })
      }
    case 'ban_vote':
      return {
        key: `ban-vote:${e.proposal.id}:${e.member.id}`,
        member: e.member.id,
        render: t => ({ text: t.t('announce-ban-vote', { voter: e.member.chat.name, choice: t.t(`ban-choice-${e.choice}`), name: e.target.chat.name, id: e.proposal.id, yes: e.tally.yesStake ?? 0, no: e.tally.noStake ?? 0, total: e.tally.totalStake }) })
      }
    case 'proposal_decided': {
      const p = e.proposal
      if (p.kind === 'fee') {
        return { key: `fee-consensus:${p.id}`, render: t => ({ text: t.t('announce-fee-round-lapsed', { id: p.id, voted: e.tally.votedStake, total: e.tally.totalStake, quorum }) }) }
      }
      const name = e.target?.chat.name ?? p.target
      return {
        key: `ban-decided:${p.id}`,
        render: t => ({ text: t.t(`announce-ban-${p.status === 'passed' ? 'passed' : p.status === 'rejected' ? 'rejected' : 'lapsed'}`, { id: p.id, name, yes: e.tally.yesStake ?? 0, no: e.tally.noStake ?? 0, voted: e.tally.votedStake, total: e.tally.totalStake, quorum }) })
      }
    }
    case 'member_banned':
      return { key: `left:${e.member.id}`, member: e.member.id, render: t => ({ text: t.t('announce-member-banned-closes', { name: e.member.chat.name, reason: e.reason, closes: e.closes }) }) }
    case 'member_unbanned':
      return { key: `unbanned:${e.member.id}`, member: e.member.id, render: t => ({ text: t.t('announce-member-unbanned', { name: e.member.chat.name }) }) }
    case 'rating_warning':
      return { key: `rating:${e.member.id}`, member: e.member.id, render: t => ({ text: t.t('announce-rating-warning', { name: e.member.chat.name, rating: e.rating, warn: g.ratingWarn, ban: g.ratingBan }) }) }
  }
}
