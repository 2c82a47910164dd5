/**
 * Max-flow over a Storm's channels, for the bench's bounds: how much one member could send
 * another with full information and as many parts as it likes (the oracle), on the balances of
 * that moment or on the capacities alone. Edmonds–Karp (shortest augmenting paths by BFS),
 * stopping as soon as the amount asked for is reached.
 */

/** Channel `c` joins `a[c]` and `b[c]`; arc 2c sends a→b, arc 2c+1 sends b→a. */
export class FlowGraph {
  readonly n: number
  readonly a: Int32Array
  readonly b: Int32Array
  readonly #start: Int32Array
  readonly #arcs: Int32Array
  readonly #prev: Int32Array
  readonly #seen: Int32Array
  readonly #queue: Int32Array
  #epoch = 0

  constructor (n: number, ends: ReadonlyArray<readonly [number, number]>) {
    this.n = n
    const m = ends.length
    this.a = new Int32Array(m)
    this.b = new Int32Array(m)
    const degree = new Int32Array(n)
    ends.forEach(([x, y], c) => { this.a[c] = x; this.b[c] = y; degree[x]!++; degree[y]!++ })
    this.#start = new Int32Array(n + 1)
    for (let i = 0; i < n; i++) this.#start[i + 1] = this.#start[i]! + degree[i]!
    this.#arcs = new Int32Array(2 * m)
    const fill = this.#start.slice(0, n)
    for (let c = 0; c < m; c++) {
      this.#arcs[fill[this.a[c]!]!++] = 2 * c
      this.#arcs[fill[this.b[c]!]!++] = 2 * c + 1
    }
    this.#prev = new Int32Array(n)
    this.#seen = new Int32Array(n)
    this.#queue = new Int32Array(n)
  }

  /**
   * The most that can flow from `src` to `dst`, up to `limit`, with `room[arc]` what each arc can
   * carry (arc 2c+1 is the reverse of 2c: sending one way gives the other room). `room` is
   * changed to the residual; pass a copy to leave the original as it was.
   */
  maxFlow (src: number, dst: number, room: Float64Array, limit = Infinity): number {
    if (src === dst) return 0
    let total = 0
    while (total < limit) {
      const ep = ++this.#epoch
      const seen = this.#seen
      const prev = this.#prev
      const queue = this.#queue
      let head = 0
      let tail = 0
      seen[src] = ep
      queue[tail++] = src
      while (head < tail && seen[dst] !== ep) {
        const x = queue[head++]!
        for (let i = this.#start[x]!; i < this.#start[x + 1]!; i++) {
          const arc = this.#arcs[i]!
          if (room[arc]! <= 0) continue
          const c = arc >> 1
          const y = (arc & 1) === 0 ? this.b[c]! : this.a[c]!
          if (seen[y] === ep) continue
          seen[y] = ep
          prev[y] = arc
          queue[tail++] = y
        }
      }
      if (seen[dst] !== ep) break
      let push = limit - total
      for (let y = dst; y !== src;) {
        const arc = prev[y]!
        push = Math.min(push, room[arc]!)
        const c = arc >> 1
        y = (arc & 1) === 0 ? this.a[c]! : this.b[c]!
      }
      for (let y = dst; y !== src;) {
        const arc = prev[y]!
        room[arc] = room[arc]! - push
        room[arc ^ 1] = room[arc ^ 1]! + push
        const c = arc >> 1
        y = (arc & 1) === 0 ? this.a[c]! : this.b[c]!
      }
      total += push
    }
    return total
  }
}
