/**
 * The store port and its lowdb implementation: one compact JSON document, written atomically (lowdb's
 * steno writes a temporary file and renames it), validated with zod on load, migrated from older
 * versions, backed up on request. A corrupt or unreadable file stops the start with a clear error
 * and is left untouched.
 */
import { mkdir, copyFile, readdir, rm, access } from 'node:fs/promises'
import { dirname, join, basename } from 'node:path'
import { Low } from 'lowdb'
import { DataFile } from 'lowdb/node'
import type { z } from 'zod'
import { StormError } from './errors.ts'

/** The store port. */
export interface Store<T> {
  /** Loads the document (a fresh one when none exists yet). */
  load (): Promise<T>
  /** Replaces the document, atomically. */
  save (data: T): Promise<void>
}

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
export class JsonFileStore<T> implements Store<T> {
  readonly path: string
  readonly #opts: JsonStoreOptions<T>
  readonly #db: Low<unknown>

  constructor (opts: JsonStoreOptions<T>) {
    this.#opts = opts
    this.path = opts.path
    this.#db = new Low<unknown>(new DataFile<unknown>(opts.path, {
      parse: (text) => parseJson(text, opts.path),
      // compact: at thousands of members indenting makes the file half as large again and
      // each save (a whole-document write) that much slower; `jq .` shows it indented
      stringify: (data) => JSON.stringify(data) + '\n'
    }), null)
  }

  async load (): Promise<T> {
    await mkdir(dirname(this.path), { recursive: true })
    try {
      await this.#db.read()
    } catch (e) {
      if (e instanceof StormError) throw e
      throw new StormError('STORE_UNREADABLE', { path: this.path, reason: (e as Error).message }, { cause: e })
    }
    if (this.#db.data === null) {
      const fresh = this.#opts.create()
      await this.save(fresh)
      return fresh
    }
    return validate(migrate(this.#db.data, this.#opts), this.#opts)
  }

  async save (data: T): Promise<void> {
    this.#db.data = data
    await this.#db.write()
  }

  /**
   * Copies the file to `backups/<name>-<timestamp>.json` beside it and keeps the newest `keep`.
   * Returns the backup's path, or null when there is nothing to back up yet.
   */
  async backup (now: number, keep = 14): Promise<string | null> {
    try { await access(this.path) } catch { return null }
    const dir = join(dirname(this.path), 'backups')
    await mkdir(dir, { recursive: true })
    const stem = basename(this.path, '.json')
    const target = join(dir, `${stem}-${new Date(now).toISOString().replace(/[:.]/g, '-')}.json`)
    await copyFile(this.path, target)
    const old = (await readdir(dir)).filter(f => f.startsWith(stem + '-')).sort()
    for (const f of old.slice(0, Math.max(0, old.length - keep))) await rm(join(dir, f))
    return target
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

function parseJson (text: string, path: string): unknown {
  try {
    return JSON.parse(text)
  } catch (e) {
    throw new StormError('STORE_CORRUPT', { path, reason: (e as Error).message }, { cause: e })
  }
}

function migrate<T> (doc: unknown, opts: JsonStoreOptions<T>): unknown {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new StormError('STORE_CORRUPT', { path: opts.path, reason: 'not a JSON object' })
  }
  let current = doc as Record<string, unknown>
  let version = current.version
  if (typeof version !== 'number' || !Number.isInteger(version)) {
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
