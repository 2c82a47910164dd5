/**
 * The `addfunds` planner: splits an amount into channels to other members. Which members and
 * what sizes is flow-aware placement (`plan_placement.ts`): the Storm's graph, balances and flow.
 *
 * Invariants (tested): the capacities add up to the amount; each is within the Storm's channel
 * size limits; no peer twice; never the member itself; never a peer it already has a channel
 * (or a planned channel) with, at any of its nodes (a fleet); never a member or node in `avoid`; only members whose agents are
 * paired; deterministic. Members rated below `minRating` only when nobody else is left, so
 * nobody goes without channels.
 */
import { err, ok, type Result } from '../../shared/errors.ts'
import { planPlacement, type EdgeColumns, type PlacementEdge, type PlacementPeer } from './plan_placement.ts'

/** A member the requester may open to (see `PlacementPeer` for the fields). */
export type PeerCandidate = PlacementPeer & {
  socket?: string
  /** Every node of the member when it pairs several (a fleet), `nodeKey` (the one opened to) first. */
  nodeKeys?: string[]
}

/** A Storm channel between two candidates (indexes into `candidates`), with each side's balance. */
export type CandidateChannel = PlacementEdge

export interface AllocationPlanInput {
  member: string
  amount: number
  candidates: PeerCandidate[]
  /** The Storm's channels between candidates; none: placement by inbound and channel counts alone. */
  channels?: readonly CandidateChannel[]
  /** The same channels as columns, when the caller keeps them (see `PlacementInput.columns`). */
  columns?: EdgeColumns
  /** Node keys the member already has, or has planned, a channel with. */
  existingPeers: ReadonlySet<string>
  /** Members (ids) or node keys not to open to now (planned downtime, leaving, ...). */
  avoid?: ReadonlySet<string>
  minChannelSize: number
  maxChannelSize: number
  maxChannels: number
  /** Candidates rated below this come last. Default 0: rating ignored. */
  minRating?: number
}

export interface PlannedChannel {
  peer: string
  peerMember: string
  socket?: string
  capacity: number
}

const NOBODY: ReadonlySet<string> = new Set()

/**
 * Errors: `AMOUNT_BELOW_MIN_CHANNEL` {min}, `NO_PEERS_AVAILABLE`,
 * `AMOUNT_ABOVE_STORM_CAPACITY` {max} (more than the available peers can take in one request).
 */
export function planAllocation (input: AllocationPlanInput): Result<PlannedChannel[]> {
  const { amount, minChannelSize: min, maxChannelSize: max, candidates } = input
  if (amount < min) return err('AMOUNT_BELOW_MIN_CHANNEL', { min })
  const avoid = input.avoid ?? NOBODY
  const eligible = new Array<boolean>(candidates.length).fill(false)
  // a peer key may belong to one member only; keep the first occurrence
  const seen = new Set<string>()
  let requester = -1
  let count = 0
  const avoiding = avoid.size > 0
  for (let i = 0; i < candidates.length; i++) {
    const c = candidates[i]!
    if (c.member === input.member) {
      if (requester === -1) requester = i
      continue
    }
    if (input.existingPeers.has(c.nodeKey) || (avoiding && (avoid.has(c.member) || avoid.has(c.nodeKey)))) continue
    // a member with several nodes: none of them already a peer, or on its way to being one
    if (c.nodeKeys !== undefined && c.nodeKeys.some(k => input.existingPeers.has(k) || avoid.has(k))) continue
    if (seen.size === seen.add(c.nodeKey).size) continue
    eligible[i] = true
    count++
  }
  if (count === 0) return err('NO_PEERS_AVAILABLE')
  const most = Math.min(input.maxChannels, count, Math.floor(amount / min))
  const least = Math.ceil(amount / max)
  if (least > most) return err('AMOUNT_ABOVE_STORM_CAPACITY', { max: most * max })
  const existingRegions: string[] = []
  for (const c of candidates) if (c.region !== undefined && input.existingPeers.has(c.nodeKey)) existingRegions.push(c.region)
  const me = requester === -1 ? undefined : candidates[requester]
  const picks = planPlacement({
    requester,
    peers: candidates,
    eligible,
    edges: input.channels ?? [],
    ...(input.columns === undefined ? {} : { columns: input.columns }),
    count: most,
    amount,
    minChannelSize: min,
    maxChannelSize: max,
    minRating: input.minRating ?? 0,
    ...(me?.region === undefined ? {} : { region: me.region }),
    peerRegions: existingRegions
  })
  return ok(picks.map(({ peer, capacity }) => {
    const p = candidates[peer]!
    const planned: PlannedChannel = { peer: p.nodeKey, peerMember: p.member, capacity }
    if (p.socket !== undefined) planned.socket = p.socket
    return planned
  }))
}
