/** Readers for the words commands take, shared by the commands that take the same kind of word. */
import { err, ok, type Result } from '../../shared/errors.ts'
import { amountFormat, parseAmount } from '../parse_amount.ts'

const ID = /^[A-Za-z0-9_-]{1,64}$/
const MAX_DURATION_MS = 30 * 86_400_000

/** No words. */
export function none (): Result<Record<never, never>> {
  return ok({})
}

/** A request or directive id. Errors: `BAD_ID` {value}. */
export function idWord (word: string): Result<{ id: string }> {
  return ID.test(word) ? ok({ id: word }) : err('BAD_ID', { value: word.slice(0, 32) })
}

/**
 * An amount in the user's language. Several words are one amount only where the language groups
 * digits with spaces (`2 000 000` in Spanish); otherwise `TOO_MANY_ARGUMENTS` {command}.
 */
export function amountWords (command: string, words: string[], lang: string): Result<{ amount: number }> {
  if (words.length > 1) {
    const spaced = amountFormat(lang).groups.includes(' ') ? parseAmount(words.join(' '), lang) : null
    return spaced?.ok === true ? ok({ amount: spaced.value }) : err('TOO_MANY_ARGUMENTS', { command })
  }
  const amount = parseAmount(words[0]!, lang)
  return amount.ok ? ok({ amount: amount.value }) : amount
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

