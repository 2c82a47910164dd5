/**
 * The store port and its lowdb implementation: one compact JSON document, written atomically and
 * durably (a temporary file, fsynced, renamed over the old one, the folder fsynced), validated with
 * zod on load, migrated from older versions, backed up on request.
 *
 * Only a missing file makes a fresh document. A file that is empty, not JSON, `null`, not an
 * object, of the wrong shape or written by a newer version stops the start with a `StormError`
 * naming the file and the newest backup that exists, and nothing is written: the file, its folder
 * and its backups are left exactly as they were.
 */
import { readFile } from 'node:fs/promises'
import { Low, type Adapter } from 'lowdb'
import type { z } from 'zod'
import { StormError } from './errors.ts'
import { latestBackup, writeBackup, writeFileDurable } from './durable_file.ts'

/** The store port. */
export interface Store<T> {
  /** Loads the document (a fresh one only when none exists yet). */
  load (): Promise<T>
  /**
   * Replaces the document, atomically and durably. `history`: the entries the history will
   * append once this is stored; a store that keeps them in the same write (`SqliteStateStore`'s
   * outbox) makes state and history agree across a crash. Others ignore it.
   */
  save (data: T, history?: readonly object[]): Promise<void>
}

/** A store that says which records of what it loaded are written, as they are (`SqliteStateStore`). */
export interface WatchedStore {
  watch (listener: (collection: string, id: string) => void): void
}

/** A store that can take a consistent copy of what it holds (`backups/` beside its file). */
export interface BackedUpStore {
  /** Where the store lives, for messages. */
  readonly path: string
  /** Takes a backup and keeps the newest `keep`; null when there is nothing stored yet. */
  backup (now: number, keep?: number): Promise<string | null>
}

/** How many backups are kept when nobody says otherwise: two weeks of daily ones. */
export const DEFAULT_BACKUPS_KEPT = 14

/** Upgrades a document of version `from` to `from + 1`. */
export type Migration = (doc: Record<string, unknown>) => Record<string, unknown>

export interface JsonStoreOptions<T> {
  path: string
  schema: z.ZodType<T>
  /** The current version; documents carry it in a top-level `version` field. */
  version: number
  /** `migrations[n]` upgrades version n to n + 1. */
  migrations?: Record<number, Migration>
  /** A fresh document, when the file does not exist. */
  create: () => T
}

/** A `Store` on a lowdb JSON file. */
export class JsonFileStore<T> implements Store<T>, BackedUpStore {
  readonly path: string
  readonly #opts: JsonStoreOptions<T>
  readonly #adapter: DurableJsonFile
  readonly #db: Low<unknown>
  /** Saves and backups one at a time, so a backup is one whole saved document. */
  #queue: Promise<unknown> = Promise.resolve()

  constructor (opts: JsonStoreOptions<T>) {
    this.#opts = opts
    this.path = opts.path
    this.#adapter = new DurableJsonFile(opts.path)
    this.#db = new Low<unknown>(this.#adapter, null)
  }

  /**
   * Loads the document. Errors (nothing written in any case): `STORE_CORRUPT` {path, reason,
   * latest}, `STORE_UNREADABLE` {path, reason, latest}, `STORE_TOO_NEW` {path, version,
   * supported, latest} — `latest` is the newest backup's path, or `none`.
   */
  async load (): Promise<T> {
    try {
      // read through the adapter, not `Low.read()`: lowdb keeps its default for any falsy
      // content, which is how a file holding `null` used to become a fresh, empty state
      const data = await this.#adapter.read()
      if (data === MISSING) {
        const fresh = this.#opts.create()
        await this.save(fresh)
        return fresh
      }
      return checkDocument(data, this.#opts)
    } catch (e) {
      throw await withLatestBackup(e, this.path)
    }
  }

  save (data: T): Promise<void> {
    return this.#serial(async () => {
      this.#db.data = data
      await this.#db.write()
    })
  }

  /**
   * Copies the stored file (a whole saved version: saves and backups take turns) to
   * `backups/<name>-<timestamp>.json` beside it, fsynced, and keeps the newest `keep`.
   * Returns the backup's path, or null when there is nothing to back up yet.
   */
  backup (now: number, keep = DEFAULT_BACKUPS_KEPT): Promise<string | null> {
    return this.#serial(async () => {
      let text: Buffer
      try {
        text = await readFile(this.path)
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null
        throw e
      }
      return writeBackup(this.path, text, now, keep)
    })
  }

  #serial<R> (job: () => Promise<R>): Promise<R> {
    const next = this.#queue.then(job)
    this.#queue = next.catch(() => {})
    return next
  }
}

