/**
 * `StormManager` on in-memory ports for the benches: a store, an audit log and a link that cost
 * nothing beyond what the choice of store says, so a figure is the manager's own work.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { StormManager, type AgentLinkPort, type StormManagerOptions } from '../../src/manager/storm_manager.ts'
import type { AuditLog } from '../../src/manager/audit_log.ts'
import type { AuditEntry } from '../../src/manager/context.ts'
import { defaultRules, type StormRules } from '../../src/manager/rules.ts'
import { StateSchema, STATE_VERSION, type State } from '../../src/manager/state/schema.ts'
import { JsonFileStore, MemoryStore, type Store } from '../../src/shared/json_store.ts'
import { ManualClock } from '../../src/shared/clock.ts'
import { SqliteStateStore } from '../../src/manager/state/sqlite_state_store.ts'
import { seededRandom } from '../../src/shared/ids.ts'
import type { MessageBody, MessageType } from '../../src/protocol/messages.ts'

/**
 * How the manager's state is kept:
 * - `reference`: the document itself, as lowdb holds it after a write, minus the write;
 * - `copy`: `MemoryStore`, a deep copy per save (the cost of a save without the disk);
 * - `file`: `JsonFileStore` on a file in the OS temporary directory, as the manager ran before
 *   its state moved to SQLite (a whole-document write per save);
 * - `sqlite`: `SqliteStateStore` in the OS temporary directory, as the manager runs (the records
 *   a use case changed, per save, fsynced).
 */
export type StoreKind = 'reference' | 'copy' | 'file' | 'sqlite'

/** A link that sends nowhere and counts what it was given. */
export class CountingLink implements AgentLinkPort {
  sent = 0
  send<T extends MessageType> (_agentKey: string, _type: T, _body: MessageBody<T>): string {
    return `m${++this.sent}`
  }

  isConnected (): boolean { return false }
  drop (): void {}
}

/** An audit log that keeps a count only. */
export class CountingAudit implements AuditLog {
  entries = 0
  async append (entries: AuditEntry[]): Promise<void> {
    this.entries += entries.length
  }
}

/** A store holding the document by reference. */
export class ReferenceStore<T> implements Store<T> {
  #data: T
  saves = 0
  constructor (data: T) { this.#data = data }
  async load (): Promise<T> { return this.#data }
  async save (data: T): Promise<void> {
    this.saves++
    this.#data = data
  }
}

export interface BenchManager {
  manager: StormManager
  link: CountingLink
  audit: CountingAudit
  clock: ManualClock
  /** The state file or database, for the file and sqlite kinds. */
  storePath: string | null
  /** Stops the manager and removes any file it wrote. */
  close (): Promise<void>
}

/**
 * A started manager on `state` (taken over: the manager mutates it). The clock stands at `now`.
 * Pairing is not exercised by the benches, so its ports refuse.
 */
export async function benchManager (state: State, now: number, kind: StoreKind = 'reference', rules: StormRules = defaultRules({ group: state.group, visibility: 'public' }), more: Pick<StormManagerOptions, 'reports'> = {}): Promise<BenchManager> {
  let dir: string | null = null
  let store: Store<State>
  let sqlite: SqliteStateStore | null = null
  if (kind === 'file') {
    dir = await mkdtemp(join(tmpdir(), 'storm-bench-'))
    store = new JsonFileStore<State>({ path: join(dir, 'state.json'), schema: StateSchema, version: STATE_VERSION, create: () => state })
  } else if (kind === 'sqlite') {
    dir = await mkdtemp(join(tmpdir(), 'storm-bench-'))
    sqlite = new SqliteStateStore({ path: join(dir, 'state.db'), create: () => state })
    store = sqlite
  } else if (kind === 'copy') {
    store = new MemoryStore(() => state)
  } else {
    store = new ReferenceStore(state)
  }
  const clock = new ManualClock(now)
  const link = new CountingLink()
  const audit = new CountingAudit()
  const manager = new StormManager({
    store,
    audit,
    link,
    clock,
    rules,
    managerKey: 'ab'.repeat(32),
    pairingKeyOf: () => { throw new Error('benches do not pair') },
    verifySignature: () => false,
    random: seededRandom(11),
    ...more
  })
  await manager.start()
  return {
    manager, link, audit, clock,
    storePath: dir === null ? null : join(dir, kind === 'sqlite' ? 'state.db' : 'state.json'),
    close: async () => {
      manager.stop()
      await manager.whenIdle()
      sqlite?.close()
      if (dir !== null) await rm(dir, { recursive: true, force: true })
    }
  }
}
