/**
 * The manager's state in SQLite (`node:sqlite`, built into Node 24): one row per member,
 * allocation and directive, one row for the rest of the document. A save writes the records the
 * use case changed (see `change_tracker.ts`) in one transaction, so it costs what changed, not
 * what the Storm holds — at 3,000 members the whole document is ~13 MiB and took ~150 ms to
 * write; a report or a command now writes a few rows.
 *
 * Durable: WAL, each commit fsynced before `save` resolves — by an fdatasync of the WAL from the
 * thread pool, shared by commits that wait together, not by SQLite on the main thread
 * (`wal_sync.ts` says why that is as safe as `synchronous = FULL`).
 * Records removed from the live state (finished work past its retention, `retention.ts`) move to
 * the `archive` table in the same transaction, never lost.
 *
 * Loading is as strict as the JSON store: a missing database starts from `state.json` when today's
 * manager left one (imported, then moved to `backups/`), else afresh; a database that is empty,
 * not SQLite, without Storm's tables, of a newer layout or state version, or whose records fail
 * the schema stops the start with a `StormError` naming the file and its newest backup, and is
 * opened read-only until it has passed — nothing is written.
 */
import { DatabaseSync, type StatementSync } from 'node:sqlite'
import { existsSync, rmSync, statSync } from 'node:fs'
import { open, rename, rm, mkdir } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { StormError } from '../../shared/errors.ts'
import { checkDocument, withLatestBackup, DEFAULT_BACKUPS_KEPT, type BackedUpStore, type Migration, type Store } from '../../shared/json_store.ts'
import { backupPathFor, pruneBackups, syncDir } from '../../shared/durable_file.ts'
import { JsonFileStore } from '../../shared/json_store.ts'
import { ChangeTracker } from './change_tracker.ts'
import { WalSync } from './wal_sync.ts'
import { assembleGovernance, governanceDoc, governanceRows, governanceWrites, trackGovernance, PROPOSALS, VOTES } from './governance_records.ts'
import type { HistoryOutbox } from '../history.ts'
import type { AuditEntry } from '../context.ts'
import { StateSchema, STATE_VERSION, type State } from './schema.ts'

/**
 * The database's own layout, in `PRAGMA user_version`; the records' is `STATE_VERSION`.
 * 2: governance's proposals and votes are rows of their own (`governance_records.ts`); layout 1
 * (governance inside the state row) is migrated on load, after a backup of the old file.
 */
export const DB_LAYOUT_VERSION = 2

/**
 * The state's collections kept one record per row. Everything else in the state is one row
 * (`doc`), written when it changed: add a collection here when it grows with the Storm.
 */
export const COLLECTIONS = ['members', 'allocations', 'directives'] as const

export interface SqliteStateStoreOptions {
  /** The database, e.g. `<dataDir>/state.db`. */
  path: string
  /** Today's JSON state file, imported when the database does not exist yet. */
  legacyJsonPath?: string
  /** A fresh state, when neither exists. */
  create: () => State
  /** `migrations[n]` upgrades a state document of version n to n + 1. */
  migrations?: Record<number, Migration>
  now?: () => number
}

/** A `Store<State>` on SQLite, saving only what changed. */
export class SqliteStateStore implements Store<State>, BackedUpStore, HistoryOutbox {
  readonly path: string
  readonly #o: SqliteStateStoreOptions
  #db: DatabaseSync | null = null
  #wal: WalSync | null = null
  /** Statements prepared once per connection (a `prepare` costs more than the row it writes). */
  #statements = new Map<string, StatementSync>()
  /** The history outbox as stored, oldest first (null: not read since the database was opened). */
  #outbox: Array<{ seq: number, entry: AuditEntry }> | null = null
  /**
   * What the history last took out of the outbox, not yet written: the next transaction (a save,
   * or the close) writes it — one transaction per use case instead of two (see `historyAppended`).
   */
  #appended: { seq: number, length: number } | null = null
  #tracker: ChangeTracker | null = null
  #state: State | null = null
  #lastDoc = ''
  /** Rows written by the last save, for the benches and tests. */
  lastSaveRows = 0
  readonly #watchers: Array<(collection: string, id: string) => void> = []

  constructor (o: SqliteStateStoreOptions) {
    this.#o = o
    this.path = o.path
  }

