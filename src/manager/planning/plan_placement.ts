/**
 * Flow-aware placement: which members a new `addfunds` request opens channels to, and how big
 * each is, from the Storm's channel graph, the reported balances and the flow. Pure and linear in
 * the graph (one BFS, one bridge search, one reverse reachability), so one request at 3,000
 * members and 30,000 channels plans in a few milliseconds.
 *
 * Each eligible peer gets a score; peers are picked greedily, best first, and the score of the
 * others updated after each pick (a second channel into the same part of the graph gains less):
 *
 * - **no member without a channel**: a member with no Storm channel at all (and none planned)
 *   comes first, newcomers without funds of their own before those who can open their own;
 * - **2-edge-connectivity**: a channel u–v removes every bridge between u's and v's
 *   2-edge-connected components (`graph_structure.ts`); another connected component counts more;
 * - **short paths**: peers many hops away shorten the paths to a whole region of the graph;
 * - **inbound to those who lack it**: Storm liquidity already pointing at the peer, counted in
 *   channels of this request's size, and what the peer can still receive (its remote balances);
 * - **flow**: members who have received more than they sent (their local balances grew) drain
 *   their inbound and get more; a peer that can already pay the requester (a path of its local
 *   balances) closes a directed cycle, so the new channel carries payments both ways and can be
 *   rebalanced circularly;
 * - **rating**: peers rated below `minRating` only when no one else is left;
 * - **region**: same region first (each hop of a payment is a round trip: nearer peers settle
 *   faster), but once a member has two or more channels, one of them goes outside its region if
 *   it can, so a regional outage does not cut it off.
 *
 * Sizes: the amount is split by need (1 + the peer's inbound need + its receiving flow, at most 3),
 * each size within the channel limits, summing to the amount exactly.
 */
import { bridgeDepth, graphShape, hopDistances, type Adjacency } from './graph_structure.ts'

/** One member the requester may open to, as placement sees it. */
export interface PlacementPeer {
  member: string
  nodeKey: string
  /** Storm liquidity already pointing at this member (capacity others opened to it), sats. */
  inbound: number
  /** Storm channels this member has. */
  channels: number
  /** Uptime rating, 0–100 (100 when absent). */
  rating?: number
  /** Region the member gave, if any. */
  region?: string
  /** On-chain sats it reported: 0 marks a newcomer who cannot open channels of its own. */
  funds?: number
  /** Net sats received over Storm channels (local balances minus what it funded); < 0 a sender. */
  received?: number
}

/** A Storm channel between two peers (indexes into the peers), with each side's balance. */
export interface PlacementEdge {
  a: number
  b: number
  balA: number
  balB: number
}

/** Edges as typed arrays: ends `a[e]`–`b[e]` and each end's balance. Never changed once made. */
export interface EdgeColumns {
  a: Int32Array
  b: Int32Array
  balA: Float64Array
  balB: Float64Array
}

/** The columns of these edges. */
export function edgeColumns (edges: readonly PlacementEdge[]): EdgeColumns {
  const m = edges.length
  const cols: EdgeColumns = { a: new Int32Array(m), b: new Int32Array(m), balA: new Float64Array(m), balB: new Float64Array(m) }
  for (let e = 0; e < m; e++) {
    const edge = edges[e]!
    cols.a[e] = edge.a
    cols.b[e] = edge.b
    cols.balA[e] = edge.balA
    cols.balB[e] = edge.balB
  }
  return cols
}

export interface PlacementInput {
  /** Index of the requester among `peers`, or -1 when it is not one (it has no graph then). */
  requester: number
  /** Eligible or not: `eligible[i]` false for self, existing peers, avoided members, duplicates. */
  peers: readonly PlacementPeer[]
  eligible: ArrayLike<boolean>
  edges: readonly PlacementEdge[]
  /**
   * The same edges as columns, when the caller keeps them (`placementPicture` does, while no report
   * changes): no pass over the edges per request. Must say what `edges` says.
   */
  columns?: EdgeColumns
  /** How many channels to open, and the amount to split among them. */
  count: number
  amount: number
  minChannelSize: number
  maxChannelSize: number
  minRating: number
  /** The requester's region, if it gave one. */
  region?: string
  /** Regions of the requester's existing peers (for the one-outside-the-region rule). */
  peerRegions?: readonly string[]
}

