/**
 * A leveled logger writing one JSON object per line, to a file or standard error. Callers pass
 * codes and ids, never secrets (macaroons, keys, pairing codes).
 */
import { appendFileSync } from 'node:fs'

export type LogLevel = 'error' | 'warn' | 'info' | 'debug'
export type Logger = (level: LogLevel, event: string, data?: Record<string, unknown>) => void

const RANK: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 }

export function createLogger (level: LogLevel, file?: string): Logger {
  return (at, event, data = {}) => {
    if (RANK[at] > RANK[level]) return
    const line = JSON.stringify({ time: new Date().toISOString(), level: at, event, ...data }) + '\n'
    if (file === undefined) process.stderr.write(line)
    else appendFileSync(file, line, { mode: 0o600 })
  }
}
