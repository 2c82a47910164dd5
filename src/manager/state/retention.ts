/**
 * Finished work leaves the live state: an allocation finished (done, cancelled, failed) longer
 * ago than the retention period goes, with its directives; so does any other finished directive
 * whose last change is that old. The record-level store moves them to its archive in the same
 * transaction (see `sqlite_state_store.ts`), so the live state holds what is unfinished and recent
 * and stays the size of the Storm's present, not of its past.
 *
 * Pure: a function of the state and the time, run by the manager's sweep.
 */
import type { Ctx } from '../context.ts'
import { audit } from '../context.ts'
import { isTerminal } from '../directives/lifecycle.ts'
import { isPending } from '../allocations/track_allocation.ts'
import type { DirectiveRecord } from './schema.ts'

/** How long finished work stays in the live state: a week, long enough for anyone to look at it in chat. */
export const FINISHED_RETENTION_MS = 7 * 86_400_000

/** Removes finished work older than `retentionMs` from the live state; returns how much. */
export function archiveFinished (ctx: Ctx, retentionMs = FINISHED_RETENTION_MS): { allocations: number, directives: number } {
  const cutoff = ctx.now - retentionMs
  const { state } = ctx
  const stays = new Set<string>()
  const goes: string[] = []
  for (const [id, a] of Object.entries(state.allocations)) {
    const old = !isPending(a) && a.finishedAt !== undefined && a.finishedAt <= cutoff
    const settled = a.directives.every(d => { const r = state.directives[d]; return r === undefined || isTerminal(r.status) })
    if (old && settled) goes.push(id)
    else for (const d of a.directives) stays.add(d)
  }
  let directives = 0
  for (const [id, r] of Object.entries(state.directives)) {
    if (stays.has(id) || !isTerminal(r.status) || finishedAt(r) > cutoff) continue
    delete state.directives[id]
    directives++
  }
  for (const id of goes) delete state.allocations[id]
  if (goes.length > 0 || directives > 0) audit(ctx, 'finished_archived', { allocations: goes.length, directives, before: cutoff })
  return { allocations: goes.length, directives }
}

function finishedAt (r: DirectiveRecord): number {
  return r.history.at(-1)?.at ?? r.directive.createdAt
}