/** A pick: the peer's index and the channel's capacity. */
export interface PlacementPick {
  peer: number
  capacity: number
}

/** Score weights (see the file's comment); a bridge outweighs the whole hop bonus, so removing one comes first. */
const W = Object.freeze({
  ISOLATED_NEWCOMER: 1000,
  ISOLATED: 100,
  OTHER_COMPONENT: 60,
  PER_BRIDGE: 8,
  MAX_BRIDGES: 6,
  PER_HOP: 1.5,
  MAX_HOPS: 5,
  INBOUND_NEED: 8,
  RECEIVER: 4,
  CYCLE: 3,
  SAME_REGION: 1,
  SPREAD: 2,
  LOW_RATED: -1e6,
  SIZE_BY_NEED: 1
})


/** Picks `count` peers and sizes. Fewer when fewer are eligible. Deterministic. */
export function planPlacement (input: PlacementInput): PlacementPick[] {
  const { peers, edges, requester: r } = input
  const n = peers.length
  const { a, b, balA, balB } = input.columns?.a.length === edges.length ? input.columns : edgeColumns(edges)
  // adjacency and bridges depend on the graph's ends only: kept while no channel opens or closes
  const { g, structure } = graphShape(n, a, b)
  const dist = hopDistances(g, r)
  const depth = bridgeDepth(structure, r)
  const canPay = reachesRequester(g, a, balA, balB, r, input.minChannelSize / 10)
  const unit = input.amount / Math.max(1, input.count)
  const score = new Float64Array(n).fill(-Infinity)
  const need = new Float64Array(n)
  for (let v = 0; v < n; v++) {
    if (!input.eligible[v] || v === r) continue
    const p = peers[v]!
    need[v] = Math.min(2, 1 / (1 + p.inbound / unit) + Math.max(0, Math.min(1, (p.received ?? 0) / (p.inbound + unit))))
    let s = 0
    const degree = g.start[v + 1]! - g.start[v]!
    if (degree === 0 && p.channels === 0 && p.inbound === 0) s += (p.funds ?? 1) === 0 ? W.ISOLATED_NEWCOMER : W.ISOLATED
    else if (r >= 0 && dist[v] === -1) s += W.OTHER_COMPONENT
    if (r >= 0 && dist[v]! > 0) {
      s += W.PER_BRIDGE * Math.min(W.MAX_BRIDGES, depth[structure.component[v]!]!)
      s += W.PER_HOP * (Math.min(W.MAX_HOPS, dist[v]!) - 1)
    }
    s += W.INBOUND_NEED / (1 + p.inbound / unit)
    if ((p.received ?? 0) > 0) s += W.RECEIVER * Math.min(1, p.received! / (p.inbound + unit))
    if (canPay[v] === 1) s += W.CYCLE
    if (input.region !== undefined && p.region === input.region) s += W.SAME_REGION
    if ((p.rating ?? 100) < input.minRating) s += W.LOW_RATED
    score[v] = s
  }
  const picked: number[] = []
  const regions = [...(input.peerRegions ?? [])]
  const usedComponents = new Uint8Array(structure.components)
  for (let k = 0; k < input.count; k++) {
    const spread = input.region !== undefined && regions.length + input.count - k >= 2 && k === input.count - 1 &&
      regions.every(x => x === input.region)
    let best = -1
    let bestScore = -Infinity
    for (let v = 0; v < n; v++) {
      if (score[v] === -Infinity) continue
      let s = score[v]!
      if (spread && peers[v]!.region !== undefined && peers[v]!.region !== input.region) s += W.SPREAD + W.SAME_REGION
      if (usedComponents[structure.component[v]!] === 1) s -= W.PER_BRIDGE * Math.min(W.MAX_BRIDGES, Math.max(0, depth[structure.component[v]!]!))
      if (s > bestScore || (s === bestScore && tieBefore(peers[v]!, peers[best]!))) {
        best = v
        bestScore = s
      }
    }
    if (best === -1) break
    picked.push(best)
    score[best] = -Infinity
    usedComponents[structure.component[best]!] = 1
    if (peers[best]!.region !== undefined) regions.push(peers[best]!.region!)
    // its neighbours are now two hops away: less to gain from going there
    for (let i = g.start[best]!; i < g.start[best + 1]!; i++) {
      const y = g.to[i]!
      if (score[y] !== -Infinity && dist[y]! > 2) score[y] = score[y]! - W.PER_HOP * (Math.min(W.MAX_HOPS, dist[y]!) - 2)
    }
  }
  return sizes(picked, need, input)
}

