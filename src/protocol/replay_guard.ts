/**
 * Sequence numbers against replay. Each sender numbers its envelopes with a strictly increasing
 * `seq`; each receiver remembers the highest `seq` it accepted from each sender and refuses
 * anything not above it.
 *
 * Given a `file`, the guard survives a restart: each accepted `seq` is appended to the file
 * (one short line, written before the envelope is handed on, so a process killed right after
 * still has it — through a descriptor kept open between compactions, one write per envelope
 * rather than an open, a write and a close; no fsync — a power cut loses the page cache, but a machine that reboots takes
 * longer than an envelope lives). On start the file is read back (a torn last line is skipped)
 * and rewritten compacted, one line per sender, and it is compacted again every
 * `COMPACT_EVERY` lines. A sender not heard for longer than any envelope can live
 * (`MAX_TTL_MS` + twice the clock skew) is forgotten then: nothing of theirs is still valid.
 */
import { appendFileSync, closeSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs'
import { dirname } from 'node:path'
import type { Clock } from '../shared/clock.ts'
import { MAX_CLOCK_SKEW_MS, MAX_TTL_MS } from './envelope.ts'

/** How many senders a guard remembers before forgetting the least recently heard one. */
export const DEFAULT_REPLAY_SENDERS = 100_000
/** Lines appended between two compactions of the guard's file. */
export const COMPACT_EVERY = 100_000
/** How long an accepted envelope can still be valid: its TTL (at most 10 minutes) plus the skew allowed on both ends. */
const MARK_LIFETIME_MS = MAX_TTL_MS + 2 * MAX_CLOCK_SKEW_MS

export interface ReplayGuardOptions {
  maxSenders?: number
  /** Where the marks are kept across restarts; in memory only when absent. */
  file?: string
  clock?: Pick<Clock, 'now'>
}

interface Mark { seq: number, at: number }

/**
 * Remembers, per sender, the highest sequence number accepted.
 *
 * Forgetting a sender beyond `maxSenders` only reopens replay for envelopes that have not
 * expired yet, which the envelope's short TTL bounds. Without a `file`, a restart forgets too.
 */
export class ReplayGuard {
  readonly #last = new Map<string, Mark>()
  readonly #maxSenders: number
  readonly #file: string | undefined
  readonly #now: () => number
  #appended = 0
  /** The file, open for appending, while the guard is in use (reopened after each compaction). */
  #fd: number | null = null
  #closed = false
  /** The last error writing the file (the envelope is still accepted: a full disk must not stop the link). */
  writeError: unknown = null

  constructor (opts: ReplayGuardOptions = {}) {
    this.#maxSenders = opts.maxSenders ?? DEFAULT_REPLAY_SENDERS
    this.#file = opts.file
    const clock = opts.clock
    this.#now = clock === undefined ? Date.now : () => clock.now()
    if (this.#file !== undefined) this.#restore(this.#file)
  }

  /** Accepts `seq` from `sender` (and records it) when it is above every earlier one. */
  accept (sender: string, seq: number): boolean {
    const last = this.#last.get(sender)
    if (last !== undefined && seq <= last.seq) return false
    const at = this.#now()
    // delete + set moves the sender to the end, so eviction drops the least recently heard
    this.#last.delete(sender)
    this.#last.set(sender, { seq, at })
    if (this.#last.size > this.#maxSenders) {
      const oldest = this.#last.keys().next().value
      if (oldest !== undefined) this.#last.delete(oldest)
    }
    if (this.#file !== undefined) this.#persist(this.#file, sender, seq, at)
    return true
  }

  /** The highest sequence number accepted from `sender`, if any. */
  last (sender: string): number | undefined {
    return this.#last.get(sender)?.seq
  }

  /**
   * Lets go of the file (the links call it when they close). An envelope accepted after that
   * is still recorded, by opening the file for its line.
   */
  close (): void {
    this.#closed = true
    this.#closeFd()
  }

  #persist (file: string, sender: string, seq: number, at: number): void {
    const line = `${sender} ${seq} ${at}\n`
    try {
      if (this.#closed) appendFileSync(file, line, { mode: 0o600 })
      else {
        this.#fd ??= openSync(file, 'a', 0o600)
        writeSync(this.#fd, line)
      }
      if (++this.#appended >= COMPACT_EVERY) this.#compact(file)
    } catch (e) {
      // opened again for the next line (a descriptor that failed once is not trusted)
      this.#closeFd()
      this.writeError = e
    }
  }

  #closeFd (): void {
    if (this.#fd === null) return
    try {
      closeSync(this.#fd)
    } catch {
      // already gone: nothing more to let go of
    }
    this.#fd = null
  }

  #restore (file: string): void {
    let text = ''
    try {
      text = readFileSync(file, 'utf8')
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e
    }
    for (const line of text.split('\n')) {
      const m = /^([0-9a-f]{64}) (\d{1,16}) (\d{1,16})$/.exec(line)
      if (m === null) continue // a torn last line, or nothing
      const [sender, seq, at] = [m[1]!, Number(m[2]), Number(m[3])]
      const known = this.#last.get(sender)
      if (known === undefined || seq > known.seq) this.#last.set(sender, { seq, at: Math.max(at, known?.at ?? 0) })
    }
    mkdirSync(dirname(file), { recursive: true })
    this.#compact(file)
  }

  /** Rewrites the file with one line per sender still worth remembering (atomically: a crash leaves the old or the new). */
  #compact (file: string): void {
    const now = this.#now()
    for (const [sender, mark] of this.#last) if (now - mark.at > MARK_LIFETIME_MS) this.#last.delete(sender)
    const tmp = file + '.tmp'
    // the descriptor points at the file being replaced: the next line opens the new one
    this.#closeFd()
    writeFileSync(tmp, [...this.#last].map(([sender, m]) => `${sender} ${m.seq} ${m.at}\n`).join(''), { mode: 0o600 })
    renameSync(tmp, file)
    this.#appended = 0
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
