/**
 * The shape of an undirected graph, for placement: adjacency, hop distances, bridges and the
 * 2-edge-connected components they separate. Pure, linear time, typed arrays (a Storm of 3,000
 * members and 30,000 channels takes about a millisecond per pass).
 *
 * A bridge is an edge whose loss disconnects the graph: a member behind one can be cut off from
 * the rest by one closed or offline channel. A new edge u–v removes every bridge on the path
 * between u's and v's 2-edge-connected components in the bridge tree, which is why placement
 * counts those bridges (`bridgeDepth`).
 */

/** Compressed adjacency: the neighbours of x are `to[start[x]..start[x+1])`, over `edge[...]`. */
export interface Adjacency {
  n: number
  start: Int32Array
  to: Int32Array
  edge: Int32Array
}

/** Builds the adjacency of `n` nodes and edges `a[e]`–`b[e]` (self-loops ignored). */
export function adjacency (n: number, a: ArrayLike<number>, b: ArrayLike<number>): Adjacency {
  const m = a.length
  const start = new Int32Array(n + 1)
  for (let e = 0; e < m; e++) {
    if (a[e] === b[e]) continue
    start[a[e]! + 1]!++
    start[b[e]! + 1]!++
  }
  for (let i = 0; i < n; i++) start[i + 1]! += start[i]!
  const fill = start.slice(0, n)
  const to = new Int32Array(start[n]!)
  const edge = new Int32Array(start[n]!)
  for (let e = 0; e < m; e++) {
    const x = a[e]!
    const y = b[e]!
    if (x === y) continue
    to[fill[x]!] = y
    edge[fill[x]!++] = e
    to[fill[y]!] = x
    edge[fill[y]!++] = e
  }
  return { n, start, to, edge }
}

/** Hops from `from` to every node; -1 where unreachable. */
export function hopDistances (g: Adjacency, from: number): Int32Array {
  const dist = new Int32Array(g.n).fill(-1)
  if (from < 0 || from >= g.n) return dist
  const queue = new Int32Array(g.n)
  let head = 0
  let tail = 0
  dist[from] = 0
  queue[tail++] = from
  while (head < tail) {
    const x = queue[head++]!
    for (let i = g.start[x]!; i < g.start[x + 1]!; i++) {
      const y = g.to[i]!
      if (dist[y] === -1) {
        dist[y] = dist[x]! + 1
        queue[tail++] = y
      }
    }
  }
  return dist
}

/** Bridges and 2-edge-connected components. */
export interface BridgeStructure {
  /** 1 for each edge (by index) that is a bridge. */
  bridge: Uint8Array
  /** Each node's 2-edge-connected component. */
  component: Int32Array
  components: number
  /** The bridge tree: components, joined by their bridges. */
  tree: Adjacency
}

/** Finds every bridge (Tarjan's low-link, iterative; parallel edges are not bridges). */
export function bridges (g: Adjacency, edges: number): BridgeStructure {
  const n = g.n
  const order = new Int32Array(n).fill(-1)
  const low = new Int32Array(n)
  const parentEdge = new Int32Array(n).fill(-1)
  const next = new Int32Array(n)
  const stack = new Int32Array(n)
  const bridge = new Uint8Array(edges)
  let time = 0
  for (let root = 0; root < n; root++) {
    if (order[root] !== -1) continue
    let top = 0
    stack[top++] = root
    order[root] = low[root] = time++
    next[root] = g.start[root]!
    while (top > 0) {
      const x = stack[top - 1]!
      if (next[x]! < g.start[x + 1]!) {
        const i = next[x]!++
        const e = g.edge[i]!
        if (e === parentEdge[x]) continue
        const y = g.to[i]!
        if (order[y] === -1) {
          order[y] = low[y] = time++
          parentEdge[y] = e
          next[y] = g.start[y]!
          stack[top++] = y
        } else if (order[y]! < low[x]!) {
          low[x] = order[y]!
        }
      } else {
        top--
        if (top > 0) {
          const p = stack[top - 1]!
          if (low[x]! < low[p]!) low[p] = low[x]!
          if (low[x]! > order[p]!) bridge[parentEdge[x]!] = 1
        }
      }
    }
  }
  // components: flood over non-bridge edges
  const component = new Int32Array(n).fill(-1)
  let components = 0
  for (let s = 0; s < n; s++) {
    if (component[s] !== -1) continue
    let top = 0
    stack[top++] = s
    component[s] = components
    while (top > 0) {
      const x = stack[--top]!
      for (let i = g.start[x]!; i < g.start[x + 1]!; i++) {
        const y = g.to[i]!
        if (bridge[g.edge[i]!] === 1 || component[y] !== -1) continue
        component[y] = components
        stack[top++] = y
      }
    }
    components++
  }
  const ta: number[] = []
  const tb: number[] = []
  for (let x = 0; x < n; x++) {
    for (let i = g.start[x]!; i < g.start[x + 1]!; i++) {
      const y = g.to[i]!
      if (x < y && bridge[g.edge[i]!] === 1) { ta.push(component[x]!); tb.push(component[y]!) }
    }
  }
  return { bridge, component, components, tree: adjacency(components, ta, tb) }
}

/**
 * Bridges between `from`'s 2-edge-connected component and each component (-1 where in another
 * connected component): how many bridges a new edge from `from` into that component removes.
 * A walk over the bridge tree (components joined by their bridges).
 */
export function bridgeDepth (s: BridgeStructure, from: number): Int32Array {
  const depth = new Int32Array(s.components).fill(-1)
  if (from < 0 || from >= s.component.length) return depth
  const t = s.tree
  const queue = new Int32Array(s.components)
  let tail = 0
  queue[tail++] = s.component[from]!
  depth[queue[0]!] = 0
  for (let h = 0; h < tail; h++) {
    const c = queue[h]!
    for (let i = t.start[c]!; i < t.start[c + 1]!; i++) {
      const d = t.to[i]!
      if (depth[d] !== -1) continue
      depth[d] = depth[c]! + 1
      queue[tail++] = d
    }
  }
  return depth
}

/** A graph's adjacency and bridges, for edges `a[e]`–`b[e]`. */
export interface GraphShape {
  a: Int32Array
  b: Int32Array
  g: Adjacency
  structure: BridgeStructure
}

/**
 * The shape of `n` nodes and edges `a[e]`–`b[e]`: the last one computed when its nodes and edges (ends,
 * in order) are the same — a report moving balances changes no end, so the next request skips
 * the adjacency and the bridge search — a new one otherwise. The same as computing it afresh.
 */
export function graphShape (n: number, a: Int32Array, b: Int32Array): GraphShape {
  const m = a.length
  const kept = lastShape
  if (kept !== undefined && kept.g.n === n && kept.a === a && kept.b === b) return kept
  if (kept !== undefined && kept.g.n === n && sameInts(kept.a, a) && sameInts(kept.b, b)) return kept
  const g = adjacency(n, a, b)
  lastShape = { a, b, g, structure: bridges(g, m) }
  return lastShape
}

let lastShape: GraphShape | undefined

function sameInts (x: Int32Array, y: Int32Array): boolean {
  if (x.length !== y.length) return false
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false
  return true
}
