/**
 * The append-only audit log: every event that matters (command, directive transition, pairing,
 * ban) as one JSON line. Written after the state is stored and before anything is announced.
 */
import { appendFile, mkdir } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { AuditEntry } from './context.ts'

/** The audit log port. */
export interface AuditLog {
  append (entries: AuditEntry[]): Promise<void>
}

export class FileAuditLog implements AuditLog {
  readonly path: string
  #ready: Promise<unknown> | null = null
  constructor (path: string) { this.path = path }
  async append (entries: AuditEntry[]): Promise<void> {
    if (entries.length === 0) return
    this.#ready ??= mkdir(dirname(this.path), { recursive: true })
    await this.#ready
    await appendFile(this.path, entries.map(e => JSON.stringify(e)).join('\n') + '\n', { mode: 0o600 })
  }
}

export class MemoryAuditLog implements AuditLog {
  readonly entries: AuditEntry[] = []
  async append (entries: AuditEntry[]): Promise<void> {
    this.entries.push(...entries)
  }
}
