/**
 * Agents' latest reports in SQLite (`<dataDir>/reports.db`, beside the state): one row per
 * reporting node, replaced by each new report. Its own database, not the state's: reports are
 * the manager's highest-rate input (every node, every minute) and hold no decision of their own
 * — what a report changes in the state (a channel opened, a fee reconciled) is stored with the
 * state by the use case, so this file is never needed to keep the state right, only to know the
 * nodes again at once after a restart. It is therefore not in the state's backups.
 *
 * Writes are grouped (`group_commit.ts`): the reports of one turn of the event loop go in one
 * transaction, made durable by one fdatasync of the WAL off the main thread (`wal_sync.ts`), and
 * each report's `keep` resolves only then. A report arriving with its envelope is stored as its
 * agent signed it (the text received, not re-encoded).
 */
import { DatabaseSync, type StatementSync } from 'node:sqlite'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { StormError } from '../../shared/errors.ts'
import type { ReportLog, StoredReport } from '../report_log.ts'
import { GroupCommit, type GroupCommitOptions } from './group_commit.ts'
import { WalSync } from './wal_sync.ts'

/** The file's layout, in `PRAGMA user_version`. */
export const REPORTS_LAYOUT_VERSION = 1

export interface SqliteReportStoreOptions extends Pick<GroupCommitOptions, 'onError' | 'retryMs' | 'maxRetryMs'> {
  /** The database, e.g. `<dataDir>/reports.db`. */
  path: string
}

export class SqliteReportStore implements ReportLog {
  readonly path: string
  readonly #o: SqliteReportStoreOptions
  #db: { db: DatabaseSync, wal: WalSync, upsert: StatementSync } | null = null
  readonly #commit: GroupCommit<StoredReport>

  /**
   * The database is opened (or created) when first used — by the manager's start, once its state
   * has loaded: a manager that refuses to start writes nothing here either. Errors then:
   * `STORE_TOO_NEW` {path, version, supported}; SQLite's own for a file that is not a database.
   */
  constructor (o: SqliteReportStoreOptions) {
    this.path = o.path
    this.#o = o
    this.#commit = new GroupCommit<StoredReport>({
      write: rows => this.#write(rows),
      durable: () => this.#open().wal.durable()
    }, o)
  }

  #open (): { db: DatabaseSync, wal: WalSync, upsert: StatementSync } {
    if (this.#db !== null) return this.#db
    const path = this.#o.path
    mkdirSync(dirname(path), { recursive: true })
    const db = new DatabaseSync(path)
    try {
      const layout = Number(db.prepare('PRAGMA user_version').get()?.user_version)
      if (layout > REPORTS_LAYOUT_VERSION) throw new StormError('STORE_TOO_NEW', { path, version: layout, supported: REPORTS_LAYOUT_VERSION })
      // a report is a few kilobytes: on 16 KiB pages it fits its leaf page, with no overflow
      // pages to write (about half the cost of a row on the default 4 KiB); only a new file takes it
      if (layout === 0) db.exec('PRAGMA page_size = 16384')
      db.exec('PRAGMA journal_mode = WAL')
      // commits are made durable by the WAL's fdatasync before `keep` resolves (wal_sync.ts)
      db.exec('PRAGMA synchronous = NORMAL')
      db.exec(`CREATE TABLE IF NOT EXISTS reports (
        key TEXT PRIMARY KEY, member TEXT NOT NULL, agent TEXT NOT NULL, received_at INTEGER NOT NULL,
        signed TEXT, sig TEXT, body TEXT,
        CHECK ((signed IS NOT NULL AND sig IS NOT NULL) OR body IS NOT NULL)
      ); PRAGMA user_version = ${REPORTS_LAYOUT_VERSION}`)
    } catch (e) {
      db.close()
      throw e
    }
    const upsert = db.prepare(`INSERT INTO reports (key, member, agent, received_at, signed, sig, body) VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (key) DO UPDATE SET member = excluded.member, agent = excluded.agent, received_at = excluded.received_at,
        signed = excluded.signed, sig = excluded.sig, body = excluded.body`)
    this.#db = { db, wal: new WalSync(path), upsert }
    return this.#db
  }

  keep (row: StoredReport): Promise<void> {
    return this.#commit.add(row.key, row)
  }

  stored (): Array<{ key: string, member: string, agentKey: string, receivedAt: number, body: unknown }> {
    return this.#open().db.prepare('SELECT key, member, agent, received_at, signed, body FROM reports ORDER BY received_at').all().map(r => ({
      key: String(r.key),
      member: String(r.member),
      agentKey: String(r.agent),
      receivedAt: Number(r.received_at),
      body: bodyOf(r.signed, r.body)
    }))
  }

  /** Batches and rows written so far, fdatasyncs made (benches and tests). */
  get counts (): { batches: number, rows: number, syncs: number } {
    return { batches: this.#commit.batches, rows: this.#commit.rows, syncs: this.#db?.wal.syncs ?? 0 }
  }

  /** Writes what is pending now. */
  flush (): Promise<void> {
    return this.#commit.flush()
  }

  /** Writes what is pending, then closes the database. */
  async close (): Promise<void> {
    await this.#commit.close()
    this.#db?.db.close()
    this.#db?.wal.close()
    this.#db = null
  }

  #write (rows: ReadonlyArray<readonly [string, StoredReport]>): Array<readonly [string, unknown]> {
    const refused: Array<readonly [string, unknown]> = []
    const { db, wal, upsert } = this.#open()
    db.exec('BEGIN IMMEDIATE')
    try {
      for (const [key, r] of rows) {
        try {
          const e = r.envelope
          upsert.run(key, r.member, r.agentKey, r.receivedAt, e?.signed ?? null, e?.sig ?? null, e === undefined ? JSON.stringify(r.report) : null)
        } catch (err) {
          // this row only (SQLite undoes the failed statement, not the transaction)
          refused.push([key, err])
        }
      }
      db.exec('COMMIT')
    } catch (e) {
      if (db.isTransaction) db.exec('ROLLBACK')
      throw e
    }
    wal.committed()
    return refused
  }
}

/** The report in a row: the envelope's body, or the stored JSON; undefined when unreadable. */
function bodyOf (signed: unknown, body: unknown): unknown {
  try {
    if (typeof signed === 'string') return (JSON.parse(signed) as { body?: unknown }).body
    if (typeof body === 'string') return JSON.parse(body)
  } catch {
    // an unreadable row is skipped by the manager like any that fails the schema
  }
  return undefined
}
