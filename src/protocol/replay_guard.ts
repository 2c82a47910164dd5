/**
 * Sequence numbers against replay. Each sender numbers its envelopes with a strictly increasing
 * `seq`; each receiver remembers the highest `seq` it accepted from each sender and refuses
 * anything not above it.
 */
import type { Clock } from '../shared/clock.ts'

/** How many senders a guard remembers before forgetting the least recently heard one. */
export const DEFAULT_REPLAY_SENDERS = 100_000

/**
 * Remembers, per sender, the highest sequence number accepted.
 *
 * Forgetting a sender (beyond `maxSenders`, or when the process restarts) only reopens replay
 * for envelopes that have not expired yet, which the envelope's short TTL bounds.
 */
export class ReplayGuard {
  readonly #last = new Map<string, number>()
  readonly #maxSenders: number

  constructor (opts: { maxSenders?: number } = {}) {
    this.#maxSenders = opts.maxSenders ?? DEFAULT_REPLAY_SENDERS
  }

  /** Accepts `seq` from `sender` (and records it) when it is above every earlier one. */
  accept (sender: string, seq: number): boolean {
    const last = this.#last.get(sender)
    if (last !== undefined && seq <= last) return false
    // delete + set moves the sender to the end, so eviction drops the least recently heard
    this.#last.delete(sender)
    this.#last.set(sender, seq)
    if (this.#last.size > this.#maxSenders) {
      const oldest = this.#last.keys().next().value
      if (oldest !== undefined) this.#last.delete(oldest)
    }
    return true
  }

  /** The highest sequence number accepted from `sender`, if any. */
  last (sender: string): number | undefined {
    return this.#last.get(sender)
  }
}

/**
 * A sender's sequence numbers: `max(previous + 1, now × 1000)`. Tying the floor to the clock
 * keeps numbers increasing across restarts of the sender (a receiver that remembers the old
 * process's numbers still accepts the new one's) as long as the clock does not go back and the
 * sender seals fewer than 1000 envelopes per millisecond on average. Stays a safe integer until
 * the year 2255.
 */
export class SeqCounter {
  readonly #clock: Pick<Clock, 'now'>
  #last = 0

  constructor (clock: Pick<Clock, 'now'>) {
    this.#clock = clock
  }

  next (): number {
    this.#last = Math.max(this.#last + 1, Math.floor(this.#clock.now()) * 1000)
    return this.#last
  }
}
