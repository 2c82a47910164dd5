/**
 * The command language, one parser for every front end: `/addfunds 2000000` on Telegram and the
 * console, `!addfunds 2000000` on Matrix, `addfunds 2000000` from stormcli. Text that is not a
 * command (or is addressed to another bot) is `null`; a command with bad arguments is an error
 * with a locale key — nothing is guessed. Each command reads its own words (`commands/<name>.ts`).
 */
import { err, type Result } from '../shared/errors.ts'
import { findCommand, type Command } from './commands/registry.ts'

export type { Command, CommandName } from './commands/registry.ts'
export { parseAmount, amountFormat, MAX_SATS } from './parse_amount.ts'
export { parseDuration } from './commands/arguments.ts'

export interface ParseOptions {
  /** Characters that start a command: `['/']` on Telegram, `['!']` on Matrix, `[]` for stormcli. */
  prefixes: readonly string[]
  /** The bot's username: `/cmd@OtherBot` is not for us. */
  botUsername?: string
  /** The language of the person who typed it: amounts are read as that language writes them. */
  lang: string
}

/**
 * Errors: `UNKNOWN_COMMAND` {command}, `MISSING_ARGUMENT` {command}, `TOO_MANY_ARGUMENTS` {command},
 * plus the errors of each command's own parser (amounts, ids, durations, the fee vote).
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
  const def = findCommand(name)
  if (def === undefined) return err('UNKNOWN_COMMAND', { command: name.slice(0, 32) })
  if (words.length < def.words.required) return err('MISSING_ARGUMENT', { command: def.name })
  if (words.length > def.words.required + def.words.optional) return err('TOO_MANY_ARGUMENTS', { command: def.name })
  const args = def.parse(words, opts.lang)
  return args.ok ? { ok: true, value: { name: def.name, ...args.value } as Command } : args
}
