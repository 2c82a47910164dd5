/**
 * The graceful exit planner: before a member's channels close (`removefunds`, `disconnect`), which
 * other members would lose their path to the rest of the Storm, or fall under the rules' minimum
 * capacity, which channels other members should open first to prevent it, and in which order the
 * closes are safe. Pure: a function of the Storm's channel graph and the rules.
 *
 * - A member is *cut off* when it reaches fewer members over Storm channels after the exit than
 *   before. After a `disconnect` the leaving member is gone, with every channel it has (the ones
 *   others funded too): it is neither reached nor passed through. After a `removefunds` it stays.
 * - A member is *thin* when its Storm capacity falls below `minMemberCapacity` because of the exit
 *   (a member that was already thin and loses nothing is not the exit's doing).
 * - Reinforcements: for each member at risk, one channel opened *to* it by a member outside its
 *   piece of the graph (when cut off) or by anyone else (when thin), chosen by the placement
 *   planner (`planAllocation`: well-rated first, then least inbound, fewest channels), from members
 *   who can pay for it. Each planned channel joins the graph before the next member is looked at,
 *   so two members cut off together get one channel, not two.
 * - Close order: greedily, a close that cuts nobody off (on the graph of the moment, the leaving
 *   member still there) goes first, smallest first; the closes that would cut someone off wait
 *   (`deferred`) until the reinforcements are open.
 */
import { planAllocation, type PeerCandidate } from './plan_allocation.ts'

/** A Storm channel between two members. */
export interface ExitEdge {
  /** The channel point. */
  id: string
  a: string
  b: string
  capacity: number
}

/** A member who could open a reinforcement: the placement candidate and what it can spend. */
export interface Opener extends PeerCandidate {
  /** Sats the member can put into a new channel now (on chain, less what is committed and the reserve). */
  available: number
}

export interface ExitPlanInput {
  leaving: string
  /** Every member taking part, the leaving one included. */
  members: readonly string[]
  edges: readonly ExitEdge[]
  /** Channel points the exit closes (the leaving member's funded channels, or some of them). */
  closing: readonly string[]
  /** True for `disconnect`: the member and all its channels go. */
  leaves: boolean
  minMemberCapacity: number
  minChannelSize: number
  maxChannelSize: number
  openers: readonly Opener[]
  /** Members' node keys, to say which peers a member already has. */
  keyOf: ReadonlyMap<string, string>
  /** Candidates rated below this come last (as in placement). */
  minRating?: number
}

export type RiskReason = 'cut_off' | 'thin'

export interface AtRisk {
  member: string
  reason: RiskReason
  /** Its Storm capacity before and after the exit (without reinforcements). */
  capacityBefore: number
  capacityAfter: number
}

export interface Reinforcement {
  /** Who opens (and funds) the channel. */
  opener: string
  /** Who it opens to: the member at risk. */
  to: string
  capacity: number
  reason: RiskReason
}

export interface ExitPlan {
  atRisk: AtRisk[]
  reinforcements: Reinforcement[]
  /** Members at risk for whom no opener could be found (no one with the funds). */
  unhelped: string[]
  /** Closes that cut nobody off, in the order to issue them. */
  safe: string[]
  /** Closes that wait until the reinforcements are open, in order. */
  deferred: string[]
}

