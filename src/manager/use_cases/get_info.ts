/**
 * `getinfo`: the seed's JSON, for the asking member. A chat user who is not a member yet sees the
 * Storm's figures with empty member fields.
 */
import type { Ctx } from '../context.ts'
import type { Actor } from '../members/find_member.ts'
import { activeMembers, findMemberByActor } from '../members/find_member.ts'
import { allocatedBy, isPending } from '../allocations/track_allocation.ts'
import { allocationsOf, unfinishedDirectivesOf } from '../state/indexes.ts'
import type { Allocation, Member } from '../state/schema.ts'
import { downtimeUnderway, shortDuration } from '../liveness/away.ts'
import { windowEnd } from '../liveness/schema.ts'
import { nodesOf, observationKey } from '../members/member_nodes.ts'

export const STORM_VERSION = 'Storm release v0.1.0'

export interface GetInfo {
  version: string
  group: string
  members: number
  connected: boolean
  uptime: string
  consensus_fee_base: number
  consensus_fee_rate: number
  rating: number
  total_allocations: number
  pending_allocations: Array<{ id: string, amount: number }>
  pending_deallocations: Array<{ id: string, amount: number }>
  pending_directives: Array<{ id: string, action: string, status: string }>
  /**
   * Only for a member with a fleet (more than one node): each node, the first one first. A
   * member with one node gets exactly the seed's keys.
   */
  nodes?: Array<{ alias: string, pubkey: string, connected: boolean }>
  /** Only when the member chose not to report its flow (`reportFlow=false`): `private`. */
  flow?: 'private'
  /** Only while the member has planned downtime under way. */
  downtime?: { id: string, status: string, duration: string, window_start: string | null, window_end: string | null }
}

export function getInfo (ctx: Pick<Ctx, 'state' | 'now' | 'observations'>, actor: Actor): GetInfo {
  const { state } = ctx
  const member = findMemberByActor(state, actor)
  const mine = member !== undefined && (member.status === 'active' || member.status === 'leaving') ? member : undefined
  const since = mine === undefined ? undefined : ctx.observations.get(mine.id).connectedSince
  const allocations = mine === undefined ? [] : allocationsOf(state, mine.id).filter(isPending)
  const info = seedInfo(ctx, mine, since, allocations)
  // Storm's additions come after the seed's keys, and only when they say something
  if (mine !== undefined && ctx.observations.get(mine.id).report?.flowPrivate === true) info.flow = 'private'
  const fleet = mine === undefined ? [] : nodesOf(mine)
  if (fleet.length >= 2) info.nodes = fleet.map(n => ({ alias: n.node.alias, pubkey: n.node.publicKey, connected: ctx.observations.get(observationKey(mine!, n.agentKey)).connectedSince !== undefined }))
  const away = mine === undefined ? undefined : downtimeUnderway(state, mine.id)
  if (away !== undefined) {
    const end = windowEnd(away)
    const at = (t: number | undefined): string | null => t === undefined ? null : new Date(t).toISOString()
    info.downtime = { id: away.id, status: away.status, duration: shortDuration(away.durationMs), window_start: at(away.grantedAt), window_end: at(end) }
  }
  return info
}

function seedInfo (ctx: Pick<Ctx, 'state' | 'now' | 'observations'>, mine: Member | undefined, since: number | undefined, allocations: Allocation[]): GetInfo {
  const { state } = ctx
  return {
    version: STORM_VERSION,
    group: state.group,
    members: activeMembers(state).length,
    connected: since !== undefined,
    uptime: formatDuration(since === undefined ? 0 : ctx.now - since),
    consensus_fee_base: Number(state.consensus.baseFeeMsat),
    consensus_fee_rate: state.consensus.feeRatePpm / 1e6,
    rating: mine?.rating ?? 0,
    total_allocations: mine === undefined ? 0 : allocatedBy(ctx, mine.id),
    pending_allocations: allocations.filter(a => a.kind === 'add').map(a => ({ id: a.id, amount: a.amount })),
    pending_deallocations: allocations.filter(a => a.kind === 'remove').map(a => ({ id: a.id, amount: a.amount })),
    pending_directives: mine === undefined
      ? []
      : unfinishedDirectivesOf(state, mine.id)
        .sort((a, b) => a.directive.createdAt - b.directive.createdAt)
        .map(r => ({ id: r.directive.id, action: r.directive.kind, status: r.status }))
  }
}

/** `3d 22h 11m 4s`, as in the seed; units that are zero at the front are left out. */
export function formatDuration (ms: number): string {
  let s = Math.max(0, Math.floor(ms / 1000))
  const d = Math.floor(s / 86400); s -= d * 86400
  const h = Math.floor(s / 3600); s -= h * 3600
  const m = Math.floor(s / 60); s -= m * 60
  const parts: string[] = []
  if (d > 0) parts.push(`${d}d`)
  if (d > 0 || h > 0) parts.push(`${h}h`)
  if (d > 0 || h > 0 || m > 0) parts.push(`${m}m`)
  parts.push(`${s}s`)
  return parts.join(' ')
}
