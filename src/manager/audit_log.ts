/**
 * The history port: where the manager appends the entries of each use case, after its state is
 * stored and before anything is sent or announced. The manager's own is the signed Hypercore
 * (`history.ts`); this file keeps the port and an in-memory one for tests.
 */
import type { AuditEntry } from './context.ts'

/** The history port. */
export interface AuditLog {
  append (entries: AuditEntry[]): Promise<void>
}

export class MemoryAuditLog implements AuditLog {
  readonly entries: AuditEntry[] = []
  async append (entries: AuditEntry[]): Promise<void> {
    this.entries.push(...entries)
  }
}
