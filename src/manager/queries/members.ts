/**
 * Members as every reader shows them: stake, rating, status, whether their agent is online.
 */
import type { Member } from '../state/schema.ts'
import { allocatedBy } from '../allocations/track_allocation.ts'
import type { ReadSource } from './read_source.ts'
import { hasGovernance, stormNodes } from './read_source.ts'
import { known, unknown, type MemberView } from './views.ts'
import { downtimeUnderway } from '../liveness/away.ts'
import { nodesOf, observationKey } from '../members/member_nodes.ts'
import { fleetStake } from '../governance/stake.ts'

/** Every member but those who left, in the order they asked to join. */
export function membersView (src: ReadSource): MemberView[] {
  const nodes = new Set(stormNodes(src.state).keys())
  const rated = hasGovernance(src.state)
  const members = Object.values(src.state.members)
    .filter(m => m.status !== 'left')
    .sort((a, b) => a.requestedAt - b.requestedAt || a.id.localeCompare(b.id))
  const rows = members.map(m => memberRow(src, m, nodes, rated))
  const total = rows.reduce((s, r) => s + r.stake, 0)
  for (const r of rows) r.stakeShare = total === 0 ? 0 : r.stake / total
  return rows
}

/** One member's stake, sats (see `MemberView.stake`). */
export function stakeOf (src: ReadSource, member: string, nodes: ReadonlySet<string>): { stake: number, basis: 'reported' | 'allocations' } {
  if (src.observations.get(member).report === undefined) return { stake: allocatedBy(src, member), basis: 'allocations' }
  // a member with several nodes (a fleet) has one stake: what all of them opened to other members
  const m = src.state.members[member]
  const stake = m === undefined ? 0 : fleetStake(src, m, nodes)
  return { stake, basis: 'reported' }
}

function memberRow (src: ReadSource, m: Member, nodes: ReadonlySet<string>, rated: boolean): MemberView {
  const o = src.observations.get(m.id)
  const active = m.status === 'active' || m.status === 'leaving'
  // every node's Storm channels, but those between two of its own nodes
  const ownKeys = new Set(nodesOf(m).map(n => n.node.publicKey))
  const channels = active ? nodesOf(m).flatMap(n => src.observations.stormChannels(observationKey(m, n.agentKey), nodes).filter(c => !ownKeys.has(c.peer))) : []
  const { stake, basis } = active ? stakeOf(src, m.id, nodes) : { stake: 0, basis: 'allocations' as const }
  return {
    id: m.id,
    name: m.chat.name,
    status: m.status,
    joinedAt: m.joinedAt ?? null,
    paired: m.node !== undefined,
    alias: m.node?.alias ?? null,
    online: o.connectedSince !== undefined,
    fleet: nodesOf(m).filter(n => !n.primary).map(n => ({
      alias: n.node.alias,
      publicKey: n.node.publicKey,
      online: src.observations.get(observationKey(m, n.agentKey)).connectedSince !== undefined
    })),
    lastSeenAt: o.lastSeenAt ?? null,
    healthy: o.health === undefined ? unknown('not_reported') : known(o.health.healthy),
    flow: o.report === undefined ? 'not_reported' : o.report.flowPrivate === true ? 'private' : 'reported',
    away: active && downtimeUnderway(src.state, m.id) !== undefined,
    stake,
    stakeBasis: basis,
    stakeShare: 0,
    rating: rated ? known(m.rating) : unknown('not_yet_available'),
    channels: channels.length,
    capacity: channels.reduce((s, c) => s + c.capacity, 0)
  }
}
