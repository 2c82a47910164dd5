/**
 * Stake: the liquidity a member has put into open Storm channels — the capacity of the channels
 * it opened (funded) to other members' nodes, from its latest report. Before a member's first
 * report since the manager started, the open channels its allocations funded (stored) stand in.
 * A channel another member opened to it is that member's stake, not its own. A member with several
 * nodes (a fleet) has one stake: what all its nodes opened to other members' nodes (a channel
 * between two of its own nodes is no stake: it connects the member to itself).
 */
import type { Ctx } from '../context.ts'
import type { Member } from '../state/schema.ts'
import { activeMembers } from '../members/find_member.ts'
import { allocatedBy } from '../allocations/track_allocation.ts'
import { nodeKeysOf, nodesOf, observationKey } from '../members/member_nodes.ts'
import { own } from '../../shared/own.ts'

/** Each active member's stake in sats, by member id. */
export function stakes (ctx: Pick<Ctx, 'state' | 'observations'>): Record<string, number> {
  const members = activeMembers(ctx.state)
  const stormNodes = new Set(members.flatMap(nodeKeysOf))
  const out: Record<string, number> = {}
  for (const m of members) out[m.id] = stakeOf(ctx, m.id, stormNodes)
  return out
}

/** One member's stake in sats. */
export function stakeOf (ctx: Pick<Ctx, 'state' | 'observations'>, member: string, stormNodes?: ReadonlySet<string>): number {
  const nodes = stormNodes ?? new Set(activeMembers(ctx.state).flatMap(nodeKeysOf))
  if (ctx.observations.get(member).report === undefined) return allocatedBy(ctx, member)
  const m = own(ctx.state.members, member)
  if (m === undefined) return 0
  return fleetStake(ctx, m, nodes)
}

/** What the member's nodes opened to other members' nodes, from each node's latest report. */
export function fleetStake (ctx: Pick<Ctx, 'observations'>, m: Member, stormNodes: ReadonlySet<string>): number {
  const ownKeys = new Set(nodeKeysOf(m))
  let stake = 0
  for (const n of nodesOf(m)) {
    for (const c of ctx.observations.get(observationKey(m, n.agentKey)).report?.channels ?? []) {
      if (c.initiator && stormNodes.has(c.peer) && !ownKeys.has(c.peer)) stake += c.capacity
    }
  }
  return stake
}