function tieBefore (x: PlacementPeer, y: PlacementPeer | undefined): boolean {
  if (y === undefined) return true
  return x.inbound - y.inbound < 0 || (x.inbound === y.inbound && (x.channels < y.channels || (x.channels === y.channels && x.member < y.member)))
}

/**
 * 1 for each peer that can pay the requester along local balances of at least `least`: a walk
 * back from the requester over the channels whose far side holds that much toward the near one.
 */
function reachesRequester (g: Adjacency, a: Int32Array, balA: Float64Array, balB: Float64Array, r: number, least: number): Uint8Array {
  const n = g.n
  const out = new Uint8Array(n)
  if (r < 0) return out
  const queue = new Int32Array(n)
  let tail = 0
  queue[tail++] = r
  out[r] = 1
  for (let h = 0; h < tail; h++) {
    const x = queue[h]!
    for (let i = g.start[x]!; i < g.start[x + 1]!; i++) {
      const y = g.to[i]!
      if (out[y] === 1) continue
      const e = g.edge[i]!
      // y pays x when y's side of the channel holds at least `least`
      if ((a[e] === y ? balA[e]! : balB[e]!) >= least) { out[y] = 1; queue[tail++] = y }
    }
  }
  out[r] = 0
  return out
}

/**
 * Splits the amount over the picks in proportion to 1 + need, each within [min, max], summing to
 * the amount exactly (the caller made sure `count × min ≤ amount ≤ count × max`).
 */
export function sizes (picked: readonly number[], need: ArrayLike<number>, input: Pick<PlacementInput, 'amount' | 'minChannelSize' | 'maxChannelSize'>): PlacementPick[] {
  const k = picked.length
  if (k === 0) return []
  const { amount, minChannelSize: min, maxChannelSize: max } = input
  const weight = picked.map(p => 1 + W.SIZE_BY_NEED * need[p]!)
  const cap = new Array<number>(k).fill(0)
  const fixed = new Array<boolean>(k).fill(false)
  // water-filling: clamp to [min, max], share what is left among the rest, until nothing moves
  for (let round = 0; round <= k; round++) {
    let left = amount
    let w = 0
    for (let i = 0; i < k; i++) if (fixed[i]) left -= cap[i]!; else w += weight[i]!
    let moved = false
    for (let i = 0; i < k; i++) {
      if (fixed[i]) continue
      const x = Math.floor(left * weight[i]! / w)
      if (x < min || x > max) { cap[i] = x < min ? min : max; fixed[i] = true; moved = true } else cap[i] = x
    }
    if (!moved) break
  }
  // the rounding remainder, a sat at a time where there is room
  let rest = amount - cap.reduce((s, x) => s + x, 0)
  for (let i = 0; rest !== 0 && i < 4 * k; i++) {
    const j = i % k
    const step = rest > 0 ? Math.min(rest, max - cap[j]!) : Math.max(rest, min - cap[j]!)
    cap[j]! += step
    rest -= step
  }
  return picked.map((peer, i) => ({ peer, capacity: cap[i]! }))
}
