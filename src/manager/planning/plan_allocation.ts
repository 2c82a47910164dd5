/**
 * The first planner: splits an `addfunds` amount into channels to other members.
 *
 * Invariants (tested): the capacities add up to the amount; each is within the Storm's channel
 * size limits; no peer twice; never the member itself; never a peer it already has a channel
 * (or a planned channel) with; only members whose agents are paired; deterministic.
 *
 * Peers are chosen to balance connectivity: well-rated members before those whose uptime rating
 * is below `minRating` (used only when no one else is left, so nobody goes without channels),
 * then the members that receive the least Storm liquidity, then those with the fewest channels,
 * then by id.
 */
import { err, ok, type Result } from '../../shared/errors.ts'

export interface PeerCandidate {
  member: string
  nodeKey: string
  socket?: string
  /** Storm liquidity already pointing at this member (sats). */
  inbound: number
  /** Storm channels this member has. */
  channels: number
  /** Uptime rating, 0–100 (100 when absent). */
  rating?: number
}

export interface AllocationPlanInput {
  member: string
  amount: number
  candidates: PeerCandidate[]
  /** Node keys the member already has, or has planned, a channel with. */
  existingPeers: ReadonlySet<string>
  minChannelSize: number
  maxChannelSize: number
  maxChannels: number
  /** Candidates rated below this come last. Default 0: rating ignored. */
  minRating?: number
  /** Members the Storm is routing around (planned downtime): never chosen. */
  avoid?: ReadonlySet<string>
}

export interface PlannedChannel {
  peer: string
  peerMember: string
  socket?: string
  capacity: number
}

/**
 * Errors: `AMOUNT_BELOW_MIN_CHANNEL` {min}, `NO_PEERS_AVAILABLE`,
 * `AMOUNT_ABOVE_STORM_CAPACITY` {max} (more than the available peers can take in one request).
 */
export function planAllocation (input: AllocationPlanInput): Result<PlannedChannel[]> {
  const { amount, minChannelSize: min, maxChannelSize: max } = input
  if (amount < min) return err('AMOUNT_BELOW_MIN_CHANNEL', { min })
  const low = (c: PeerCandidate): number => (c.rating ?? 100) < (input.minRating ?? 0) ? 1 : 0
  const eligible = input.candidates
    .filter(c => c.member !== input.member && !input.existingPeers.has(c.nodeKey) && input.avoid?.has(c.member) !== true)
    .sort((a, b) => low(a) - low(b) || a.inbound - b.inbound || a.channels - b.channels || (a.member < b.member ? -1 : a.member > b.member ? 1 : 0))
  // a peer key may belong to one member only; keep the first occurrence
  const seen = new Set<string>()
  const peers = eligible.filter(c => !seen.has(c.nodeKey) && seen.add(c.nodeKey))
  if (peers.length === 0) return err('NO_PEERS_AVAILABLE')
  const most = Math.min(input.maxChannels, peers.length, Math.floor(amount / min))
  const least = Math.ceil(amount / max)
  if (least > most) return err('AMOUNT_ABOVE_STORM_CAPACITY', { max: most * max })
  const n = most
  const base = Math.floor(amount / n)
  const extra = amount - base * n
  return ok(peers.slice(0, n).map((p, i) => {
    const planned: PlannedChannel = { peer: p.nodeKey, peerMember: p.member, capacity: base + (i < extra ? 1 : 0) }
    if (p.socket !== undefined) planned.socket = p.socket
    return planned
  }))
}
