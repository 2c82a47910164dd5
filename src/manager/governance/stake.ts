/**
 * Stake: the liquidity a member has put into open Storm channels — the capacity of the channels
 * it opened (funded) to other members' nodes, from its latest report. Before a member's first
 * report since the manager started, the open channels its allocations funded (stored) stand in.
 * A channel another member opened to it is that member's stake, not its own.
 */
import type { Ctx } from '../context.ts'
import { activeMembers } from '../members/find_member.ts'
import { allocatedBy } from '../allocations/track_allocation.ts'

/** Each active member's stake in sats, by member id. */
export function stakes (ctx: Pick<Ctx, 'state' | 'observations'>): Record<string, number> {
  const members = activeMembers(ctx.state)
  const stormNodes = new Set(members.flatMap(m => m.node === undefined ? [] : [m.node.publicKey]))
  const out: Record<string, number> = {}
  for (const m of members) out[m.id] = stakeOf(ctx, m.id, stormNodes)
  return out
}

/** One member's stake in sats. */
export function stakeOf (ctx: Pick<Ctx, 'state' | 'observations'>, member: string, stormNodes?: ReadonlySet<string>): number {
  const nodes = stormNodes ?? new Set(activeMembers(ctx.state).flatMap(m => m.node === undefined ? [] : [m.node.publicKey]))
  if (ctx.observations.get(member).report === undefined) return allocatedBy(ctx, member)
  return ctx.observations.stormChannels(member, nodes)
    .filter(c => c.initiator)
    .reduce((s, c) => s + c.capacity, 0)
}
