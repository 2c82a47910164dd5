/**
 * `addfunds N`: a request to put N sats into the Storm. The planner picks the channels; they are
 * issued as ONE directive funded by one on-chain transaction (`open_channels`, LND's batch open),
 * or `open_channel` when there is one. The member is told what will happen.
 */
import type { Ctx } from '../context.ts'
import { audit, announce } from '../context.ts'
import type { Actor } from '../members/find_member.ts'
import { actorName, requirePairedMember } from '../members/find_member.ts'
import type { Allocation } from '../state/schema.ts'
import { planAllocation, type PeerCandidate, type PlannedChannel } from '../planning/plan_allocation.ts'
import { placementPicture } from './placement_picture.ts'
import { issueDirective, newId } from '../directives/issue_directive.ts'
import { allocationsOf, putAllocation, unfinishedDirectives, unfinishedDirectivesOf } from '../state/indexes.ts'
import { err, ok, type Result } from '../../shared/errors.ts'
import { own } from '../../shared/own.ts'
import { downtimeUnderway, membersAway } from '../liveness/away.ts'
import { channelOpens, openedSats } from '../../protocol/channel_opens.ts'

export interface AddFundsOutcome {
  allocation: Allocation
  channels: Array<PlannedChannel & { peerName: string, directive: string }>
}

/**
 * Errors: those of `requirePairedMember`, `LEAVING`, `AMOUNT_NOT_POSITIVE`, `DOWNTIME_UNDERWAY` {id},
 * `NO_REPORT_YET`,
 * `INSUFFICIENT_FUNDS` {amount, available}, `PEERS_ALL_PLANNED` {count, id}, `PEERS_ALL_TAKEN`
 * {count}, and the planner's.
 */
export function addFunds (ctx: Ctx, actor: Actor, amount: number): Result<AddFundsOutcome> {
  const r = requirePairedMember(ctx.state, actor)
  if (!r.ok) return r
  const member = r.value
  if (member.status === 'leaving') return err('LEAVING')
  if (!Number.isSafeInteger(amount) || amount <= 0) return err('AMOUNT_NOT_POSITIVE')
  const away = downtimeUnderway(ctx.state, member.id)
  if (away !== undefined) return err('DOWNTIME_UNDERWAY', { id: away.id })
  const report = ctx.observations.get(member.id).report
  if (report === undefined) return err('NO_REPORT_YET')
  const available = report.balance.confirmed - committedSats(ctx, member.id) - ctx.rules.onchainFeeReserve
  if (amount > available) return err('INSUFFICIENT_FUNDS', { amount, available: Math.max(0, available) })

  const { candidates, channels: stormChannels, columns } = placementPicture(ctx)
  const existingPeers = peersOf(ctx, member.id)
  const taken = allPeersTaken(ctx, member.id, amount, candidates, existingPeers)
  if (taken !== undefined) return taken
  const plan = planAllocation({
    member: member.id,
    amount,
    candidates,
    channels: stormChannels,
    columns,
    existingPeers,
    minChannelSize: ctx.rules.minChannelSize,
    maxChannelSize: ctx.rules.maxChannelSize,
    maxChannels: ctx.rules.maxChannelsPerAllocation,
    minRating: ctx.rules.governance.ratingWarn,
    avoid: membersAway(ctx.state)
  })
  if (!plan.ok) return plan

  const allocation: Allocation = {
    id: newId(ctx), member: member.id, kind: 'add', amount, createdAt: ctx.now, status: 'pending', directives: [], channels: [], leave: false
  }
  putAllocation(ctx.state, allocation)
  audit(ctx, 'allocation_requested', { id: allocation.id, member: member.id, amount }, actorName(actor))
  // one funding transaction for the whole request: a batch when there are several channels
  const planned = plan.value.map(c => ({ ...c, peerName: own(ctx.state.members, c.peerMember)?.chat.name ?? c.peerMember }))
  const opens = planned.map(c => ({ peer: c.peer, peerMember: c.peerMember, capacity: c.capacity, ...(c.socket === undefined ? {} : { socket: c.socket }) }))
  const record = opens.length === 1
    ? issueDirective(ctx, member, { kind: 'open_channel', params: { ...opens[0]!, allocation: allocation.id } }, `allocation ${allocation.id}: ${opens[0]!.capacity} sats to ${planned[0]!.peerName}`)
    : issueDirective(ctx, member, { kind: 'open_channels', params: { channels: opens, allocation: allocation.id } },
      `allocation ${allocation.id}: ${opens.length} channels in one funding transaction (${planned.map(c => `${c.capacity} sats to ${c.peerName}`).join(', ')})`.slice(0, 500))
  allocation.directives.push(record.directive.id)
  const channels = planned.map(c => ({ ...c, directive: record.directive.id }))
  announce(ctx, { type: 'allocation_changed', allocation, member })
  return ok({ allocation, channels })
}

/**
 * The true reason when there are paired members to open channels to but the member has a channel
 * with each, or one planned (the planner opens one channel per peer, so it would find nobody and
 * say there is no other paired member): a planned request to cancel and ask again, or nobody new.
 */
function allPeersTaken (ctx: Ctx, member: string, amount: number, candidates: PeerCandidate[], existing: ReadonlySet<string>): Result<never> | undefined {
  if (amount < ctx.rules.minChannelSize) return undefined // the planner's own answer says it better
  const others = candidates.filter(c => c.member !== member)
  if (others.length === 0 || others.some(c => !existing.has(c.nodeKey))) return undefined
  const planned = allocationsOf(ctx.state, member).find(a => a.kind === 'add' && a.status === 'pending')
  return planned === undefined
    ? err('PEERS_ALL_TAKEN', { count: others.length })
    : err('PEERS_ALL_PLANNED', { count: others.length, id: planned.id })
}

/** Sats the member's unfinished channel-opening directives will spend. */
export function committedSats (ctx: Ctx, member: string): number {
  let sum = 0
  for (const r of unfinishedDirectivesOf(ctx.state, member)) sum += openedSats(r.directive)
  return sum
}

/** Every member who can take a new channel, with how much Storm liquidity points at it already. */
export function peerCandidates (ctx: Ctx): PeerCandidate[] {
  return placementPicture(ctx).candidates
}

/** Node keys the member has a channel with, or has one planned with. */
function peersOf (ctx: Ctx, member: string): Set<string> {
  const report = ctx.observations.get(member).report
  const peers = new Set<string>([...(report?.channels ?? []).map(c => c.peer), ...(report?.pending ?? []).map(p => p.peer)])
  const ownKey = own(ctx.state.members, member)?.node?.publicKey
  for (const r of unfinishedDirectives(ctx.state)) {
    for (const o of channelOpens(r.directive)) {
      if (r.target === member) peers.add(o.peer)
      // a channel another member is about to open to us
      const opener = own(ctx.state.members, r.target)?.node?.publicKey
      if (o.peer === ownKey && opener !== undefined) peers.add(opener)
    }
  }
  for (const a of allocationsOf(ctx.state, member)) {
    if (a.kind === 'add') for (const c of a.channels) if (c.state !== 'closed') peers.add(c.peer)
  }
  return peers
}
