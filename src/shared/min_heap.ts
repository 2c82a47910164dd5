/**
 * A binary min-heap of (number key, int32 value) pairs in typed arrays: the priority queue of the
 * simulated router's and the rebalancing planner's path searches, which run it millions of times
 * per bench round, so it allocates nothing per push once grown.
 */
export class MinHeap {
  #keys: Float64Array
  #vals: Int32Array
  #size = 0

  constructor (capacity = 256) {
    this.#keys = new Float64Array(capacity)
    this.#vals = new Int32Array(capacity)
  }

  get size (): number {
    return this.#size
  }

  clear (): void {
    this.#size = 0
  }

  /** The smallest key (undefined behaviour when empty). */
  peekKey (): number {
    return this.#keys[0]!
  }

  push (key: number, val: number): void {
    if (this.#size === this.#keys.length) {
      const keys = new Float64Array(this.#size * 2); keys.set(this.#keys); this.#keys = keys
      const vals = new Int32Array(this.#size * 2); vals.set(this.#vals); this.#vals = vals
    }
    const keys = this.#keys
    const vals = this.#vals
    let i = this.#size++
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

  /** Removes the pair with the smallest key and returns its value. */
  pop (): number {
    const keys = this.#keys
    const vals = this.#vals
    const top = vals[0]!
    const n = --this.#size
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