  /**
   * Tells `listener` of every record written in the state this store loaded, as it is written
   * (`'members'`, the member's id, …): what keeps caches derived from the state (`StormNodeIndex`)
   * from scanning it. A state loaded again is a new state: its writes are told too.
   */
  watch (listener: (collection: string, id: string) => void): void {
    this.#watchers.push(listener)
  }

  async load (): Promise<State> {
    try {
      return await this.#load()
    } catch (e) {
      throw await withLatestBackup(e, this.path)
    }
  }

  async #load (): Promise<State> {
    if (!existsSync(this.path)) {
      await mkdir(dirname(this.path), { recursive: true })
      const legacy = this.#o.legacyJsonPath
      if (legacy !== undefined && existsSync(legacy)) return this.#importLegacy(legacy)
      return this.#createFrom(this.#o.create())
    }
    // checked read-only first: a damaged or newer database is never written to
    const { doc, layout } = readDatabase(this.path)
    const state = checkDocument(doc, { path: this.path, schema: StateSchema, version: STATE_VERSION, create: this.#o.create, ...(this.#o.migrations === undefined ? {} : { migrations: this.#o.migrations }) })
    const db = this.#open()
    if (layout < DB_LAYOUT_VERSION) {
      // an older layout: the file as it was goes to backups/ first, then every row is written anew
      await this.backup(this.#o.now?.() ?? Date.now())
      writeAll(db, state, [], DB_LAYOUT_VERSION)
      await this.#durable()
    } else if ((doc as { version: number }).version !== STATE_VERSION) {
      // migrated: every row is written again, in one transaction
      writeAll(db, state)
      await this.#durable()
    }
    return this.#track(state)
  }

  /**
   * Stores what changed in `state`, and `history` (the entries the history will append) in its
   * outbox, in one transaction: see `history.ts`.
   */
  async save (state: State, history: readonly AuditEntry[] = []): Promise<void> {
    const db = this.#db
    if (db === null) throw new Error('SqliteStateStore: save before load')
    const tracker = this.#tracker
    if (state !== this.#state || tracker === null) {
      // a state this store did not load (nothing the manager does; a tool might): write it all
      writeAll(db, state, history)
      this.#outbox = null
      this.#track(structuredCloneState(state))
      await this.#durable()
      return
    }
    const changes = tracker.takeChanges()
    const doc = docOf(state)
    const docChanged = doc !== this.#lastDoc
    let rows = 0
    const added: Array<{ seq: number, entry: AuditEntry }> = []
    db.exec('BEGIN IMMEDIATE')
    try {
      const upsert = this.#stmt(db, 'INSERT INTO records (kind, id, body) VALUES (?, ?, ?) ON CONFLICT (kind, id) DO UPDATE SET body = excluded.body')
      const archive = this.#stmt(db, 'INSERT OR REPLACE INTO archive (kind, id, body, archived_at) SELECT kind, id, body, ? FROM records WHERE kind = ? AND id = ?')
      const remove = this.#stmt(db, 'DELETE FROM records WHERE kind = ? AND id = ?')
      const at = this.#o.now?.() ?? Date.now()
      for (const kind of COLLECTIONS) {
        for (const id of changes.get(kind) ?? []) {
          const raw = tracker.rawRecord(kind, id)
          if (raw === undefined) {
            archive.run(at, kind, id)
            remove.run(kind, id)
          } else {
            upsert.run(kind, id, JSON.stringify(raw))
          }
          rows++
        }
      }
      const gov = governanceWrites(tracker, changes)
      const removeRange = this.#stmt(db, 'DELETE FROM records WHERE kind = ? AND id >= ? AND id < ?')
      const archiveRange = this.#stmt(db, 'INSERT OR REPLACE INTO archive (kind, id, body, archived_at) SELECT kind, id, body, ? FROM records WHERE kind = ? AND id >= ? AND id < ?')
      for (const [kind, from, to, archived] of gov.remove) {
        if (archived) archiveRange.run(at, kind, from, to)
        removeRange.run(kind, from, to)
        rows++
      }
      for (const [kind, id, body] of gov.upsert) {
        upsert.run(kind, id, body)
        rows++
      }
      if (docChanged) {
        this.#stmt(db, "INSERT INTO meta (key, value) VALUES ('doc', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(doc)
        rows++
      }
      this.#writeAppended(db)
      if (history.length > 0) {
        const insert = this.#stmt(db, 'INSERT INTO history_outbox (entry) VALUES (?)')
        for (const e of history) {
          const json = JSON.stringify(e)
          added.push({ seq: Number(insert.run(json).lastInsertRowid), entry: JSON.parse(json) as AuditEntry })
        }
      }
      db.exec('COMMIT')
    } catch (e) {
      db.exec('ROLLBACK')
      throw e
    }
    this.#appended = null
    this.#outbox?.push(...added)
    if (docChanged) this.#lastDoc = doc
    this.lastSaveRows = rows
    await this.#durable()
  }

  /** Resolves once every commit so far is on disk (see `wal_sync.ts`). */
  async #durable (): Promise<void> {
    const wal = this.#wal
    if (wal === null) throw new Error('SqliteStateStore: closed')
    await wal.durable(wal.committed())
  }

  /** fdatasync calls made on the WAL since the database was opened (benches and tests). */
  get walSyncs (): number {
    return this.#wal?.syncs ?? 0
  }

  /**
   * A consistent copy of the database (`VACUUM INTO`, which reads one snapshot), written to
   * `backups/state-<time>.db`, fsynced; keeps the newest `keep`.
   */
  async backup (now: number, keep = DEFAULT_BACKUPS_KEPT): Promise<string | null> {
    const db = this.#db
    if (db === null) return null
    const target = backupPathFor(this.path, now)
    await mkdir(dirname(target), { recursive: true })
    const tmp = target + '.tmp'
    await rm(tmp, { force: true })
    db.prepare('VACUUM INTO ?').run(tmp)
    const fh = await open(tmp, 'r+')
    try { await fh.sync() } finally { await fh.close() }
    await rename(tmp, target)
    await syncDir(dirname(target))
    await pruneBackups(this.path, keep)
    return target
  }

  /** Records that left the live state, newest first: the archive of finished work. */
  archived (kind: typeof COLLECTIONS[number] | typeof PROPOSALS | typeof VOTES, limit = 100): Array<{ id: string, archivedAt: number, record: unknown }> {
    const db = this.#db
    if (db === null) return []
    return db.prepare('SELECT id, body, archived_at FROM archive WHERE kind = ? ORDER BY archived_at DESC LIMIT ?').all(kind, limit)
      .map(r => ({ id: String(r.id), archivedAt: Number(r.archived_at), record: JSON.parse(String(r.body)) }))
  }

  pendingHistory (): Array<{ seq: number, entry: AuditEntry }> {
    const db = this.#db
    if (db === null) return []
    // read once per connection, then kept as the saves add to it (the entries as stored, parsed)
    this.#outbox ??= this.#stmt(db, 'SELECT seq, entry FROM history_outbox ORDER BY seq').all()
      .map(r => ({ seq: Number(r.seq), entry: JSON.parse(String(r.entry)) as AuditEntry }))
    const taken = this.#appended?.seq ?? -Infinity
    return this.#outbox.filter(p => p.seq > taken)
  }

  historySeen (): number {
    if (this.#appended !== null) return this.#appended.length
    const db = this.#db
    const row = db === null ? undefined : this.#stmt(db, "SELECT value FROM meta WHERE key = 'history_seen'").get()
    return row === undefined ? 0 : Number(row.value)
  }

  /**
   * The history has the outbox's entries up to `seq`, and is `length` long. Written with the next
   * transaction (the next save, or the close), not in one of its own: until then `pendingHistory`
   * and `historySeen` answer as if it were. If a crash loses it, the outbox still holds entries
   * the history has, and `HypercoreHistory.open` skips them (it counts from `history_seen`, which
   * always moves with the outbox, in one transaction) — as when a crash came between the append
   * and this call.
   */
  historyAppended (seq: number, length: number): void {
    if (this.#db === null) throw new Error('SqliteStateStore: closed')
    this.#appended = { seq, length }
    if (this.#outbox !== null) this.#outbox = this.#outbox.filter(p => p.seq > seq)
  }

  /** Writes what `historyAppended` was told, inside the caller's transaction. */
  #writeAppended (db: DatabaseSync): void {
    const a = this.#appended
    if (a === null) return
    this.#stmt(db, 'DELETE FROM history_outbox WHERE seq <= ?').run(a.seq)
    this.#stmt(db, "INSERT INTO meta (key, value) VALUES ('history_seen', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(String(a.length))
  }

  /** Closes the database (the WAL is checkpointed into the file), after writing what the history took. */
  close (): void {
    const db = this.#db
    if (db !== null && this.#appended !== null) {
      try {
        db.exec('BEGIN IMMEDIATE')
        this.#writeAppended(db)
        db.exec('COMMIT')
      } catch {
        // left as it was: the next start skips what the history already has (see `historyAppended`)
        try { db.exec('ROLLBACK') } catch {}
      }
    }
    this.#appended = null
    this.#outbox = null
    this.#statements.clear()
    this.#db?.close()
    this.#db = null
    this.#wal?.close()
    this.#wal = null
  }

  async #importLegacy (legacy: string): Promise<State> {
    // today's manager: the JSON store's checks and migrations; a damaged file stops here, untouched
    const json = new JsonFileStore<State>({ path: legacy, schema: StateSchema, version: STATE_VERSION, create: this.#o.create, ...(this.#o.migrations === undefined ? {} : { migrations: this.#o.migrations }) })
    const state = await json.load()
    await this.#createFrom(state)
    // kept, not deleted: the first backup of the new store is the old file itself
    const moved = backupPathFor(legacy, this.#o.now?.() ?? Date.now())
    await mkdir(dirname(moved), { recursive: true })
    await rename(legacy, moved)
    await syncDir(dirname(legacy))
    return this.#state!
  }

  /** Writes a whole new database beside the final path, then renames it in: a crash leaves none or all. */
  async #createFrom (state: State): Promise<State> {
    const tmp = join(dirname(this.path), `.${this.path.split('/').pop()!}.new`)
    await rm(tmp, { force: true })
    const db = new DatabaseSync(tmp)
    try {
      db.exec('PRAGMA journal_mode = DELETE')
      createTables(db)
      writeAll(db, state)
    } finally {
      db.close()
    }
    const fh = await open(tmp, 'r+')
    try { await fh.sync() } finally { await fh.close() }
    await rename(tmp, this.path)
    await syncDir(dirname(this.path))
    this.#open()
    return this.#track(state)
  }

  /** `sql` prepared on this connection, once. */
  #stmt (db: DatabaseSync, sql: string): StatementSync {
    let s = this.#statements.get(sql)
    if (s === undefined) this.#statements.set(sql, s = db.prepare(sql))
    return s
  }

  #open (): DatabaseSync {
    this.close()
    const db = new DatabaseSync(this.path)
    db.exec('PRAGMA journal_mode = WAL')
    // commits are made durable by `#durable` (an fdatasync of the WAL off the main thread)
    db.exec('PRAGMA synchronous = NORMAL')
    this.#db = db
    this.#wal = new WalSync(this.path)
    return db
  }

  /** Wraps the state's collections so that saves know what changed. */
  #track (state: State): State {
    const tracker = new ChangeTracker((collection, id) => { for (const w of this.#watchers) w(collection, id) })
    for (const name of COLLECTIONS) {
      (state as Record<string, unknown>)[name] = tracker.collection(name, state[name] as Record<string, unknown>)
    }
    trackGovernance(tracker, state)
    this.#tracker = tracker
    this.#state = state
    this.#lastDoc = docOf(state)
    return state
  }
}

function addToOutbox (db: DatabaseSync, history: readonly AuditEntry[]): void {
  if (history.length === 0) return
  const insert = db.prepare('INSERT INTO history_outbox (entry) VALUES (?)')
  for (const e of history) insert.run(JSON.stringify(e))
}

/** The state without its collections (nor governance's proposals), as one row. */
function docOf (state: State): string {
  const rest: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(state)) if (!(COLLECTIONS as readonly string[]).includes(k)) rest[k] = v
  rest.governance = governanceDoc(state)
  return JSON.stringify(rest)
}

function structuredCloneState (state: State): State {
  return JSON.parse(JSON.stringify(state)) as State
}

function createTables (db: DatabaseSync): void {
  db.exec(`
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
    CREATE TABLE records (kind TEXT NOT NULL, id TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (kind, id)) WITHOUT ROWID;
    CREATE TABLE archive (kind TEXT NOT NULL, id TEXT NOT NULL, body TEXT NOT NULL, archived_at INTEGER NOT NULL, PRIMARY KEY (kind, id)) WITHOUT ROWID;
    CREATE INDEX archive_by_time ON archive (kind, archived_at);
    CREATE TABLE history_outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, entry TEXT NOT NULL);
    PRAGMA user_version = ${DB_LAYOUT_VERSION};
  `)
}

/** Writes every row of `state` (and the state version; the layout, when given) in one transaction. */
function writeAll (db: DatabaseSync, state: State, history: readonly AuditEntry[] = [], layout?: number): void {
  db.exec('BEGIN IMMEDIATE')
  try {
    db.exec('DELETE FROM records')
    const insert = db.prepare('INSERT INTO records (kind, id, body) VALUES (?, ?, ?)')
    for (const kind of COLLECTIONS) {
      for (const [id, record] of Object.entries(state[kind])) insert.run(kind, id, JSON.stringify(record))
    }
    for (const [kind, id, body] of governanceRows(state)) insert.run(kind, id, body)
    if (layout !== undefined) db.exec(`PRAGMA user_version = ${layout}`)
    const meta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
    meta.run('doc', docOf(state))
    addToOutbox(db, history)
    db.exec('COMMIT')
  } catch (e) {
    db.exec('ROLLBACK')
    throw e
  }
}

/**
 * Reads a database, read-only, back into one state document (not yet validated).
 * Errors: `STORE_CORRUPT` {path, reason}, `STORE_TOO_NEW` {path, version, supported}.
 */
function readDatabase (path: string): { doc: unknown, layout: number } {
  if (statSync(path).size === 0) throw new StormError('STORE_CORRUPT', { path, reason: 'the file is empty' })
  // a read-only look at a WAL database makes SQLite create its -wal and -shm files; those it
  // made for nothing (an empty log) are removed again, so a refused file leaves no trace
  const made = ['-wal', '-shm'].filter(s => !existsSync(path + s))
  try {
    return readRows(path)
  } finally {
    if (made.includes('-wal') && existsSync(path + '-wal') && statSync(path + '-wal').size === 0) {
      for (const s of made) rmSync(path + s, { force: true })
    }
  }
}

function readRows (path: string): { doc: unknown, layout: number } {
  let db: DatabaseSync
  try {
    db = new DatabaseSync(path, { readOnly: true })
  } catch (e) {
    throw new StormError('STORE_CORRUPT', { path, reason: (e as Error).message }, { cause: e })
  }
  try {
    const layout = Number(db.prepare('PRAGMA user_version').get()?.user_version)
    if (layout > DB_LAYOUT_VERSION) throw new StormError('STORE_TOO_NEW', { path, version: layout, supported: DB_LAYOUT_VERSION })
    const tables = new Set(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all().map(r => String(r.name)))
    if (!['meta', 'records', 'archive', 'history_outbox'].every(t => tables.has(t))) {
      throw new StormError('STORE_CORRUPT', { path, reason: 'not a Storm state database (its tables are missing)' })
    }
    const row = db.prepare("SELECT value FROM meta WHERE key = 'doc'").get()
    if (row === undefined) throw new StormError('STORE_CORRUPT', { path, reason: 'the state row is missing' })
    const doc = parseRow(path, 'the state row', String(row.value))
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new StormError('STORE_CORRUPT', { path, reason: 'the state row is not an object' })
    const state = doc as Record<string, unknown>
    for (const kind of COLLECTIONS) state[kind] = {}
    const proposals = new Map<string, unknown>()
    const votes: Array<[string, unknown]> = []
    for (const r of db.prepare('SELECT kind, id, body FROM records').iterate()) {
      const kind = String(r.kind)
      if (kind === PROPOSALS || kind === VOTES) {
        const body = parseRow(path, `${kind}.${String(r.id)}`, String(r.body))
        if (kind === PROPOSALS) proposals.set(String(r.id), body)
        else votes.push([String(r.id), body])
        continue
      }
      const collection = state[kind]
      if (!(COLLECTIONS as readonly string[]).includes(kind) || typeof collection !== 'object' || collection === null) {
        throw new StormError('STORE_CORRUPT', { path, reason: `a record of unknown kind “${kind.slice(0, 40)}”` })
      }
      (collection as Record<string, unknown>)[String(r.id)] = parseRow(path, `${kind}.${String(r.id)}`, String(r.body))
    }
    const bad = assembleGovernance(state, proposals, votes)
    if (bad !== null) throw new StormError('STORE_CORRUPT', { path, reason: bad })
    return { doc: state, layout }
  } catch (e) {
    if (e instanceof StormError) throw e
    throw new StormError('STORE_CORRUPT', { path, reason: (e as Error).message }, { cause: e })
  } finally {
    db.close()
  }
}

function parseRow (path: string, where: string, text: string): unknown {
  try {
    return JSON.parse(text)
  } catch (e) {
    throw new StormError('STORE_CORRUPT', { path, reason: `${where}: ${(e as Error).message}` }, { cause: e })
  }
}

