/**
 * Cheapest-fee route search, as a sender sees the graph: every public channel's capacity, policies
 * and active flag, its own channels' real balances, never a remote balance. Like LND it searches
 * from the destination back to the source, since a hop's fee depends on what it must forward.
 * Buffers are epoch-stamped and reused, so a search allocates nothing.
 */
import type { SimCore } from './core.ts'
import type { Route } from './route.ts'
import { hopFeeMsat } from './state.ts'

/** LND's limit on route length. */
const MAX_HOPS = 20

/** A reusable Dijkstra over one network. */
export class PathFinder {
  #dist = new Float64Array(0)
  #next = new Int32Array(0)
  #seen = new Int32Array(0)
  #done = new Int32Array(0)
  #epoch = 0
  #heapKey = new Float64Array(1024)
  #heapVal = new Int32Array(1024)
  #heapLen = 0

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
    this.#heapLen = 0
    dist[dst] = amountMsat
    seen[dst] = ep
    this.#push(amountMsat, dst)
    let srcTotal = Infinity
    let srcFirst = -1
    while (this.#heapLen > 0) {
      const w = this.#heapKey[0]!
      const v = this.#pop()
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
          this.#push(total, u)
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

  #push (key: number, val: number): void {
    if (this.#heapLen === this.#heapKey.length) {
      const keys = new Float64Array(this.#heapLen * 2); keys.set(this.#heapKey); this.#heapKey = keys
      const vals = new Int32Array(this.#heapLen * 2); vals.set(this.#heapVal); this.#heapVal = vals
    }
    const keys = this.#heapKey
    const vals = this.#heapVal
    let i = this.#heapLen++
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (keys[parent]! <= key) break
      keys[i] = keys[parent]!
      vals[i] = vals[parent]!
      i = parent
    }
    keys[i] = key
    vals[i] = val
  }

  #pop (): number {
    const keys = this.#heapKey
    const vals = this.#heapVal
    const top = vals[0]!
    const n = --this.#heapLen
    const key = keys[n]!
    const val = vals[n]!
    let i = 0
    for (;;) {
      let child = 2 * i + 1
      if (child >= n) break
      if (child + 1 < n && keys[child + 1]! < keys[child]!) child++
      if (keys[child]! >= key) break
      keys[i] = keys[child]!
      vals[i] = vals[child]!
      i = child
    }
    keys[i] = key
    vals[i] = val
    return top
  }
}
