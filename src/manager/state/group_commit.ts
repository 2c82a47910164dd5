/**
 * Group commit of keyed rows: rows added while the event loop is busy (e.g. every report the
 * link delivered in one turn) are written together, in one transaction made durable once,
 * instead of one transaction and one fsync each.
 *
 * What it promises:
 * - `add` resolves only once its row is durable — or once a later row of the same key is, which
 *   replaces it (only the latest per key is kept, and a later row is never overwritten by an
 *   earlier one: batches are written one at a time, in the order rows were added);
 * - a batch whose transaction fails as a whole is not lost: its rows go back in front of what
 *   came since (unless a later row of the same key replaced them) and are written again after
 *   `retryMs` (doubling, up to `maxRetryMs`); their `add`s stay pending until then;
 * - a row the writer refuses on its own (the writer reports it) rejects that row's `add` only:
 *   the others in its batch are written.
 */

export interface BatchWriter<R> {
  /**
   * Writes `rows` in one transaction. Returns the rows refused one by one (with why), which are
   * not written while the rest is; throws when the transaction failed and nothing was written.
   */
  write (rows: ReadonlyArray<readonly [string, R]>): Array<readonly [string, unknown]>
  /** Resolves once everything written so far is on disk. */
  durable (): Promise<void>
}

export interface GroupCommitOptions {
  /** First wait before a failed batch is written again, ms (default 100). */
  retryMs?: number
  /** Longest wait between tries, ms (default 10 s). */
  maxRetryMs?: number
  /** Told of each failed try (the rows are kept and tried again). */
  onError?: (error: unknown, rows: number) => void
  /** How a write is put off until the current turn's rows are in (default `setImmediate`). */
  defer?: (run: () => void) => void
}

interface Pending<R> {
  row: R
  waiters: Array<{ resolve: () => void, reject: (e: unknown) => void }>
}

export class GroupCommit<R> {
  readonly #writer: BatchWriter<R>
  readonly #o: Required<Omit<GroupCommitOptions, 'onError'>> & Pick<GroupCommitOptions, 'onError'>
  #pending = new Map<string, Pending<R>>()
  #scheduled = false
  #running: Promise<void> | null = null
  #retryTimer: NodeJS.Timeout | null = null
  #failures = 0
  #closed = false
  /** Batches written and rows written, for benches and tests. */
  batches = 0
  rows = 0

  constructor (writer: BatchWriter<R>, o: GroupCommitOptions = {}) {
    this.#writer = writer
    this.#o = { retryMs: o.retryMs ?? 100, maxRetryMs: o.maxRetryMs ?? 10_000, defer: o.defer ?? (run => { setImmediate(run) }), ...(o.onError === undefined ? {} : { onError: o.onError }) }
  }

  /** Queues `row` under `key`; resolves once it (or a later row of `key`) is durable. */
  add (key: string, row: R): Promise<void> {
    if (this.#closed) return Promise.reject(new Error('GroupCommit: closed'))
    return new Promise((resolve, reject) => {
      const p = this.#pending.get(key)
      if (p === undefined) this.#pending.set(key, { row, waiters: [{ resolve, reject }] })
      else {
        p.row = row
        p.waiters.push({ resolve, reject })
      }
      this.#schedule()
    })
  }

  /** Rows waiting to be written. */
  get pending (): number {
    return this.#pending.size
  }

  /** Writes what is pending now (not waiting for the turn to end), once the batch under way is done. */
  async flush (): Promise<void> {
    while (this.#running !== null) await this.#running
    if (this.#retryTimer !== null) clearTimeout(this.#retryTimer)
    this.#retryTimer = null
    if (this.#pending.size > 0) await this.#run()
  }

  /**
   * Writes what is pending (one try), then refuses new rows; rows still not written reject
   * their `add`s with the error.
   */
  async close (): Promise<void> {
    if (this.#retryTimer !== null) clearTimeout(this.#retryTimer)
    this.#retryTimer = null
    await this.flush()
    this.#closed = true
    if (this.#retryTimer !== null) clearTimeout(this.#retryTimer)
    this.#retryTimer = null
    const left = this.#pending
    this.#pending = new Map()
    for (const p of left.values()) for (const w of p.waiters) w.reject(new Error('GroupCommit: closed before the row could be written'))
  }

  #schedule (): void {
    if (this.#scheduled || this.#running !== null || this.#retryTimer !== null) return
    this.#scheduled = true
    this.#o.defer(() => {
      this.#scheduled = false
      if (this.#running === null && this.#retryTimer === null) void this.#run()
    })
  }

  #run (): Promise<void> {
    const run = this.#commit().finally(() => {
      this.#running = null
      // rows that came while this batch was written
      if (this.#pending.size > 0 && !this.#closed) this.#schedule()
    })
    this.#running = run
    return run
  }

  async #commit (): Promise<void> {
    const batch = this.#pending
    if (batch.size === 0) return
    this.#pending = new Map()
    const rows = [...batch].map(([key, p]) => [key, p.row] as const)
    let refused: Array<readonly [string, unknown]>
    try {
      refused = this.#writer.write(rows)
      await this.#writer.durable()
    } catch (e) {
      this.#failed(batch, e)
      return
    }
    this.#failures = 0
    this.batches++
    const refusedKeys = new Map(refused)
    this.rows += rows.length - refusedKeys.size
    for (const [key, p] of batch) {
      const why = refusedKeys.get(key)
      for (const w of p.waiters) {
        if (refusedKeys.has(key)) w.reject(why)
        else w.resolve()
      }
    }
  }

  /** The batch goes back in front of what came since; later rows of the same key win. */
  #failed (batch: Map<string, Pending<R>>, error: unknown): void {
    this.#failures++
    this.#o.onError?.(error, batch.size)
    const since = this.#pending
    this.#pending = batch
    for (const [key, p] of since) {
      const old = batch.get(key)
      if (old === undefined) batch.set(key, p)
      else {
        old.row = p.row
        old.waiters.push(...p.waiters)
      }
    }
    if (this.#closed) return
    const wait = Math.min(this.#o.maxRetryMs, this.#o.retryMs * 2 ** (this.#failures - 1))
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = null
      void this.#run()
    }, wait)
    this.#retryTimer.unref?.()
  }
}
