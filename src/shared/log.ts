/**
 * A leveled logger writing one JSON object per line, to a file or standard error, with secrets
 * redacted whatever a caller passes: values under secret-looking keys (`token`, `macaroon`,
 * `password`, `secret`, `pairingCode`, `invite` …), and secret-looking text inside any string
 * (a Telegram bot token, `macaroon=…` in an lndconnect URI or URL, a pairing code, a long hex
 * blob). Callers still pass codes and ids, not secrets; the redaction is the net under them.
 *
 * The manager logs warnings and errors by default (`STORM_LOG_LEVEL`, or `STORM_DEBUG` for
 * everything): a failed handler, announcement or save is never silent.
 */
import { appendFileSync } from 'node:fs'

export type LogLevel = 'error' | 'warn' | 'info' | 'debug'
export type Logger = (level: LogLevel, event: string, data?: Record<string, unknown>) => void
/** What the link, the manager and the Telegram bot are given: an event and its data; the level follows from the event. */
export type EventLog = (event: string, data: Record<string, unknown>) => void

export const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const
const RANK: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 }

export function createLogger (level: LogLevel, file?: string, write: (line: string) => void = defaultWrite(file)): Logger {
  return (at, event, data = {}) => {
    if (RANK[at] > RANK[level]) return
    write(JSON.stringify({ time: new Date().toISOString(), level: at, event, ...redact(data) }) + '\n')
  }
}

function defaultWrite (file: string | undefined): (line: string) => void {
  return file === undefined ? line => process.stderr.write(line) : line => appendFileSync(file, line, { mode: 0o600 })
}

/** The level from the environment: `STORM_LOG_LEVEL` (error, warn, info, debug), `STORM_DEBUG` set → debug, else `otherwise`. */
export function levelFromEnv (env: NodeJS.ProcessEnv, otherwise: LogLevel = 'info'): LogLevel {
  const asked = env.STORM_LOG_LEVEL?.toLowerCase()
  if (asked !== undefined && (LOG_LEVELS as readonly string[]).includes(asked)) return asked as LogLevel
  return env.STORM_DEBUG !== undefined && env.STORM_DEBUG !== '' ? 'debug' : otherwise
}

/**
 * An `EventLog` on a leveled logger: failures (`…_failed`, `…_error`) are errors; refusals,
 * drops and overflows warnings; the rest info (connections, starts) or debug (`DEBUG_EVENTS`).
 */
export function eventLog (log: Logger): EventLog {
  return (event, data) => { log(levelOfEvent(event), event, data) }
}

const DEBUG_EVENTS = new Set(['connecting', 'reconnect_scheduled', 'link_connecting', 'link_reconnect_scheduled'])
/** A peer's connection breaking is the network's normal life, not Storm's failure. */
const INFO_EVENTS = new Set(['connection_error', 'disconnected', 'connect_failed', 'link_connect_failed', 'link_connection_error'])

export function levelOfEvent (event: string): LogLevel {
  if (INFO_EVENTS.has(event)) return 'info'
  if (/(refused|dropped|overflow|replaced|cut_off|protocol_error|invalid|rejected)/.test(event)) return 'warn'
  if (/(_failed|_error|^error)$/.test(event)) return 'error'
  return DEBUG_EVENTS.has(event) ? 'debug' : 'info'
}

/**
 * Gives a promise nobody awaits an owner: its failure is reported through `fail`, never left as
 * an unhandled rejection (which would end the process).
 */
export function background (p: Promise<unknown>, fail: (error: string) => void): void {
  p.catch((e: unknown) => { fail(errorText(e)) })
}

/** An error as one short line for a log (its code when it has one). */
export function errorText (e: unknown): string {
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code
    return typeof code === 'string' && code !== e.message ? `${code}: ${e.message}` : e.message
  }
  return String(e)
}

const SECRET_KEY = /token|macaroon|password|passphrase|secret|seed|mnemonic|pairing_?code|invit|cookie|authorization|private_?key|secretkey/i
const SECRET_TEXT: Array<[RegExp, string]> = [
  [/(?<![0-9])\d{5,}:[A-Za-z0-9_-]{30,}/g, '[token]'], // a Telegram bot token (also inside api.telegram.org/bot<token>/ URLs)
  [/(macaroon=)[^&\s"']+/gi, '$1[redacted]'], // lndconnect URIs and query strings
  [/(code=)[0-9A-Za-z]{4}-?[0-9A-Za-z]{4}/g, '$1[redacted]'], // a pairing invitation
  [/\b[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}\b/g, '[code]'], // a pairing code
  [/\b[0-9a-f]{128,}\b/gi, '[hex]'] // a macaroon or a secret key in hex (public keys are 64–66; signatures, 128, go too)
]

/** A copy of `data` safe to log (see the module's comment). */
export function redact (data: Record<string, unknown>): Record<string, unknown> {
  return redactValue(data, 0) as Record<string, unknown>
}

function redactValue (v: unknown, depth: number): unknown {
  if (typeof v === 'string') return redactText(v)
  if (v === null || typeof v !== 'object' || depth > 6) return v
  if (v instanceof Error) return redactText(errorText(v))
  if (Array.isArray(v)) return v.map(x => redactValue(x, depth + 1))
  const out: Record<string, unknown> = {}
  for (const [k, x] of Object.entries(v)) {
    Object.defineProperty(out, k, { value: SECRET_KEY.test(k) ? '[redacted]' : redactValue(x, depth + 1), enumerable: true, writable: true, configurable: true })
  }
  return out
}

export function redactText (s: string): string {
  let out = s
  for (const [re, to] of SECRET_TEXT) out = out.replace(re, to)
  return out
}
