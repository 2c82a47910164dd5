/**
 * Where a member's new channels go: Storm's planner, and the two baselines it is measured
 * against. All three see the same request, split the amount the same way (the planner's equal
 * split over as many peers as the rules allow) and keep the planner's invariants (no self, no
 * existing peer, no peer twice); they differ only in which peers they pick.
 */
import { planAllocation, type PeerCandidate, type PlannedChannel } from '../../src/manager/planning/plan_allocation.ts'
import type { Prng } from '../../src/simnet/index.ts'

/** The Storm as a placement sees it when a request comes in. */
export interface StormPicture {
  /** Member ids, by index. */
  members: readonly string[]
  /** Index of each member id. */
  indexOf: ReadonlyMap<string, number>
  /** Node keys, by index. */
  nodeKeys: readonly string[]
  /** Storm liquidity pointing at each member (capacity of channels others opened to it), sats. */
  inbound: readonly number[]
  /** Storm channels of each member, either direction. */
  channels: readonly number[]
  /** Peers (indexes) each member has a channel with. */
  peers: ReadonlyArray<ReadonlySet<number>>
  /** On-chain sats each member still holds (what its reports would show): 0 for a newcomer. */
  funds: readonly number[]
  /** The Storm's channels so far: ends (indexes) and each side's balance. */
  edges: ReadonlyArray<{ a: number, b: number, balA: number, balB: number }>
}

/** Storm's channel-size rules (`StormRules`' fields the planner reads). */
export interface SizeRules {
  minChannelSize: number
  maxChannelSize: number
  maxChannelsPerAllocation: number
}

/** One `addfunds` request. */
export interface PlacementRequest {
  member: number
  amount: number
}

/** A channel to open: the peer's index and the capacity. */
export interface Placed {
  peer: number
  capacity: number
}

/** A way to place channels; `null` when the request cannot be placed (the planner's errors). */
export interface Placement {
  name: string
  /** What the row is, for the printed notes. */
  describe: string
  place (request: PlacementRequest, picture: StormPicture, rules: SizeRules, rng: Prng): Placed[] | null
}

/** Storm's planner, fed the live picture as `peerCandidates` builds it for `addFunds`. */
export const STORM_PLANNER: Placement = {
  name: 'storm planner',
  describe: 'planAllocation (src/manager/planning: flow-aware placement) on the live picture — the graph, balances and on-chain funds — request by request, as addFunds feeds it',
  place (request, picture, rules) {
    const candidates: PeerCandidate[] = picture.members.map((member, i) => ({
      member, nodeKey: picture.nodeKeys[i]!, inbound: picture.inbound[i]!, channels: picture.channels[i]!, funds: picture.funds[i]!
    }))
    const existing = new Set<string>()
    for (const p of picture.peers[request.member]!) existing.add(picture.nodeKeys[p]!)
    const plan = planAllocation({
      member: picture.members[request.member]!,
      amount: request.amount,
      candidates,
      channels: picture.edges,
      existingPeers: existing,
      minChannelSize: rules.minChannelSize,
      maxChannelSize: rules.maxChannelSize,
      maxChannels: rules.maxChannelsPerAllocation
    })
    if (!plan.ok) return null
    return plan.value.map((c: PlannedChannel) => ({ peer: memberIndex(picture, c.peerMember), capacity: c.capacity }))
  }
}

/** Uniform random peers. */
export const RANDOM_PLACEMENT: Placement = {
  name: 'random',
  describe: 'uniform random peers among the other members',
  place (request, picture, rules, rng) {
    const eligible = eligiblePeers(request.member, picture)
    const n = channelCount(request.amount, eligible.length, rules)
    if (n === null) return null
    // a partial Fisher–Yates shuffle: the first n are a uniform sample without replacement
    for (let i = 0; i < n; i++) {
      const j = i + rng.int(eligible.length - i)
      const t = eligible[i]!
      eligible[i] = eligible[j]!
      eligible[j] = t
    }
    return splitEqually(request.amount, eligible.slice(0, n))
  }
}

/**
 * Preferential attachment as LND's autopilot does it (`ConstrainedPrefAttachment`, Barabási–
 * Albert): each peer is drawn with probability ∝ 1 + its channel count, without replacement.
 */
export const PREFERENTIAL_ATTACHMENT: Placement = {
  name: 'pref. attachment',
  describe: "LND autopilot's preferential attachment: peer drawn with probability ∝ 1 + its channels",
  place (request, picture, rules, rng) {
    const eligible = eligiblePeers(request.member, picture)
    const n = channelCount(request.amount, eligible.length, rules)
    if (n === null) return null
    const weights = eligible.map(p => 1 + picture.channels[p]!)
    let total = weights.reduce((s, w) => s + w, 0)
    const chosen: number[] = []
    for (let k = 0; k < n; k++) {
      let x = rng.float() * total
      let pick = -1
      for (let i = 0; i < weights.length; i++) {
        if (weights[i] === 0) continue
        pick = i
        x -= weights[i]!
        if (x < 0) break
      }
      chosen.push(eligible[pick]!)
      total -= weights[pick]!
      // drawn once: a weight of 0 keeps it out of the next draws
      weights[pick] = 0
    }
    return splitEqually(request.amount, chosen)
  }
}

/** Every placement, Storm's planner first. */
export const PLACEMENTS: readonly Placement[] = [STORM_PLANNER, RANDOM_PLACEMENT, PREFERENTIAL_ATTACHMENT]

/** Members the requester may open to: not itself, not an existing peer. */
export function eligiblePeers (member: number, picture: StormPicture): number[] {
  const peers = picture.peers[member]!
  const out: number[] = []
  for (let i = 0; i < picture.members.length; i++) if (i !== member && !peers.has(i)) out.push(i)
  return out
}

/**
 * How many channels the planner would open for `amount` with `eligible` peers available: as many
 * as the rules allow, each at least the minimum size. Null when the planner would refuse.
 */
export function channelCount (amount: number, eligible: number, rules: SizeRules): number | null {
  if (amount < rules.minChannelSize || eligible === 0) return null
  const most = Math.min(rules.maxChannelsPerAllocation, eligible, Math.floor(amount / rules.minChannelSize))
  return Math.ceil(amount / rules.maxChannelSize) > most ? null : most
}

/** The planner's split: equal parts, the remainder a sat each to the first ones. */
export function splitEqually (amount: number, peers: readonly number[]): Placed[] {
  const base = Math.floor(amount / peers.length)
  const extra = amount - base * peers.length
  return peers.map((peer, i) => ({ peer, capacity: base + (i < extra ? 1 : 0) }))
}

function memberIndex (picture: StormPicture, member: string): number {
  const i = picture.indexOf.get(member)
  if (i === undefined) throw new Error(`placement: the planner chose an unknown member ${member}`)
  return i
}
