/**
 * Daemons of the regtest network: started detached (they outlive the `up` command), tracked by
 * pid files, stopped by pid only — never by name — after checking the pid is still ours.
 */
import { spawn } from 'node:child_process'
import { openSync, closeSync, readFileSync, writeFileSync, existsSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'

/** Starts `bin args…` detached, output appended to `logPath`, and writes its pid to `pidPath`. */
export function startDaemon (bin: string, args: string[], logPath: string, pidPath: string): number {
  const out = openSync(logPath, 'a')
  try {
    const child = spawn(bin, args, { detached: true, stdio: ['ignore', out, out] })
    if (child.pid === undefined) throw new Error(`could not start ${bin}`)
    child.unref()
    writeFileSync(pidPath, `${child.pid}\n`)
    return child.pid
  } finally {
    closeSync(out)
  }
}

/** The pid in `pidPath` when that process is alive and still runs `bin`; otherwise null. */
export function runningPid (pidPath: string, bin: string): number | null {
  if (!existsSync(pidPath)) return null
  const pid = Number(readFileSync(pidPath, 'utf8').trim())
  if (!Number.isSafeInteger(pid) || pid <= 1) return null
  return isOurs(pid, bin) ? pid : null
}

/**
 * Stops the daemon in `pidPath` (SIGTERM, then SIGKILL after `graceMs`) and removes the pid
 * file. Resolves once the process is gone; a pid file naming a dead or foreign process is
 * only removed.
 */
export async function stopDaemon (pidPath: string, bin: string, graceMs = 30_000): Promise<void> {
  const pid = runningPid(pidPath, bin)
  if (pid !== null) {
    signal(pid, 'SIGTERM')
    if (!await waitUntil(() => !isOurs(pid, bin), graceMs)) {
      signal(pid, 'SIGKILL')
      await waitUntil(() => !isOurs(pid, bin), 10_000)
    }
  }
  rmSync(pidPath, { force: true })
}

/** Thrown from a `waitUntil` check to stop waiting at once (e.g. the daemon exited). */
export class WaitAborted extends Error {}

/**
 * Polls `check` every `everyMs` until it holds or `timeoutMs` passes; says which. A check that
 * throws counts as "not yet", except for `WaitAborted`, which is rethrown.
 */
export async function waitUntil (check: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 100): Promise<boolean> {
  const end = Date.now() + timeoutMs
  for (;;) {
    try {
      if (await check()) return true
    } catch (e) {
      // not yet: the check may fail while a daemon starts
      if (e instanceof WaitAborted) throw e
    }
    if (Date.now() >= end) return false
    await new Promise(resolve => setTimeout(resolve, everyMs))
  }
}

/** Rejects naming the first port of `ports` something on 127.0.0.1 already listens on. */
export async function assertPortsFree (ports: number[]): Promise<void> {
  for (const port of ports) {
    await new Promise<void>((resolve, reject) => {
      const server = createServer()
      server.once('error', () => reject(new Error(
        `port 127.0.0.1:${port} is in use: set STORM_REGTEST_PORT to another base port`)))
      server.listen(port, '127.0.0.1', () => server.close(() => resolve()))
    })
  }
}

function isOurs (pid: number, bin: string): boolean {
  try {
    // a zombie (exited, not yet reaped) counts as gone
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    if (/^\d+ \(.*\) Z/.test(stat)) return false
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')
    return cmdline[0] === bin
  } catch {
    return false
  }
}

function signal (pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name)
  } catch {
    // already gone
  }
}
