/**
 * The manager's signed history: every event that concerns a member — commands, pairing, votes,
 * directive transitions, agent messages with the agent's own signature — appended to a Hypercore
 * signed by the manager's key, each entry also signed on its own (`protocol/history_entry.ts`)
 * and naming the members it concerns, so a member's stormd can hold and check the entries about
 * it without the rest of the Storm's.
 *
 * Crash-safe with the state: the entries of a use case are written in the same SQLite
 * transaction as its state changes (the store's history outbox), then appended here, then taken
 * out of the outbox together with the history length seen. On start, `open()` reconciles: outbox
 * entries the Hypercore already has (a crash after the append) are skipped, the others appended.
 * So the state never holds a change the history lacks, nor the history one the state lacks.
 */
import { EventEmitter } from 'node:events'
import Hypercore from 'hypercore'
import { StormError } from '../shared/errors.ts'
import { crashPoint } from '../shared/crash_point.ts'
import { HistoryEntrySchema, type HistoryEntry, type HistoryHead } from '../protocol/messages.ts'
import { signHistoryEntry, signHistoryHead } from '../protocol/history_entry.ts'
import type { KeyPair } from '../protocol/keys.ts'
import type { AuditEntry } from './context.ts'
import type { AuditLog } from './audit_log.ts'
import type { State } from './state/schema.ts'

/** What the state store keeps for the history (`SqliteStateStore` has it). */
export interface HistoryOutbox {
  /** Entries stored with the state and not yet known to be in the history, oldest first. */
  pendingHistory (): Array<{ seq: number, entry: AuditEntry }>
  /** The history length when the outbox was last emptied. */
  historySeen (): number
  /**
   * Takes entries up to `seq` out of the outbox and records the history `length`, in one write
   * (which may wait for the store's next transaction: a crash that loses it is one after the append).
   */
  historyAppended (seq: number, length: number): void
}

export interface HypercoreHistoryOptions {
  /** The Hypercore's folder, e.g. `<dataDir>/history`. */
  dir: string
  /** The manager's key pair: the history is its, and signed by it. */
  keyPair: KeyPair
  outbox?: HistoryOutbox
}

export class HypercoreHistory extends EventEmitter<{ appended: [HistoryEntry[]] }> implements AuditLog {
  readonly #o: HypercoreHistoryOptions
  #opened: Hypercore | null = null
  /** Member id → indexes of the entries concerning it. */
  readonly #byMember = new Map<string, number[]>()

  constructor (o: HypercoreHistoryOptions) {
    super()
    this.#o = o
  }

  /** The Hypercore, once opened (created on `open()`, so a start that fails earlier creates nothing). */
  get #core (): Hypercore {
    if (this.#opened === null) throw new Error('HypercoreHistory used before open()')
    return this.#opened
  }

