/**
 * The clock port. Domain code takes `now` as an argument; services that schedule take a Clock,
 * so tests can move time forward without sleeping.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now (): number
  /** Runs `fn` after `ms`; returns a function that cancels it. */
  schedule (fn: () => void, ms: number): () => void
}

/** The real clock. Timers are unref'd so they never keep the process alive on their own. */
export const SYSTEM_CLOCK: Clock = {
  now: () => Date.now(),
  schedule (fn, ms) {
    const t = setTimeout(fn, ms)
    t.unref()
    return () => clearTimeout(t)
  }
}

/** A clock that only moves when told to: for tests. */
export class ManualClock implements Clock {
  #now: number
  #next = 1
  #timers = new Map<number, { at: number, fn: () => void }>()

  constructor (start = Date.UTC(2026, 0, 1)) {
    this.#now = start
  }

  now (): number {
    return this.#now
  }

  schedule (fn: () => void, ms: number): () => void {
    const id = this.#next++
    this.#timers.set(id, { at: this.#now + Math.max(0, ms), fn })
    return () => { this.#timers.delete(id) }
  }

  /** Moves time forward by `ms`, firing due timers in time order. */
  advance (ms: number): void {
    const end = this.#now + ms
    for (;;) {
      let dueId: number | undefined
      let dueAt = Infinity
      for (const [id, t] of this.#timers) {
        if (t.at <= end && t.at < dueAt) { dueId = id; dueAt = t.at }
      }
      if (dueId === undefined) break
      const timer = this.#timers.get(dueId)!
      this.#timers.delete(dueId)
      this.#now = Math.max(this.#now, timer.at)
      timer.fn()
    }
    this.#now = end
  }
}