export function planExit (input: ExitPlanInput): ExitPlan {
  const others = input.members.filter(m => m !== input.leaving)
  const closing = new Set(input.closing)
  const after = input.edges.filter(e => !closing.has(e.id) && !(input.leaves && (e.a === input.leaving || e.b === input.leaving)))
  // after a disconnect the leaving member is not there to reach, nor to pass through; after a
  // removefunds it still is
  const counted = input.leaves ? others : input.members
  const skip = input.leaves ? input.leaving : null
  const reachBefore = reachCounts(counted, input.edges, null)
  const capBefore = capacities(input.edges)

  const planned: ExitEdge[] = []
  const reinforcements: Reinforcement[] = []
  const unhelped: string[] = []
  const atRisk: AtRisk[] = []
  const spent = new Map<string, number>()
  const considered = new Set<string>()
  for (let round = 0; round < others.length; round++) {
    const graph = [...after, ...planned]
    const reach = reachCounts(counted, graph, skip)
    const cap = capacities(graph)
    const capAfter = capacities(after)
    const main = mainPiece(counted, graph, skip)
    // a member lost paths and is not in the biggest piece left: it is the one cut off (the members
    // of the biggest piece lost their paths to it, not to the Storm)
    const isCutOff = (m: string): boolean => (reach.get(m) ?? 0) < (reachBefore.get(m) ?? 0) && !main.has(m)
    const isThin = (m: string): boolean => (cap.get(m) ?? 0) < input.minMemberCapacity && (capAfter.get(m) ?? 0) < (capBefore.get(m) ?? 0)
    // members cut off first: a channel that joins them back may also leave them thick enough
    const next = others.find(m => !considered.has(m) && isCutOff(m)) ?? others.find(m => !considered.has(m) && isThin(m))
    if (next === undefined) break
    considered.add(next)
    const cutOff = isCutOff(next)
    const reason: RiskReason = cutOff ? 'cut_off' : 'thin'
    atRisk.push({ member: next, reason, capacityBefore: capBefore.get(next) ?? 0, capacityAfter: capAfter.get(next) ?? 0 })
    const need = Math.min(input.maxChannelSize, Math.max(input.minChannelSize, input.minMemberCapacity - (cap.get(next) ?? 0)))
    // members it must not be paired with again: its peers already, and (when cut off) its own piece
    const exclude = new Set<string>()
    for (const e of graph) {
      if (e.a === next) exclude.add(input.keyOf.get(e.b) ?? e.b)
      if (e.b === next) exclude.add(input.keyOf.get(e.a) ?? e.a)
    }
    if (cutOff) for (const m of walk(next, adjacency(graph, skip))) exclude.add(input.keyOf.get(m) ?? m)
    const candidates = input.openers.filter(o => o.member !== input.leaving && o.member !== next &&
      o.available - (spent.get(o.member) ?? 0) >= need)
    const choice = planAllocation({
      member: next,
      amount: need,
      candidates,
      existingPeers: exclude,
      minChannelSize: input.minChannelSize,
      maxChannelSize: input.maxChannelSize,
      maxChannels: 1,
      ...(input.minRating === undefined ? {} : { minRating: input.minRating })
    })
    if (!choice.ok || choice.value.length === 0) {
      unhelped.push(next)
      // its whole piece is as stranded as it is: one name for it is enough
      if (cutOff) for (const m of walk(next, adjacency(graph, skip))) considered.add(m)
      continue
    }
    const c = choice.value[0]!
    spent.set(c.peerMember, (spent.get(c.peerMember) ?? 0) + c.capacity)
    planned.push({ id: `planned:${next}`, a: c.peerMember, b: next, capacity: c.capacity })
    reinforcements.push({ opener: c.peerMember, to: next, capacity: c.capacity, reason })
  }

  // the order: closes that cut nobody off (with the leaving member still there), smallest first
  const byId = new Map(input.edges.map(e => [e.id, e]))
  const left = input.closing.filter(id => byId.has(id))
    .sort((x, y) => byId.get(x)!.capacity - byId.get(y)!.capacity || (x < y ? -1 : x > y ? 1 : 0))
  // a channel the graph does not have (inactive, not reported) carries nobody's path: it goes first
  const safe: string[] = input.closing.filter(id => !byId.has(id))
  let current = [...input.edges]
  const base = reachCounts(counted, current, null)
  for (let progress = true; progress;) {
    progress = false
    for (const id of left) {
      if (safe.includes(id)) continue
      const without = current.filter(e => e.id !== id)
      const reach = reachCounts(counted, without, null)
      if (counted.every(m => (reach.get(m) ?? 0) >= (base.get(m) ?? 0))) {
        safe.push(id)
        current = without
        progress = true
      }
    }
  }
  const deferred = left.filter(id => !safe.includes(id))
  return { atRisk, reinforcements, unhelped, safe, deferred }
}

/**
 * For each member, how many of `members` (itself excluded) it reaches over `edges`, not passing
 * through `skip` (the leaving member, when it is gone).
 */
function reachCounts (members: readonly string[], edges: readonly ExitEdge[], skip: string | null): Map<string, number> {
  const wanted = new Set(members)
  const out = new Map<string, number>()
  const adj = adjacency(edges, skip)
  for (const m of members) {
    if (out.has(m)) continue
    const comp = walk(m, adj)
    const count = [...comp].filter(x => wanted.has(x)).length - 1
    for (const x of comp) if (wanted.has(x)) out.set(x, count)
  }
  return out
}

/** The piece of the graph holding the most of `members` (ties: the one with the earliest member). */
function mainPiece (members: readonly string[], edges: readonly ExitEdge[], skip: string | null): Set<string> {
  const adj = adjacency(edges, skip)
  const wanted = new Set(members)
  let best = new Set<string>()
  let bestCount = -1
  const seen = new Set<string>()
  for (const m of members) {
    if (seen.has(m) || m === skip) continue
    const piece = walk(m, adj)
    for (const x of piece) seen.add(x)
    const count = [...piece].filter(x => wanted.has(x)).length
    if (count > bestCount) { best = piece; bestCount = count }
  }
  return best
}

function adjacency (edges: readonly ExitEdge[], skip: string | null): Map<string, string[]> {
  const adj = new Map<string, string[]>()
  for (const e of edges) {
    if (e.a === skip || e.b === skip) continue
    adj.set(e.a, [...adj.get(e.a) ?? [], e.b])
    adj.set(e.b, [...adj.get(e.b) ?? [], e.a])
  }
  return adj
}

function walk (start: string, adj: ReadonlyMap<string, string[]>): Set<string> {
  const seen = new Set([start])
  const stack = [start]
  while (stack.length > 0) {
    for (const n of adj.get(stack.pop()!) ?? []) {
      if (!seen.has(n)) { seen.add(n); stack.push(n) }
    }
  }
  return seen
}

function capacities (edges: readonly ExitEdge[]): Map<string, number> {
  const out = new Map<string, number>()
  for (const e of edges) {
    out.set(e.a, (out.get(e.a) ?? 0) + e.capacity)
    out.set(e.b, (out.get(e.b) ?? 0) + e.capacity)
  }
  return out
}
