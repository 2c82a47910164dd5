/**
 * stormd's copy of the manager's history — the entries that concern its member — replicated over
 * the link (`history_request` / `history`) into `history.jsonl` beside its state, and checked on
 * request (`stormcli audit verify`): every entry signed by the manager this stormd paired with,
 * every agent message it quotes signed by this stormd, and every directive this stormd ran there
 * as it ran it.
 */
import { readFile, open, mkdir } from 'node:fs/promises'
import { dirname } from 'node:path'
import { canonicalJson } from '../protocol/canonical_json.ts'
import { historyEntryVerifies, historyHeadVerifies, openQuotedEnvelope } from '../protocol/history_entry.ts'
import { HistoryEntrySchema, HistoryHeadSchema, type HistoryEntry, type HistoryHead, type MessageBody } from '../protocol/messages.ts'
import type { AgentState } from './agent_state.ts'

/** What `verify` found. */
export interface HistoryCheck {
  entries: number
  /** Directives this stormd ran (executing or finished after executing) that were checked. */
  directives: number
  /** Problems, each with the entry or directive it concerns. */
  problems: Array<{ code: 'BAD_SIGNATURE' | 'BAD_AGENT_SIGNATURE' | 'MISSING' | 'CHANGED' | 'OUTCOME_MISSING' | 'GAP' | 'INCOMPLETE' | 'BAD_HEAD', ref: string }>
  /** The newest signed head held: the history length it vouches for (absent: none held yet). */
  length?: number
}

export class MemberHistory {
  readonly path: string
  readonly #entries = new Map<number, HistoryEntry>()
  /** The manager's newest signed head of this member's part (see HistoryHeadSchema). */
  #head: HistoryHead | null = null
  /** The next index to ask the manager from. */
  #from = 0
  #queue: Promise<unknown> = Promise.resolve()

  constructor (path: string) { this.path = path }