  /** Opens the Hypercore, indexes it, and appends what the outbox holds (see the file's comment). */
  async open (): Promise<void> {
    this.#opened = new Hypercore(this.#o.dir, { keyPair: this.#o.keyPair, valueEncoding: 'json' })
    await this.#core.ready()
    for (let i = 0; i < this.#core.length; i++) this.#index(HistoryEntrySchema.parse(await this.#core.get(i)))
    await this.#flush()
  }

  get length (): number { return this.#core.length }

  /** With an outbox, entries are durable in the state store before `append` is called. */
  get storedWithState (): boolean { return this.#o.outbox !== undefined }

  /** The Hypercore's key (its discovery key derives from it). */
  get key (): string { return this.#core.key.toString('hex') }

  /**
   * Appends a use case's entries, after the state holding them was stored. With an outbox, the
   * entries are taken from it (the same ones, and any an earlier failure left there).
   */
  async append (entries: AuditEntry[]): Promise<void> {
    if (this.#o.outbox !== undefined) return this.#flush()
    if (entries.length > 0) await this.#write(entries)
  }

  /** Entry `index`. */
  async get (index: number): Promise<HistoryEntry> {
    return HistoryEntrySchema.parse(await this.#core.get(index))
  }

  /** The entries concerning `member`, from index `from` on, at most `limit`. */
  async entriesFor (member: string, from = 0, limit = Infinity): Promise<HistoryEntry[]> {
    const out: HistoryEntry[] = []
    for (const i of this.#byMember.get(member) ?? []) {
      if (i < from) continue
      if (out.length >= limit) break
      out.push(await this.get(i))
    }
    return out
  }

  /**
   * The signed head of `member`'s part of the history at `length` (default: now): the newest
   * entry concerning it below `length`, and the Hypercore's tree hash there.
   */
  async head (member: string, length = this.#core.length): Promise<HistoryHead> {
    const indexes = this.#byMember.get(member) ?? []
    let last = -1
    for (let k = indexes.length - 1; k >= 0; k--) {
      if (indexes[k]! < length) { last = indexes[k]!; break }
    }
    const treeHash = (await this.#core.treeHash(length)).toString('hex')
    return signHistoryHead(this.#o.keyPair, { member, length, last, treeHash })
  }

  async close (): Promise<void> {
    await this.#opened?.close()
  }

  async #flush (): Promise<void> {
    const outbox = this.#o.outbox
    if (outbox === undefined) return
    const pending = outbox.pendingHistory()
    if (pending.length === 0) return
    // entries appended just before a crash that kept them in the outbox
    const already = this.#core.length - outbox.historySeen()
    if (already < 0 || already > pending.length) {
      throw new StormError('HISTORY_MISMATCH', { length: this.#core.length, seen: outbox.historySeen(), pending: pending.length })
    }
    await this.#write(pending.slice(already).map(p => p.entry))
    crashPoint('history_appended', pending.map(p => p.entry.event))
    outbox.historyAppended(pending.at(-1)!.seq, this.#core.length)
  }

  async #write (entries: AuditEntry[]): Promise<void> {
    const base = this.#core.length
    // each member's previous entry, chained through this batch too
    const last = new Map<string, number>()
    const signed = entries.map((e, i) => {
      const members = e.members ?? []
      const prev: Record<string, number> = {}
      for (const m of members) {
        prev[m] = last.get(m) ?? this.#byMember.get(m)?.at(-1) ?? -1
        last.set(m, base + i)
      }
      return signHistoryEntry(this.#o.keyPair, {
        index: base + i,
        at: e.at,
        event: e.event.slice(0, 64),
        ...(e.actor === undefined ? {} : { actor: e.actor.slice(0, 200) }),
        members,
        prev,
        data: e.data
      })
    })
    if (signed.length === 0) return
    await this.#core.append(signed)
    for (const s of signed) this.#index(s)
    this.emit('appended', signed)
  }

  #index (entry: HistoryEntry): void {
    for (const m of entry.members) {
      let list = this.#byMember.get(m)
      if (list === undefined) this.#byMember.set(m, list = [])
      list.push(entry.index)
    }
  }
}

const ID = /^[A-Za-z0-9_-]{1,64}$/

/**
 * The members an entry concerns, read from its data with the state at hand: the member it names,
 * a directive's target (and the peer member it opens a channel to), an allocation's member.
 */
export function concernedMembers (entry: AuditEntry, state: Pick<State, 'directives' | 'allocations'>): string[] {
  const out = new Set<string>()
  const d = entry.data
  const add = (v: unknown): void => { if (typeof v === 'string' && ID.test(v)) out.add(v) }
  add(d.member)
  add(d.target)
  const params = d.params as Record<string, unknown> | undefined
  if (typeof params === 'object' && params !== null) add(params.peerMember)
  const directive = typeof d.directive === 'string' ? d.directive : entry.event.startsWith('directive_') && typeof d.id === 'string' ? d.id : undefined
  if (directive !== undefined && Object.hasOwn(state.directives, directive)) add(state.directives[directive]!.target)
  const allocation = typeof d.allocation === 'string' ? d.allocation : entry.event.startsWith('allocation_') && typeof d.id === 'string' ? d.id : undefined
  if (allocation !== undefined && Object.hasOwn(state.allocations, allocation)) add(state.allocations[allocation]!.member)
  return [...out]
}
