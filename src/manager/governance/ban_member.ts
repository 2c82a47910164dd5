/**
 * Enforcing a ban. The member is banned (refused at the handshake from now on, unable to rejoin
 * until `unban`); its agent is told it is cut off and dropped; its work not yet started is
 * withdrawn, as are channels other members were about to open to it; and every member who holds a
 * channel to the banned node gets a `close_channel` directive for it. The roster goes out without
 * the banned node, so agents refuse new channels and payments through it.
 */
import type { Ctx } from '../context.ts'
import { announce, audit, sendTo } from '../context.ts'
import type { Member } from '../state/schema.ts'
import type { BanProposal } from './schema.ts'
import { activeMembers } from '../members/find_member.ts'
import { sendRoster } from '../members/roster.ts'
import { issueDirective, moveDirective } from '../directives/issue_directive.ts'
import { isCancellable } from '../directives/lifecycle.ts'
import { directiveFinished } from '../allocations/track_allocation.ts'
import { allocationsOf, unfinishedDirectives } from '../state/indexes.ts'
import { channelOpens } from '../../protocol/channel_opens.ts'
import { directiveAgent } from '../members/member_nodes.ts'

/** Bans `member`; returns how many `close_channel` directives were issued. */
export function banMember (ctx: Ctx, member: Member, reason: string, by: string, proposal?: BanProposal): number {
  const nodeKey = member.node?.publicKey
  member.status = 'banned'
  member.leftAt = ctx.now
  ctx.state.governance.bans[member.id] = proposal === undefined ? { at: ctx.now, reason, by } : { at: ctx.now, reason, by, proposal: proposal.id }
  // a ban vote still open about this member has nothing left to decide
  for (const p of Object.values(ctx.state.governance.proposals)) {
    if (p.kind === 'ban' && p.status === 'open' && p.target === member.id && p !== proposal) {
      p.status = 'withdrawn'
      p.decidedAt = ctx.now
    }
  }

  // its own work, and channels others were about to open to it
  for (const r of unfinishedDirectives(ctx.state)) {
    const mine = r.target === member.id
    // a batch with a channel to it goes whole: its funding transaction is all or nothing
    const toIt = nodeKey !== undefined && channelOpens(r.directive).some(o => o.peer === nodeKey)
    if (!(mine || toIt) || !isCancellable(r.status)) continue
    const wasSent = r.status !== 'created'
    moveDirective(ctx, r, 'cancelled', 'storm')
    const key = directiveAgent(ctx.state.members[r.target], r)
    if (wasSent && key !== undefined) sendTo(ctx, key, 'revoke', { directive: r.directive.id, reason: 'cancelled' })
    directiveFinished(ctx, r)
  }
  for (const a of allocationsOf(ctx.state, member.id)) {
    if (a.status !== 'pending' && a.status !== 'funding') continue
    a.status = 'cancelled'
    a.finishedAt = ctx.now
    audit(ctx, 'allocation_cancelled', { id: a.id, reason: 'banned' }, 'storm')
  }

  // everyone with a channel to the banned node closes it
  let closes = 0
  if (nodeKey !== undefined) {
    const closing = new Set<string>()
    for (const r of unfinishedDirectives(ctx.state)) if (r.directive.kind === 'close_channel') closing.add(r.directive.params.channelPoint)
    for (const holder of activeMembers(ctx.state)) {
      if (holder.agentKey === undefined) continue
      const report = ctx.observations.get(holder.id).report
      const channels = [
        ...(report?.channels ?? []).map(c => c.channelPoint + ' ' + c.peer),
        ...(report?.pending ?? []).filter(p => p.state === 'opening').map(p => p.channelPoint + ' ' + p.peer)
      ]
      for (const line of channels) {
        const [channelPoint, peer] = line.split(' ') as [string, string]
        if (peer !== nodeKey || closing.has(channelPoint)) continue
        closing.add(channelPoint)
        issueDirective(ctx, holder, { kind: 'close_channel', params: { channelPoint, peer, force: false } }, `${member.chat.name} is banned: ${reason}`)
        closes++
      }
    }
  }

  if (member.agentKey !== undefined) {
    sendTo(ctx, member.agentKey, 'cut_off', { reason: `banned from ${ctx.state.group}: ${reason}`.slice(0, 200) })
    ctx.effects.drop.push(member.agentKey)
  }
  audit(ctx, 'member_banned', { member: member.id, reason, proposal: proposal?.id, closes }, by)
  announce(ctx, proposal === undefined ? { type: 'member_banned', member, reason, closes } : { type: 'member_banned', member, reason, closes, proposal })
  sendRoster(ctx)
  return closes
}
