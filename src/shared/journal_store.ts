/**
 * A `Store` for a document with one growing map of records (stormd's directives): a snapshot
 * file (`state.json`, the same compact JSON `JsonFileStore` writes) and a journal beside it
 * (`state.json.journal`) to which each save appends only what changed — the records that differ
 * from the last save, those removed, and the other top-level fields that changed — as one line,
 * fdatasynced (on the thread pool) before `save` resolves. A save costs one small append and one
 * fdatasync instead of rewriting the whole file (temporary file, fsync, rename, fsync the folder).
 *
 * Every line holds whole records, so replaying one twice is harmless. The journal's first line
 * names the snapshot it follows (a SHA-256 of the snapshot's bytes): after a compaction (the whole
 * document written to the snapshot, durably, then the journal started afresh) a journal left
 * behind by a crash in between names the old snapshot and is ignored — the new one holds it all.
 * A line torn by a crash (kill -9, power cut mid-append) ends the replay: that save had not
 * resolved, so nothing it stored was acted on. A failed append (disk full) makes the next save a
 * compaction, so nothing is ever appended after a torn line.
 *
 * Loading is as strict as `JsonFileStore`'s (same errors, nothing written on refusal); a journal
 * with lines is folded into the snapshot at load. Backups are whole documents, as the snapshot.
 */
import { createHash } from 'node:crypto'
import { open, readFile, type FileHandle } from 'node:fs/promises'
import { StormError } from './errors.ts'
import { syncDir, writeBackup, writeFileDurable } from './durable_file.ts'
import { checkDocument, withLatestBackup, DEFAULT_BACKUPS_KEPT, type BackedUpStore, type JsonStoreOptions, type Store } from './json_store.ts'
import { dirname } from 'node:path'

export interface JournalStoreOptions<T> extends JsonStoreOptions<T> {
  /** The document's field holding the map of records journaled one by one. */
  records: keyof T & string
  /**
   * Top-level fields that are replaced whole, never changed in place (stormd's `roster`): compared
   * by reference, so a large one is not serialized again on every save.
   */
  stable?: ReadonlyArray<keyof T & string>
  /** The journal is folded into the snapshot once it is larger than this and the snapshot (bytes). */
  compactBytes?: number
}

const DEFAULT_COMPACT_BYTES = 256 * 1024

export class JournalStore<T extends object> implements Store<T>, BackedUpStore {
  readonly path: string
  readonly journalPath: string
  readonly #o: JournalStoreOptions<T>
  #journal: FileHandle | null = null
  #journalBytes = 0
  #snapshotBytes = 0
  /** The last stored form of each record. */
  #records = new Map<string, string>()
  /** The last stored form of each other top-level field (null before the first load). */
  #fields: Map<string, string> | null = null
  /** The serialized form of each `stable` field, by the value it was taken from. */
  readonly #stableJson = new Map<string, { value: unknown, json: string }>()
  /** An append failed part-way: the next save writes the whole document instead. */
  #broken = false
  #queue: Promise<unknown> = Promise.resolve()
  /** Synced appends to the journal and whole writes of the snapshot, for the benches and tests. */
  appends = 0
  compactions = 0

  constructor (o: JournalStoreOptions<T>) {
    this.#o = o
    this.path = o.path
    this.journalPath = o.path + '.journal'
  }

