/**
 * `addfunds N [NODE]`: a request to put N sats into the Storm. The planner picks the channels; they
 * are issued as ONE directive funded by one on-chain transaction (`open_channels`, LND's batch
 * open), or `open_channel` when there is one. The member is told what will happen.
 *
 * A member with several nodes (a fleet) is one member to placement: no channel between two of its
 * own nodes, none to a member any of its nodes already has a channel with, and its channels on
 * every node count. The node that funds is the one it names, else its first node when that can,
 * else the node with the most available funds that can; the answer says which.
 */
import type { Ctx } from '../context.ts'
import { audit, announce } from '../context.ts'
import type { Actor } from '../members/find_member.ts'
import { actorName, requirePairedMember } from '../members/find_member.ts'
import type { Allocation, Member } from '../state/schema.ts'
import { directiveAgent, findOwnNode, nodeKeysOf, nodeOfAgent, nodesOf, observationKey, type MemberNode } from '../members/member_nodes.ts'
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
  /** The node that funds the channels, for a member with several nodes. */
  node?: { alias: string, publicKey: string }
}

/**
 * Errors: those of `requirePairedMember`, `LEAVING`, `AMOUNT_NOT_POSITIVE`, `DOWNTIME_UNDERWAY` {id},
 * `NOT_YOUR_NODE` {node}, `NO_REPORT_YET`, `NODE_NO_REPORT_YET` {node},
 * `INSUFFICIENT_FUNDS` {amount, available}, `NODE_INSUFFICIENT_FUNDS` {node, amount, available},
 * `FLEET_INSUFFICIENT_FUNDS` {amount, available, node}, `PEERS_ALL_PLANNED` {count, id},
 * `PEERS_ALL_TAKEN` {count}, and the planner's.
 */
export function addFunds (ctx: Ctx, actor: Actor, amount: number, nodeRef?: string): Result<AddFundsOutcome> {
  const r = requirePairedMember(ctx.state, actor)
  if (!r.ok) return r
  const member = r.value
  if (member.status === 'leaving') return err('LEAVING')
  if (!Number.isSafeInteger(amount) || amount <= 0) return err('AMOUNT_NOT_POSITIVE')
  const away = downtimeUnderway(ctx.state, member.id)
  if (away !== undefined) return err('DOWNTIME_UNDERWAY', { id: away.id })
  const funder = fundingNode(ctx, member, amount, nodeRef)
  if (!funder.ok) return funder
  const node = funder.value

  const { candidates, channels: stormChannels, columns } = placementPicture(ctx)
  const existingPeers = peersOf(ctx, member)
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
    ? issueDirective(ctx, member, { kind: 'open_channel', params: { ...opens[0]!, allocation: allocation.id } }, `allocation ${allocation.id}: ${opens[0]!.capacity} sats to ${planned[0]!.peerName}`, node.agentKey)
    : issueDirective(ctx, member, { kind: 'open_channels', params: { channels: opens, allocation: allocation.id } },
      `allocation ${allocation.id}: ${opens.length} channels in one funding transaction (${planned.map(c => `${c.capacity} sats to ${c.peerName}`).join(', ')})`.slice(0, 500), node.agentKey)
  allocation.directives.push(record.directive.id)
  const channels = planned.map(c => ({ ...c, directive: record.directive.id }))
  announce(ctx, { type: 'allocation_changed', allocation, member })
  const fleet = nodesOf(member).length > 1
  return ok({ allocation, channels, ...fleet ? { node: { alias: node.node.alias, publicKey: node.node.publicKey } } : {} })
}

/**
 * The member's node that funds `amount`: the one named (it must have reported and have the
 * funds), else the first node when it can, else the node with the most available that can.
 */