  /** Reads the file; a line torn by a crash is skipped (its batch is asked for again). */
  async load (): Promise<void> {
    let text = ''
    try {
      text = await readFile(this.path, 'utf8')
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e
    }
    for (const line of text.split('\n')) {
      if (line === '') continue
      let v: unknown
      try { v = JSON.parse(line) } catch { continue }
      const marker = v as { length?: unknown, head?: unknown }
      if (typeof marker.length === 'number' && Object.keys(v as object).length <= 2) {
        this.#from = Math.max(this.#from, marker.length)
        const head = HistoryHeadSchema.safeParse(marker.head)
        if (head.success && (this.#head === null || head.data.length >= this.#head.length)) this.#head = head.data
        continue
      }
      const entry = HistoryEntrySchema.safeParse(v)
      if (entry.success) this.#entries.set(entry.data.index, entry.data)
    }
  }

  /** Where to ask the manager from. */
  get from (): number { return this.#from }

  /** The entries held, in index order. */
  entries (): HistoryEntry[] {
    return [...this.#entries.values()].sort((a, b) => a.index - b.index)
  }

  /**
   * Takes a batch from the manager. Returns false when it does not follow on from what is held
   * (the caller asks again from `from`). Entries are written, fsynced, before `from` moves.
   */
  accept (batch: MessageBody<'history'>): Promise<boolean> {
    const next = this.#queue.then(async () => {
      if (batch.from > this.#from) return false
      const fresh = batch.entries.filter(e => e.index >= this.#from && !this.#entries.has(e.index))
      const head = batch.head !== undefined && (this.#head === null || batch.head.length >= this.#head.length) ? batch.head : undefined
      const lines = [...fresh.map(e => JSON.stringify(e)), JSON.stringify({ length: Math.max(this.#from, batch.length), ...(head === undefined ? {} : { head }) })]
      await mkdir(dirname(this.path), { recursive: true })
      // one open for the append and its fdatasync (the file's size is all the metadata it needs)
      const fh = await open(this.path, 'a', 0o600)
      try {
        await fh.write(lines.join('\n') + '\n')
        await fh.datasync()
      } finally {
        await fh.close()
      }
      for (const e of fresh) this.#entries.set(e.index, e)
      this.#from = Math.max(this.#from, batch.length)
      if (head !== undefined) this.#head = head
      return true
    })
    this.#queue = next.catch(() => {})
    return next
  }

  /**
   * Checks the history held against the manager's key and against what this stormd did.
   * `agentKey`: this stormd's key (hex), which must have signed every agent message quoted.
   */
  verify (managerKey: string, agentKey: string, state: AgentState): HistoryCheck {
    const problems: HistoryCheck['problems'] = []
    const created = new Map<string, HistoryEntry>()
    const outcomes = new Map<string, string>()
    const entries = this.entries()
    for (const e of entries) {
      if (!historyEntryVerifies(e, managerKey)) {
        problems.push({ code: 'BAD_SIGNATURE', ref: `#${e.index}` })
        continue
      }
      if (e.event === 'directive_created' && typeof e.data.id === 'string') created.set(e.data.id, e)
      if (e.event === 'directive_result' && typeof e.data.directive === 'string') outcomes.set(e.data.directive, String(e.data.outcome))
      if (e.event === 'agent_message') {
        const env = openQuotedEnvelope(e.data.envelope)
        if (env === null || env.from !== agentKey) {
          problems.push({ code: 'BAD_AGENT_SIGNATURE', ref: `#${e.index}` })
          continue
        }
        if (env.type === 'result') {
          const body = env.body as MessageBody<'result'>
          outcomes.set(body.directive, body.outcome)
        }
      }
    }
    let directives = 0
    for (const [id, d] of Object.entries(state.directives)) {
      if (d.status !== 'executing' && d.status !== 'succeeded' && d.status !== 'failed') continue
      directives++
      const entry = created.get(id)
      if (entry === undefined) {
        problems.push({ code: 'MISSING', ref: id })
        continue
      }
      if (entry.data.kind !== d.directive.kind || canonicalJson(entry.data.params) !== canonicalJson(d.directive.params)) {
        problems.push({ code: 'CHANGED', ref: id })
        continue
      }
      if ((d.status === 'succeeded' || d.status === 'failed') && outcomes.get(id) !== d.status) problems.push({ code: 'OUTCOME_MISSING', ref: id })
    }
    problems.push(...this.#completeness(managerKey, state.pairing?.memberId, entries))
    return { entries: entries.length, directives, problems, ...(this.#head === null ? {} : { length: this.#head.length }) }
  }

  /**
   * Whether the copy has every entry concerning this member: each entry names the previous one
   * concerning it (`prev`, signed), so a left-out entry breaks the chain (GAP); the manager's
   * signed head names the newest below its length, so one left out at the end shows too
   * (INCOMPLETE). Entries written before the chain carry no `prev` and are not judged by it.
   */
  #completeness (managerKey: string, member: string | undefined, entries: HistoryEntry[]): HistoryCheck['problems'] {
    const problems: HistoryCheck['problems'] = []
    if (member === undefined) return problems
    let previous = -1
    for (const e of entries) {
      if (!e.members.includes(member)) continue
      const prev = e.prev?.[member]
      if (e.prev !== undefined && prev !== previous) problems.push({ code: 'GAP', ref: `#${prev ?? '?'}…#${e.index}` })
      previous = e.index
    }
    const head = this.#head
    if (head === null) return problems
    if (head.member !== member || !historyHeadVerifies(head, managerKey)) {
      problems.push({ code: 'BAD_HEAD', ref: `length ${head.length}` })
      return problems
    }
    const newest = entries.filter(e => e.index < head.length && e.members.includes(member)).at(-1)?.index ?? -1
    if (newest !== head.last) problems.push({ code: 'INCOMPLETE', ref: `#${head.last}` })
    return problems
  }
}