/** A `Store` in memory, for tests: it keeps a deep copy, as a file would. */
export class MemoryStore<T> implements Store<T> {
  #data: T | null = null
  saves = 0
  readonly #create: () => T
  constructor (create: () => T) { this.#create = create }
  async load (): Promise<T> {
    if (this.#data === null) this.#data = this.#create()
    return structuredClone(this.#data)
  }

  async save (data: T): Promise<void> {
    this.saves++
    this.#data = structuredClone(data)
  }

  /** What a fresh process would read. */
  snapshot (): T | null {
    return this.#data === null ? null : structuredClone(this.#data)
  }
}

/**
 * Checks a parsed document: an object with an integer version no newer than ours, migrated up to
 * ours, then valid against the schema. Errors: `STORE_CORRUPT` {path, reason}, `STORE_TOO_NEW`.
 */
export function checkDocument<T> (doc: unknown, opts: JsonStoreOptions<T>): T {
  return validate(migrate(doc, opts), opts)
}

/** Adds the newest backup's path (`latest`, or `none`) to a store error, so its message can point at it. */
export async function withLatestBackup (e: unknown, path: string): Promise<unknown> {
  if (e instanceof StormError && e.code.startsWith('STORE_') && e.params.latest === undefined) {
    return new StormError(e.code, { ...e.params, latest: await latestBackup(path) }, { cause: e.cause, issue: e.issue })
  }
  if (e instanceof StormError) return e
  return new StormError('STORE_UNREADABLE', { path, reason: (e as Error).message, latest: await latestBackup(path) }, { cause: e })
}

/** What the adapter reads when there is no file: unlike a file holding `null`, this one is not an error. */
const MISSING = Symbol('missing')

/** lowdb's adapter for our files: a missing file is told apart from any content, and writes are durable. */
class DurableJsonFile implements Adapter<unknown> {
  readonly #path: string
  constructor (path: string) { this.#path = path }

  async read (): Promise<unknown> {
    let text: string
    try {
      text = await readFile(this.#path, 'utf8')
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return MISSING
      throw new StormError('STORE_UNREADABLE', { path: this.#path, reason: (e as Error).message }, { cause: e })
    }
    if (text.trim() === '') throw new StormError('STORE_CORRUPT', { path: this.#path, reason: 'the file is empty' })
    try {
      return JSON.parse(text)
    } catch (e) {
      throw new StormError('STORE_CORRUPT', { path: this.#path, reason: (e as Error).message }, { cause: e })
    }
  }

  async write (data: unknown): Promise<void> {
    // compact: at thousands of members indenting makes the file half as large again and each
    // save that much slower; `jq .` shows it indented
    await writeFileDurable(this.#path, JSON.stringify(data) + '\n')
  }
}

function migrate<T> (doc: unknown, opts: JsonStoreOptions<T>): unknown {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    const what = doc === null ? 'null' : Array.isArray(doc) ? 'an array' : typeof doc
    throw new StormError('STORE_CORRUPT', { path: opts.path, reason: `it holds ${what}, not a state object` })
  }
  let current = doc as Record<string, unknown>
  let version = current.version
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new StormError('STORE_CORRUPT', { path: opts.path, reason: 'no version field' })
  }
  if (version > opts.version) {
    throw new StormError('STORE_TOO_NEW', { path: opts.path, version, supported: opts.version })
  }
  while (version < opts.version) {
    const step = opts.migrations?.[version]
    if (step === undefined) throw new StormError('STORE_CORRUPT', { path: opts.path, reason: `no migration from version ${version}` })
    current = step(current)
    version++
    current.version = version
  }
  return current
}

function validate<T> (doc: unknown, opts: JsonStoreOptions<T>): T {
  const parsed = opts.schema.safeParse(doc)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const where = issue === undefined ? '' : issue.path.join('.')
    throw new StormError('STORE_CORRUPT', { path: opts.path, reason: `${where || '(root)'}: ${issue?.message ?? 'invalid'}` })
  }
  return parsed.data
}
