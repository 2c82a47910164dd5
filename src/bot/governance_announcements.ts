/**
 * What the chat is told about votes, bans and ratings: every vote and every outcome with its tally
 * (stake in sats). A ban vote is one message, edited as votes come in, with [Yes] [No] buttons
 * that run `vote yes|no ID` as whoever taps them.
 */
import type { StormManager } from '../manager/storm_manager.ts'
import type { StormEvent } from '../manager/context.ts'
import type { Announcement } from './announcements.ts'
import type { Button } from './render.ts'
import type { Translator } from '../shared/i18n.ts'
import type { BanProposal } from '../manager/governance/schema.ts'
import type { Member } from '../manager/state/schema.ts'

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
        render: t => ({ text: banText(t, e.proposal, e.target), buttons: voteButtons(t, e.proposal.id) })
      }
    case 'ban_vote':
      // the vote's message is edited in place with the running tally (a console prints each line)
      return {
        key: `ban:${e.proposal.id}`,
        render: t => ({
          text: t.t('announce-ban-tally', {
            text: banText(t, e.proposal, e.target), yes: e.tally.yesStake ?? 0, no: e.tally.noStake ?? 0, total: e.tally.totalStake,
            voter: e.member.chat.name, choice: t.t(`ban-choice-${e.choice}`)
          }),
          ...(e.proposal.status === 'open' ? { buttons: voteButtons(t, e.proposal.id) } : {})
        })
      }
    case 'proposal_decided': {
      const p = e.proposal
      if (p.kind === 'fee') {
        return { key: `fee-consensus:${p.id}`, render: t => ({ text: t.t('announce-fee-round-lapsed', { id: p.id, voted: e.tally.votedStake, total: e.tally.totalStake, quorum }) }) }
      }
      const name = e.target?.chat.name ?? p.target
      return {
        // the vote's own message, its buttons gone
        key: `ban:${p.id}`,
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

function banText (t: Translator, p: BanProposal, target: Member): string {
  return t.t('announce-ban-proposed', {
    id: p.id, name: target.chat.name, reason: p.reason,
    deadline: new Date(p.deadline).toISOString().slice(0, 16).replace('T', ' '),
    total: Object.values(p.stakes).reduce((s, x) => s + x, 0)
  })
}

function voteButtons (t: Translator, id: string): Button[][] {
  return [[{ label: t.t('button-vote-yes'), action: `vote:${id}.yes` }, { label: t.t('button-vote-no'), action: `vote:${id}.no` }]]
}
