/**
 * Excused windows: planned downtime that does not count against a member's rating. This is the
 * API the downtime flow grants through (`downtime D` is built by a later issue); windows that are
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