function fundingNode (ctx: Ctx, member: Member, amount: number, nodeRef: string | undefined): Result<MemberNode> {
  const nodes = nodesOf(member)
  const name = (n: MemberNode): string => n.node.alias !== '' ? n.node.alias : n.node.publicKey.slice(0, 12)
  const availableOn = (n: MemberNode): number | undefined => {
    const report = ctx.observations.get(observationKey(member, n.agentKey)).report
    return report === undefined ? undefined : report.balance.confirmed - committedSats(ctx, member.id, n.agentKey) - ctx.rules.onchainFeeReserve
  }
  if (nodeRef !== undefined) {
    const named = findOwnNode(member, nodeRef)
    if (named === undefined) return err('NOT_YOUR_NODE', { node: nodeRef.slice(0, 66) })
    const available = availableOn(named)
    if (nodes.length === 1) {
      if (available === undefined) return err('NO_REPORT_YET')
      return amount > available ? err('INSUFFICIENT_FUNDS', { amount, available: Math.max(0, available) }) : ok(named)
    }
    if (available === undefined) return err('NODE_NO_REPORT_YET', { node: name(named) })
    return amount > available ? err('NODE_INSUFFICIENT_FUNDS', { node: name(named), amount, available: Math.max(0, available) }) : ok(named)
  }
  const first = nodes[0]!
  const firstAvailable = availableOn(first)
  if (firstAvailable !== undefined && amount <= firstAvailable) return ok(first)
  if (nodes.length === 1) {
    return firstAvailable === undefined ? err('NO_REPORT_YET') : err('INSUFFICIENT_FUNDS', { amount, available: Math.max(0, firstAvailable) })
  }
  let best: MemberNode | undefined
  let most = -Infinity
  for (const n of nodes) {
    const available = availableOn(n)
    if (available !== undefined && available > most) { best = n; most = available }
  }
  if (best === undefined) return err('NO_REPORT_YET')
  return amount > most ? err('FLEET_INSUFFICIENT_FUNDS', { amount, available: Math.max(0, most), node: name(best) }) : ok(best)
}

/**
 * The true reason when there are paired members to open channels to but the member has a channel
 * with each, or one planned (the planner opens one channel per peer, so it would find nobody and
 * say there is no other paired member): a planned request to cancel and ask again, or nobody new.
 */
function allPeersTaken (ctx: Ctx, member: string, amount: number, candidates: PeerCandidate[], existing: ReadonlySet<string>): Result<never> | undefined {
  if (amount < ctx.rules.minChannelSize) return undefined // the planner's own answer says it better
  const others = candidates.filter(c => c.member !== member)
  if (others.length === 0 || others.some(c => !existing.has(c.nodeKey) && c.nodeKeys?.some(k => existing.has(k)) !== true)) return undefined
  const planned = allocationsOf(ctx.state, member).find(a => a.kind === 'add' && a.status === 'pending')
  return planned === undefined
    ? err('PEERS_ALL_TAKEN', { count: others.length })
    : err('PEERS_ALL_PLANNED', { count: others.length, id: planned.id })
}

/**
 * Sats the member's unfinished channel-opening directives will spend: those of its first node (of
 * the node whose agent is `agentKey`, when given).
 */
export function committedSats (ctx: Ctx, member: string, agentKey?: string): number {
  const m = own(ctx.state.members, member)
  const agent = agentKey ?? m?.agentKey
  let sum = 0
  for (const r of unfinishedDirectivesOf(ctx.state, member)) if (directiveAgent(m, r) === agent) sum += openedSats(r.directive)
  return sum
}

/** Every member who can take a new channel, with how much Storm liquidity points at it already. */
export function peerCandidates (ctx: Ctx): PeerCandidate[] {
  return placementPicture(ctx).candidates
}

/**
 * Node keys the member has a channel with, or has one planned with, at any of its nodes; and its
 * own nodes (never a peer of its own).
 */
function peersOf (ctx: Ctx, member: Member): Set<string> {
  const ownKeys = new Set(nodeKeysOf(member))
  const peers = new Set<string>(ownKeys)
  for (const n of nodesOf(member)) {
    const report = ctx.observations.get(observationKey(member, n.agentKey)).report
    for (const c of report?.channels ?? []) peers.add(c.peer)
    for (const p of report?.pending ?? []) peers.add(p.peer)
  }
  for (const r of unfinishedDirectives(ctx.state)) {
    for (const o of channelOpens(r.directive)) {
      if (r.target === member.id) peers.add(o.peer)
      // a channel another member is about to open to us (from the node its directive goes to)
      if (!ownKeys.has(o.peer)) continue
      const opener = own(ctx.state.members, r.target)
      const agent = directiveAgent(opener, r)
      const from = opener === undefined || agent === undefined ? undefined : nodeOfAgent(opener, agent)?.node.publicKey
      if (from !== undefined) peers.add(from)
    }
  }
  for (const a of allocationsOf(ctx.state, member.id)) {
    if (a.kind === 'add') for (const c of a.channels) if (c.state !== 'closed') peers.add(c.peer)
  }
  return peers
}
