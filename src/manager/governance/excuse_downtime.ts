/**
 * Excused windows: planned downtime that does not count against a member's rating. This is the
 * API the downtime flow (`liveness/`) grants through; windows that are
 * over are dropped when a new one is granted.
 */
import type { Ctx } from '../context.ts'
import { audit } from '../context.ts'
import { err, ok, type Result } from '../../shared/errors.ts'

/** Errors: `UNKNOWN_MEMBER` {ref}, `BAD_WINDOW`. */
export function excuseDowntime (ctx: Ctx, member: string, from: number, to: number, reason: string): Result<void> {
  if (ctx.state.members[member] === undefined) return err('UNKNOWN_MEMBER', { ref: member })
  if (!(Number.isSafeInteger(from) && Number.isSafeInteger(to) && from < to)) return err('BAD_WINDOW')
  const windows = (ctx.state.governance.excused[member] ?? []).filter(w => w.to > ctx.now)
  windows.push({ from, to, reason: reason.slice(0, 200) })
  ctx.state.governance.excused[member] = windows
  audit(ctx, 'downtime_excused', { member, from, to, reason })
  return ok(undefined)
}

/**
 * Moves the end of the excused window that starts at `from` to `to` (a window cut short or
 * extended); a window that no longer has any length is dropped.
 */
export function resizeExcuse (ctx: Ctx, member: string, from: number, to: number): void {
  const windows = ctx.state.governance.excused[member] ?? []
  const w = windows.find(x => x.from === from)
  if (w === undefined) return
  if (to <= from) windows.splice(windows.indexOf(w), 1)
  else w.to = to
  audit(ctx, 'downtime_excuse_resized', { member, from, to })
}
