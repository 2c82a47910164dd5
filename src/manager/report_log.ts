/**
 * The port through which the manager keeps each agent's latest report on disk, so a restarted
 * manager knows every node's channels, balances and health at once instead of after the next
 * round of reports (stakes, planning and the dashboard read them).
 *
 * A report is kept when `keep`'s promise resolves: from then on a crash does not lose it. The
 * SQLite implementation (`state/sqlite_report_store.ts`) writes the reports that arrive together
 * in one transaction and one fdatasync (`state/group_commit.ts`).
 */
import type { QuotedEnvelope } from '../protocol/envelope.ts'
import type { Report } from '../protocol/messages.ts'

/** One agent's latest report as stored. */
export interface StoredReport {
  /** The observation's key (`observationKey`: the member, or member/agent for a fleet's other nodes). */
  key: string
  member: string
  agentKey: string
  receivedAt: number
  /**
   * The report as its agent signed it (the envelope's text, kept as received: nothing is
   * re-encoded, and the row can be checked against the agent's key later); absent when the
   * report came without its envelope, then `report` is stored as JSON.
   */
  envelope?: QuotedEnvelope
  report: Report
}

export interface ReportLog {
  /**
   * Queues the latest report of `row.key` for the next write; resolves once it is on disk (or
   * superseded on disk by a later report of the same key), rejects when this one cannot be
   * written. A write that fails as a whole is tried again: what it held is not dropped.
   */
  keep (row: StoredReport): Promise<void>
  /** The stored reports, each as written (unchecked: the manager checks them before using them). */
  stored (): Array<{ key: string, member: string, agentKey: string, receivedAt: number, body: unknown }>
}
