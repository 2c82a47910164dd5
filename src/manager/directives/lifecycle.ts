/**
 * The directive state machine. A status only moves forward:
 *
 *   created → sent → (awaiting_approval → approved | rejected) → executing → succeeded | failed
 *   or expired / cancelled before execution starts.
 *
 * Pure: the caller stores the record, then announces.
 */
import type { DirectiveRecord, DirectiveStatus } from '../state/schema.ts'
import { err, ok, type Result } from '../../shared/errors.ts'

const TERMINAL: readonly DirectiveStatus[] = ['succeeded', 'failed', 'rejected', 'expired', 'cancelled']

/**
 * Where each status may go next. Jumps over intermediate stages are allowed where a report can
 * legitimately skip them (a directive that needs no approval goes from sent to executing; after an
 * agent restart its result may be the first thing the manager hears).
 */
const NEXT: Record<DirectiveStatus, readonly DirectiveStatus[]> = {
  created: ['sent', 'cancelled', 'expired'],
  sent: ['awaiting_approval', 'approved', 'rejected', 'executing', 'succeeded', 'failed', 'cancelled', 'expired'],
  awaiting_approval: ['approved', 'rejected', 'executing', 'succeeded', 'failed', 'cancelled', 'expired'],
  approved: ['executing', 'succeeded', 'failed', 'expired'],
  executing: ['succeeded', 'failed'],
  rejected: [],
  succeeded: [],
  failed: [],
  expired: [],
  cancelled: []
}

export function isTerminal (status: DirectiveStatus): boolean {
  return TERMINAL.includes(status)
}

/** True while the owner may still approve or reject. */
export function isAwaitingOwner (status: DirectiveStatus): boolean {
  return status === 'sent' || status === 'awaiting_approval'
}

/** True while the directive can still be withdrawn without reaching the agent's node. */
export function isCancellable (status: DirectiveStatus): boolean {
  return status === 'created' || status === 'sent' || status === 'awaiting_approval'
}

/**
 * Moves `record` to `to`, recording when and by whom. Errors (and leaves the record alone) when
 * the move is not forward: `DIRECTIVE_ALREADY_FINISHED` from a terminal status,
 * `DIRECTIVE_BAD_TRANSITION` otherwise.
 */
export function advance (record: DirectiveRecord, to: DirectiveStatus, at: number, by?: string): Result<DirectiveRecord> {
  if (record.status === to) return ok(record)
  if (isTerminal(record.status)) {
    return err('DIRECTIVE_ALREADY_FINISHED', { id: record.directive.id, status: record.status })
  }
  if (!NEXT[record.status].includes(to)) {
    return err('DIRECTIVE_BAD_TRANSITION', { id: record.directive.id, from: record.status, to })
  }
  record.status = to
  record.history.push(by === undefined ? { status: to, at } : { status: to, at, by })
  return ok(record)
}

/** Records of directives past their expiry that have not started executing. */
export function dueForExpiry (records: Iterable<DirectiveRecord>, now: number): DirectiveRecord[] {
  const due: DirectiveRecord[] = []
  for (const r of records) {
    if (r.directive.expiresAt <= now && NEXT[r.status].includes('expired')) due.push(r)
  }
  return due
}
