/**
 * Cheapest-fee route search, as a sender sees the graph: every public channel's capacity, policies
 * and active flag, its own channels' real balances, never a remote balance. Like LND it searches
 * from the destination back to the source, since a hop's fee depends on what it must forward.
 * Buffers are epoch-stamped and reused, so a search allocates nothing.
 */
import type { SimCore } from './core.ts'
import type { Route } from './route.ts'
import { hopFeeMsat } from './state.ts'
import { MinHeap } from '../shared/min_heap.ts'

/** LND's limit on route length. */
const MAX_HOPS = 20

/** A reusable Dijkstra over one network. */
export class PathFinder {
  #dist = new Float64Array(0)
  #next = new Int32Array(0)
  #seen = new Int32Array(0)
  #done = new Int32Array(0)
  #epoch = 0
  readonly #heap = new MinHeap(1024)

  /**
   * Finds the cheapest route from `src` delivering `amountMsat` to `dst`, skipping directed
   * channels whose `excluded[2 × idx + (sender is b ? 1 : 0)]` equals `excludedEpoch`. Fills
   * `route` and returns the amount `src` sends (amount + fees) in msat, or -1 when there is none.
   */
  find (core: SimCore, src: number, dst: number, amountMsat: number, route: Route, excluded: Int32Array, excludedEpoch: number): number {
    this.#size(core.nodes.length)
    const ep = ++this.#epoch
    const dist = this.#dist
    const next = this.#next
    const seen = this.#seen
    const done = this.#done
    const { nodes, channels, online } = core
    this.#heap.clear()
    dist[dst] = amountMsat
    seen[dst] = ep
    this.#heap.push(amountMsat, dst)
    let srcTotal = Infinity
    let srcFirst = -1
    while (this.#heap.size > 0) {
      const w = this.#heap.peekKey()
      const v = this.#heap.pop()
      if (done[v] === ep) continue
      done[v] = ep
      if (w >= srcTotal) break
      if (online[v] === 0) continue
      const { chans, ends } = nodes[v]!
      for (let i = 0; i < chans.length; i++) {
        const u = ends[i]!
        // fees are never negative: a node already reached for w or less cannot improve
        if (done[u] === ep || (seen[u] === ep && dist[u]! <= w) || online[u] === 0) continue
        const c = chans[i]!
        const ch = channels[c]!
        if (ch.status !== 'open') continue
        const fromA = ch.a === u
        if (excluded[(c << 1) | (fromA ? 0 : 1)] === excludedEpoch) continue
        // a private channel is only known to its ends; the destination's ones come as route hints
        if (ch.isPrivate && u !== src && v !== dst) continue
        if (u === src) {
          // our own channel: we know our balance exactly
          if ((fromA ? ch.balA : ch.balB) - ch.reserve * 1000 >= w && w < srcTotal) {
            srcTotal = w
            srcFirst = c
          }
          continue
        }
        if (ch.capacity * 1000 < w) continue
        const total = w + (fromA ? hopFeeMsat(ch.baseA, ch.ppmA, w) : hopFeeMsat(ch.baseB, ch.ppmB, w))
        if (seen[u] !== ep || total < dist[u]!) {
          dist[u] = total
          seen[u] = ep
          next[u] = c
          this.#heap.push(total, u)
        }
      }
    }
    if (srcFirst < 0) return -1
    route.reset(src)
    route.push(core, srcFirst)
    while (route.end !== dst) {
      if (route.len >= MAX_HOPS) return -1
      route.push(core, next[route.end]!)
    }
    return srcTotal
  }

  #size (n: number): void {
    if (this.#dist.length >= n) return
    const size = Math.max(n, this.#dist.length * 2, 64)
    this.#dist = new Float64Array(size)
    this.#next = new Int32Array(size)
    this.#seen = new Int32Array(size)
    this.#done = new Int32Array(size)
    this.#epoch = 0
  }
}
