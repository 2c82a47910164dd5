/**
 * Agents' latest reports read back at start (`ReportLog.stored`): each is checked again against
 * the report schema and against the state — a row of a node that is no longer a current
 * member's, or whose key no longer matches, is left out — and becomes the observation it was.
 */
import { ReportSchema } from '../../protocol/messages.ts'
import type { Observations } from '../observations.ts'
import type { ReportLog } from '../report_log.ts'
import type { State } from '../state/schema.ts'
import { findMemberByAgent } from './find_member.ts'
import { observationKey } from './member_nodes.ts'

/** Restores what `stored` holds into `observations`; returns how many rows were left out. */
export function restoreReports (state: State, observations: Observations, stored: ReturnType<ReportLog['stored']>): number {
  let skipped = 0
  for (const row of stored) {
    const member = findMemberByAgent(state, row.agentKey)
    const report = ReportSchema.safeParse(row.body)
    if (member === undefined || member.id !== row.member || (member.status !== 'active' && member.status !== 'leaving') ||
      observationKey(member, row.agentKey) !== row.key || !report.success) {
      skipped++
      continue
    }
    observations.restore(row.key, report.data, row.receivedAt)
  }
  return skipped
}
