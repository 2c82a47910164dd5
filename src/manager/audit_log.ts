/**
 * The history port: where the manager appends the entries of each use case, after its state is
 * stored and before anything is sent or announced (after, when the state store holds them too:
 * `storedWithState`). The manager's own is the signed Hypercore
 * (`history.ts`); this file keeps the port and an in-memory one for tests.
 */
import type { AuditEntry } from './context.ts'

/** The history port. */
export interface AuditLog {
  append (entries: AuditEntry[]): Promise<void>
  /**
   * True when the entries are already durable with the state when `append` is called (the store's
   * history outbox, `history.ts`): the manager then sends and announces first and appends after,
   * so the history's own write is off the path of a directive or an answer.
   */
  readonly storedWithState?: boolean
}

export class MemoryAuditLog implements AuditLog {
  readonly entries: AuditEntry[] = []
  async append (entries: AuditEntry[]): Promise<void> {
    this.entries.push(...entries)
  }
}
