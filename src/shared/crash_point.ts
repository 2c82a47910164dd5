/**
 * Test-only crash points for the kill -9 harness (`test/crash/`). Off unless the environment
 * variable `STORM_CRASH_AT` names a point: then the process kills itself with SIGKILL the first
 * time it reaches it — no cleanup, no flush, as a power cut or `kill -9` would.
 *
 * `STORM_CRASH_AT=<point>` stops at any arrival at `<point>`; `STORM_CRASH_AT=<point>:<tag>` only
 * when the caller passes `<tag>` (the manager tags its points with the history events being
 * written, e.g. `manager_stored:directive_executing`). Points, in the order a directive meets them:
 *
 * - `manager_stored` — the manager stored a change, before its history append (storm_manager.ts)
 * - `history_appended` — the history has the entries, the outbox not yet emptied (history.ts)
 * - `manager_history` — stored and in the history (storm_manager.ts); with the history outbox
 *   (the manager as it runs) this comes after the sends, which the outbox made safe
 * - `stormd_received` — stormd stored a directive's arrival, before telling the manager
 * - `stormd_executing` — stormd stored `executing`, before asking the node (directive_runner.ts)
 * - `stormd_executed` — the node did it, before stormd stored the outcome
 * - `stormd_finished` — the outcome stored, before the result is sent
 */
const AT = process.env.STORM_CRASH_AT

/** Kills this process with SIGKILL when `STORM_CRASH_AT` names this point (and one of `tags`). */
export function crashPoint (point: string, tags: readonly string[] = []): void {
  if (AT === undefined || AT === '') return
  if (AT === point || tags.some(t => AT === `${point}:${t}`)) process.kill(process.pid, 'SIGKILL')
}
