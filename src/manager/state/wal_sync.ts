/**
 * Durability of SQLite commits without blocking the event loop, shared by the commits that wait
 * at the same time (group commit).
 *
 * `node:sqlite` is synchronous: with `synchronous = FULL` every COMMIT fsyncs the WAL on the main
 * thread, so for the few milliseconds a disk takes (3–11 ms on the development machine) nothing
 * else runs — not the link's receiving, not stormd's answer in the same process, not the chat.
 * Instead the store commits with `synchronous = NORMAL` (SQLite writes the WAL frames but does not
 * fsync them) and `durable()` fdatasyncs the WAL file from libuv's thread pool before `save`
 * resolves. Why that is as safe as FULL:
 * - fsync is per file, not per descriptor: our own descriptor of `<db>-wal` flushes the frames
 *   SQLite wrote through its own. A commit is durable once its frames (with the commit frame) are
 *   on disk, which is exactly what FULL's fsync at COMMIT ensured; `save` resolves only after.
 * - NORMAL in WAL mode keeps the database consistent across power loss (SQLite's documentation):
 *   what it gives up is only durability of the last commits, which the fdatasync gives back.
 *   Checkpoints still fsync the WAL before copying it into the database, as under FULL.
 * - The WAL file stays the same file while the database is open (a checkpoint rewinds it, never
 *   deletes it); our descriptor is closed only after SQLite's connection, and SQLite's locks are
 *   on the database and `-shm` files, so closing it releases none of them.
 * - fdatasync also writes the file's size when it grew, so frames appended to a longer WAL are
 *   found after a crash. The folder is fsynced once, when the WAL file is first seen, so its
 *   name is durable too.
 * One fdatasync covers every commit made before it started: commits that wait together share it.
 */
import { closeSync, existsSync, fdatasync, openSync } from 'node:fs'
import { dirname } from 'node:path'
import { syncDir } from '../../shared/durable_file.ts'

export class WalSync {
  readonly #walPath: string
  #fd: number | null = null
  /** Commits counted so far, and how many of them are known durable. */
  #committed = 0
  #synced = 0
  #inflight: Promise<void> | null = null
  /** fdatasync calls made, for tests and benches. */
  syncs = 0

  constructor (dbPath: string) {
    this.#walPath = dbPath + '-wal'
  }

  /** Counts a commit just made; returns its number for `durable`. */
  committed (): number {
    return ++this.#committed
  }

  /** Resolves once commit `n` (default: every commit so far) is on disk. */
  async durable (n = this.#committed): Promise<void> {
    while (this.#synced < n) {
      if (this.#inflight === null) {
        const target = this.#committed
        this.#inflight = this.#sync().then(() => { this.#synced = Math.max(this.#synced, target) }).finally(() => { this.#inflight = null })
      }
      await this.#inflight
    }
  }

  async #sync (): Promise<void> {
    this.syncs++
    if (this.#fd === null) {
      if (!existsSync(this.#walPath)) throw new Error(`WalSync: ${this.#walPath} does not exist (is the database in WAL mode?)`)
      this.#fd = openSync(this.#walPath, 'r')
      await syncDir(dirname(this.#walPath))
    }
    const fd = this.#fd
    await new Promise<void>((resolve, reject) => { fdatasync(fd, e => { if (e === null) resolve(); else reject(e) }) })
  }

  /** Closes the descriptor (once a sync in flight is done): call after the connection is closed. */
  close (): void {
    const fd = this.#fd
    this.#fd = null
    if (fd === null) return
    if (this.#inflight === null) closeSync(fd)
    else this.#inflight.catch(() => {}).finally(() => closeSync(fd)).catch(() => {})
  }
}
