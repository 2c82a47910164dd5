/**
 * The command language, one parser for every front end: `/addfunds 2000000` on Telegram and the
 * console, `!addfunds 2000000` on Matrix, `addfunds 2000000` from stormcli. Text that is not a
 * command (or is addressed to another bot) is `null`; a command with bad arguments is an error
 * with a locale key — nothing is guessed.
 */
import { err, ok, type Result } from '../shared/errors.ts'
import { COMMANDS, type CommandName } from './command_table.ts'
import { parseAmount, amountFormat } from './parse_amount.ts'

export { parseAmount, amountFormat, MAX_SATS } from './parse_amount.ts'

export type Command =
  | { name: 'connect', group?: string }
  | { name: 'pair' }
  | { name: 'addfunds', amount: number }
  | { name: 'removefunds', amount: number }
  | { name: 'disconnect' }
  | { name: 'cancel', id: string }
  | { name: 'getinfo' }
  | { name: 'members' }
  | { name: 'directives' }
  | { name: 'approve', id: string }
  | { name: 'reject', id: string }
  | { name: 'vote', baseFeeMsat: string, feeRatePpm: number }
  | { name: 'downtime', durationMs: number }
  | { name: 'admit', member: string }
  | { name: 'decline', member: string }
  | { name: 'ban', member: string }
  | { name: 'unban', member: string }
  | { name: 'lang', lang?: string }
  | { name: 'help', topic?: string }

export interface ParseOptions {
  /** Characters that start a command: `['/']` on Telegram, `['!']` on Matrix, `[]` for stormcli. */
  prefixes: readonly string[]
  /** The bot's username: `/cmd@OtherBot` is not for us. */
  botUsername?: string
  /** The language of the person who typed it: amounts are read as that language writes them. */
  lang: string
}
const MAX_DURATION_MS = 30 * 86_400_000
const ID = /^[A-Za-z0-9_-]{1,64}$/

/**
 * Errors: `UNKNOWN_COMMAND` {command}, `MISSING_ARGUMENT` {command}, `TOO_MANY_ARGUMENTS` {command},
 * plus the argument errors of `parseAmount`, `parseDuration` and the fee vote.
 */
export function parseCommand (text: string, opts: ParseOptions): Result<Command> | null {
  const words = text.trim().split(/\s+/).filter(w => w !== '')
  const first = words.shift()
  if (first === undefined) return null
  let word = first
  if (opts.prefixes.length > 0) {
    const prefix = opts.prefixes.find(p => word.startsWith(p))
    if (prefix === undefined) return null
    word = word.slice(prefix.length)
  }
  const at = word.indexOf('@')
  if (at >= 0) {
    const addressee = word.slice(at + 1)
    if (opts.botUsername !== undefined && addressee.toLowerCase() !== opts.botUsername.toLowerCase()) return null
    word = word.slice(0, at)
  }
  const name = word.toLowerCase()
  if (name === '') return null
  const spec = COMMANDS.find(c => c.name === name)
  if (spec === undefined) return err('UNKNOWN_COMMAND', { command: name.slice(0, 32) })
  if (words.length < spec.required) return err('MISSING_ARGUMENT', { command: name })
  if (words.length > spec.required + spec.optional) {
    // `2 000 000` is one amount where a language groups digits with spaces
    const joined = spec.name === 'addfunds' || spec.name === 'removefunds' ? spacedAmount(words, opts.lang) : null
    if (joined === null) return err('TOO_MANY_ARGUMENTS', { command: name })
    return ok({ name: spec.name as 'addfunds' | 'removefunds', amount: joined })
  }
  return build(spec.name, words, opts.lang)
}

function spacedAmount (words: string[], lang: string): number | null {
  if (!amountFormat(lang).groups.includes(' ')) return null
  const amount = parseAmount(words.join(' '), lang)
  return amount.ok ? amount.value : null
}

function build (name: CommandName, a: string[], lang: string): Result<Command> {
  switch (name) {
    case 'addfunds':
    case 'removefunds': {
      const amount = parseAmount(a[0]!, lang)
      return amount.ok ? ok({ name, amount: amount.value }) : amount
    }
    case 'cancel':
    case 'reject':
      return ID.test(a[0]!) ? ok({ name, id: a[0]! }) : err('BAD_ID', { value: a[0]!.slice(0, 32) })
    case 'approve':
      if (a[0]!.toLowerCase() === 'all') return ok({ name, id: 'all' })
      return ID.test(a[0]!) ? ok({ name, id: a[0]! }) : err('BAD_ID', { value: a[0]!.slice(0, 32) })
    case 'connect':
      return ok(a[0] === undefined ? { name } : { name, group: a[0] })
    case 'vote':
      return parseFeeVote(a)
    case 'downtime': {
      const d = parseDuration(a[0]!)
      return d.ok ? ok({ name, durationMs: d.value }) : d
    }
    case 'admit':
    case 'decline':
    case 'ban':
    case 'unban':
      return ok({ name, member: a[0]! })
    case 'lang':
      return ok(a[0] === undefined ? { name } : { name, lang: a[0].toLowerCase() })
    case 'help':
      return ok(a[0] === undefined ? { name } : { name, topic: a[0].replace(/^[/!]/, '').toLowerCase() })
    case 'pair':
    case 'disconnect':
    case 'getinfo':
    case 'members':
    case 'directives':
      return ok({ name })
  }
}

/** `90m`, `2h`, `1d`, `1h30m`. Errors: `BAD_DURATION` {value}, `DURATION_TOO_LONG`. */
export function parseDuration (text: string): Result<number> {
  const value = text.slice(0, 32)
  const m = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?$/i.exec(text.trim())
  if (m === null || text.trim() === '') return err('BAD_DURATION', { value })
  const ms = (Number(m[1] ?? 0) * 86_400 + Number(m[2] ?? 0) * 3600 + Number(m[3] ?? 0) * 60) * 1000
  if (ms === 0) return err('BAD_DURATION', { value })
  if (ms > MAX_DURATION_MS) return err('DURATION_TOO_LONG')
  return ok(ms)
}

/**
 * `vote fee BASE RATE`: base fee in millisatoshis, rate as a fraction (`0.000001`, as in
 * stormd.conf). Errors: `BAD_VOTE` (not `fee`), `BAD_BASE_FEE` {value}, `BAD_FEE_RATE` {value}.
 */
function parseFeeVote (a: string[]): Result<Command> {
  if (a[0]!.toLowerCase() !== 'fee' || a.length !== 3) return err('BAD_VOTE')
  const base = a[1]!
  if (!/^\d{1,10}$/.test(base)) return err('BAD_BASE_FEE', { value: base.slice(0, 32) })
  const rate = /^(0|1)(?:\.(\d{1,6}))?$/.exec(a[2]!)
  if (rate === null) return err('BAD_FEE_RATE', { value: a[2]!.slice(0, 32) })
  const ppm = Number(rate[1]) * 1_000_000 + Number((rate[2] ?? '').padEnd(6, '0'))
  if (ppm > 1_000_000) return err('BAD_FEE_RATE', { value: a[2]! })
  return ok({ name: 'vote', baseFeeMsat: String(Number(base)), feeRatePpm: ppm })
}