  /**
   * Loads the snapshot and replays the journal. Errors (nothing written): `STORE_CORRUPT`
   * {path, reason, latest}, `STORE_UNREADABLE`, `STORE_TOO_NEW`, as `JsonFileStore.load`.
   */
  load (): Promise<T> {
    return this.#serial(async () => {
      try {
        return await this.#load()
      } catch (e) {
        throw await withLatestBackup(e, this.path)
      }
    })
  }

  save (data: T): Promise<void> {
    return this.#serial(() => this.#save(data, true))
  }

  /**
   * Appends what changed without waiting for the disk: a kill -9 keeps it (it is in the file), a
   * power cut may lose it — and, the journal being written in order, nothing saved after it
   * survives without it. For steps whose loss is harmless (stormd's `received`, which the next
   * step's save makes durable; a result's acknowledgement, whose loss means one more resend).
   */
  saveUnsynced (data: T): Promise<void> {
    return this.#serial(() => this.#save(data, false))
  }

  /** A whole copy of what is stored, to `backups/` beside the snapshot; keeps the newest `keep`. */
  backup (now: number, keep = DEFAULT_BACKUPS_KEPT): Promise<string | null> {
    return this.#serial(async () => {
      if (this.#fields === null) return null
      return writeBackup(this.path, this.#storedText(), now, keep)
    })
  }

  /** Closes the journal (a later save opens it again). */
  close (): Promise<void> {
    return this.#serial(async () => {
      const fh = this.#journal
      this.#journal = null
      await fh?.close()
    })
  }

  async #load (): Promise<T> {
    let text: string | null = null
    try {
      text = await readFile(this.path, 'utf8')
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new StormError('STORE_UNREADABLE', { path: this.path, reason: (e as Error).message }, { cause: e })
    }
    if (text === null) {
      const fresh = this.#o.create()
      await this.#compact(fresh)
      return fresh
    }
    if (text.trim() === '') throw new StormError('STORE_CORRUPT', { path: this.path, reason: 'the file is empty' })
    let raw: unknown
    try {
      raw = JSON.parse(text)
    } catch (e) {
      throw new StormError('STORE_CORRUPT', { path: this.path, reason: (e as Error).message }, { cause: e })
    }
    const { lines, current } = await this.#readJournal(digest(text))
    if (lines.length > 0 && typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
      for (const line of lines) this.#apply(raw as Record<string, unknown>, line)
    }
    const doc = checkDocument(raw, this.#o)
    const version = (raw as { version?: unknown }).version
    if (lines.length > 0 || version !== this.#o.version || !current) {
      // the journal folded in (or a migrated document): one whole snapshot, a fresh journal
      await this.#compact(doc)
    } else {
      this.#remember(doc)
      this.#snapshotBytes = Buffer.byteLength(text)
      await this.#openJournal(false)
    }
    return doc
  }

  /**
   * The journal's lines that follow the snapshot with this digest, up to the first torn one;
   * `current`: the journal exists and names this snapshot.
   */
  async #readJournal (snapshot: string): Promise<{ lines: Array<Record<string, unknown>>, current: boolean }> {
    let text: string
    try {
      text = await readFile(this.journalPath, 'utf8')
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { lines: [], current: false }
      throw new StormError('STORE_UNREADABLE', { path: this.journalPath, reason: (e as Error).message }, { cause: e })
    }
    const all = text.split('\n')
    let header: unknown
    try { header = JSON.parse(all[0] ?? '') } catch { return { lines: [], current: false } }
    if ((header as { snapshot?: unknown } | null)?.snapshot !== snapshot) return { lines: [], current: false }
    const lines: Array<Record<string, unknown>> = []
    // the last piece is what follows the final newline: empty, or a line torn by a crash
    for (const line of all.slice(1, -1)) {
      let v: unknown
      try { v = JSON.parse(line) } catch { break }
      if (typeof v !== 'object' || v === null || Array.isArray(v)) {
        throw new StormError('STORE_CORRUPT', { path: this.journalPath, reason: 'a journal line is not an object' })
      }
      lines.push(v as Record<string, unknown>)
    }
    return { lines, current: true }
  }

  /** Applies one journal line to a parsed document. */
  #apply (doc: Record<string, unknown>, line: Record<string, unknown>): void {
    const field = this.#o.records
    const bad = (reason: string): StormError => new StormError('STORE_CORRUPT', { path: this.journalPath, reason })
    if (line.fields !== undefined) {
      if (typeof line.fields !== 'object' || line.fields === null) throw bad('a journal line\'s fields are not an object')
      for (const [k, v] of Object.entries(line.fields)) if (k !== field) doc[k] = v
    }
    if (line.unset !== undefined) {
      if (!Array.isArray(line.unset)) throw bad('a journal line\'s removed fields are not a list')
      for (const k of line.unset) if (k !== field) delete doc[String(k)]
    }
    const records = (doc[field] ?? {}) as Record<string, unknown>
    if (typeof records !== 'object' || records === null) throw bad(`${field} is not an object`)
    doc[field] = records
    if (line.set !== undefined) {
      if (typeof line.set !== 'object' || line.set === null) throw bad('a journal line\'s records are not an object')
      Object.assign(records, line.set)
    }
    if (line.del !== undefined) {
      if (!Array.isArray(line.del)) throw bad('a journal line\'s removals are not a list')
      for (const id of line.del) delete records[String(id)]
    }
  }

  /**
   * Saves when the caller knows which records it changed (`ids`; the rest of the document is
   * compared as usual): the other records are not serialized again. `sync` false: as `saveUnsynced`.
   */
  saveRecords (data: T, ids: readonly string[], { sync = true }: { sync?: boolean } = {}): Promise<void> {
    return this.#serial(() => this.#save(data, sync, ids))
  }

  async #save (data: T, sync: boolean, only?: readonly string[]): Promise<void> {
    if (this.#broken || this.#journal === null) return this.#compact(data)
    const records = data[this.#o.records] as Record<string, unknown>
    // what changed: every record compared, or only those the caller names
    const changed = new Map<string, string | null>()
    if (only === undefined) {
      for (const [id, rec] of Object.entries(records)) {
        const json = JSON.stringify(rec)
        if (this.#records.get(id) !== json) changed.set(id, json)
      }
      for (const id of this.#records.keys()) if (!Object.hasOwn(records, id)) changed.set(id, null)
    } else {
      for (const id of only) {
        const json = Object.hasOwn(records, id) ? JSON.stringify(records[id]) : null
        if (json === null ? this.#records.has(id) : this.#records.get(id) !== json) changed.set(id, json)
      }
    }
    const fields = this.#fieldsOf(data)
    const known = this.#fields ?? new Map<string, string>()
    const setFields: string[] = []
    for (const [k, json] of fields) if (known.get(k) !== json) setFields.push(JSON.stringify(k) + ':' + json)
    const unset = [...known.keys()].filter(k => !fields.has(k))
    if (changed.size === 0 && setFields.length === 0 && unset.length === 0) return
    const set: string[] = []
    const del: string[] = []
    for (const [id, json] of changed) {
      if (json === null) del.push(id)
      else set.push(JSON.stringify(id) + ':' + json)
    }
    const parts: string[] = []
    if (setFields.length > 0) parts.push('"fields":{' + setFields.join(',') + '}')
    if (unset.length > 0) parts.push('"unset":' + JSON.stringify(unset))
    if (set.length > 0) parts.push('"set":{' + set.join(',') + '}')
    if (del.length > 0) parts.push('"del":' + JSON.stringify(del))
    const line = Buffer.from('{' + parts.join(',') + '}\n')
    if (this.#journalBytes + line.byteLength > Math.max(this.#o.compactBytes ?? DEFAULT_COMPACT_BYTES, this.#snapshotBytes)) return this.#compact(data)
    try {
      await this.#journal.write(line)
      if (sync) await this.#journal.datasync()
    } catch (e) {
      // part of the line may be in the file: nothing more is appended after it
      this.#broken = true
      throw e
    }
    if (sync) this.appends++
    this.#journalBytes += line.byteLength
    for (const [id, json] of changed) {
      if (json === null) this.#records.delete(id)
      else this.#records.set(id, json)
    }
    this.#fields = fields
  }

  /** Writes the whole document to the snapshot, durably, then starts a journal that follows it. */
  async #compact (data: T): Promise<void> {
    const text = JSON.stringify(data) + '\n'
    await writeFileDurable(this.path, text)
    this.compactions++
    this.#snapshotBytes = Buffer.byteLength(text)
    this.#remember(data)
    await this.#openJournal(true, digest(text))
    this.#broken = false
  }

  /** Opens the journal for appending; `fresh`: starts it anew, following the snapshot `snapshot`. */
  async #openJournal (fresh: boolean, snapshot?: string): Promise<void> {
    await this.#journal?.close()
    this.#journal = null
    if (!fresh) {
      const fh = await open(this.journalPath, 'a', 0o600)
      this.#journal = fh
      this.#journalBytes = (await fh.stat()).size
      return
    }
    const fh = await open(this.journalPath, 'w', 0o600)
    try {
      const header = Buffer.from(JSON.stringify({ snapshot }) + '\n')
      await fh.write(header)
      await fh.datasync()
      this.#journalBytes = header.byteLength
    } catch (e) {
      await fh.close()
      this.#broken = true
      throw e
    }
    this.#journal = fh
    await syncDir(dirname(this.journalPath))
  }

  #remember (data: T): void {
    const records = data[this.#o.records] as Record<string, unknown>
    this.#records = new Map(Object.entries(records).map(([id, rec]) => [id, JSON.stringify(rec)]))
    this.#fields = this.#fieldsOf(data)
  }

  /** The stored document, as one compact JSON text. */
  #storedText (): string {
    const inner = [...this.#fields ?? []].map(([k, json]) => JSON.stringify(k) + ':' + json).join(',')
    const records = [...this.#records].map(([id, s]) => JSON.stringify(id) + ':' + s).join(',')
    return '{' + inner + (inner === '' ? '' : ',') + JSON.stringify(this.#o.records) + ':{' + records + '}}\n'
  }

  /** Each top-level field but the records, as JSON (undefined ones left out, as JSON does). */
  #fieldsOf (data: T): Map<string, string> {
    const out = new Map<string, string>()
    for (const [k, v] of Object.entries(data)) {
      if (k === this.#o.records || v === undefined) continue
      let json: string
      if (this.#o.stable?.includes(k as keyof T & string) === true) {
        const known = this.#stableJson.get(k)
        json = known !== undefined && known.value === v ? known.json : JSON.stringify(v)
        this.#stableJson.set(k, { value: v, json })
      } else {
        json = JSON.stringify(v)
      }
      out.set(k, json)
    }
    return out
  }

  #serial<R> (job: () => Promise<R>): Promise<R> {
    const next = this.#queue.then(job)
    this.#queue = next.catch(() => {})
    return next
  }
}


function digest (text: string): string {
  return createHash('sha256').update(text).digest('hex')
}
