/**
 * Amounts of sats as the user's language writes them, and nothing else. English writes
 * `2,000,000` and `2.5m`; Spanish writes `2.000.000` (or `2 000 000`) and `2,5m` — the same marks
 * with opposite meanings, so an amount is only ever read in the language of the person who typed
 * it. Whatever could be read two ways (`1,5` in English, `1.5m` in Spanish, `1,50,000`) is
 * refused with an answer saying how to write it: an amount is never scaled by a guess.
 */
import { err, ok, type Result } from '../shared/errors.ts'

/** The most sats there will ever be. */
export const MAX_SATS = 2_100_000_000_000_000

/** How a language writes numbers: its thousands separators and its decimal mark. */
export interface AmountFormat {
  /** Marks that may separate groups of three digits (`_` is one in every language). */
  groups: readonly string[]
  decimal: string
}

const SPACES = [' ', '\u00a0', '\u202f']
const MARKS = new Set(['.', ',', '_', ...SPACES])
/** More digits than any amount has: the rest need not be read. */
const MAX_DIGITS = 24

/**
 * The marks of `lang` as `Intl` prints numbers there (Fluent formats the amounts in replies with
 * `Intl`, so what a reply shows can be typed back). Languages whose decimal mark is a comma also
 * group with spaces (`2 000 000`, `2\u00a0000\u00a0000`), as their style guides write them.
 */
export function amountFormat (lang: string): AmountFormat {
  let parts: Intl.NumberFormatPart[]
  try {
    parts = new Intl.NumberFormat(lang, { useGrouping: true }).formatToParts(1234567.5)
  } catch {
    parts = new Intl.NumberFormat('en').formatToParts(1234567.5)
  }
  const group = parts.find(p => p.type === 'group')?.value ?? ','
  const decimal = parts.find(p => p.type === 'decimal')?.value ?? '.'
  const groups = new Set([group, '_'])
  if (decimal === ',' || SPACES.includes(group)) for (const s of SPACES) groups.add(s)
  return { groups: [...groups], decimal }
}

/**
 * Sats, as people write them in `lang`: `2000000`, `2,000,000` / `2.000.000`, `2_000_000`, `2m`,
 * `2.5M` / `2,5M`, `500k`, `500000sats`.
 *
 * Errors: `AMOUNT_NOT_A_NUMBER` {value}, `AMOUNT_AMBIGUOUS` {value} (marks in places this language
 * does not put them), `AMOUNT_NOT_POSITIVE`, `AMOUNT_NOT_WHOLE` {value} (no fractions of a sat),
 * `AMOUNT_TOO_LARGE`.
 *
 * @example
 *   parseAmount('1.500.000', 'es') // ok(1_500_000)
 *   parseAmount('1,5m', 'en')      // err AMOUNT_AMBIGUOUS: write 1.5m
 */
export function parseAmount (text: string, lang: string): Result<number> {
  const value = text.slice(0, 32)
  const format = amountFormat(lang)
  let s = text.trim()
  const negative = s.startsWith('-') || s.startsWith('\u2212')
  if (negative) s = s.slice(1)
  s = s.replace(/\s*sats?$/i, '')
  let scale = 0
  const suffix = /\s*([km])$/i.exec(s)
  if (suffix !== null) {
    scale = suffix[1]!.toLowerCase() === 'k' ? 3 : 6
    s = s.slice(0, suffix.index)
  }
  if (!/^\d/.test(s) || !/\d$/.test(s) || [...s].some(c => !isDigit(c) && !MARKS.has(c))) {
    return negative && /\d/.test(s) ? err('AMOUNT_NOT_POSITIVE') : err('AMOUNT_NOT_A_NUMBER', { value })
  }
  const number = readNumber(s, format)
  if (number === null) return err('AMOUNT_AMBIGUOUS', { value })
  if (negative) return err('AMOUNT_NOT_POSITIVE')
  const whole = number.whole
  let fraction = number.fraction
  if (fraction !== '' && scale === 0 && fraction.length === 3) {
    // `1.500` / `1,500` without k or m: thousands in one language, a fraction in the other
    return err('AMOUNT_AMBIGUOUS', { value })
  }
  fraction = fraction.replace(/0+$/, '')
  if (fraction.length > scale) return err('AMOUNT_NOT_WHOLE', { value })
  const digits = (whole + fraction.padEnd(scale, '0')).replace(/^0+/, '')
  if (digits.length > MAX_DIGITS) return err('AMOUNT_TOO_LARGE')
  const sats = BigInt(digits === '' ? '0' : digits)
  if (sats === 0n) return err('AMOUNT_NOT_POSITIVE')
  if (sats > BigInt(MAX_SATS)) return err('AMOUNT_TOO_LARGE')
  return ok(Number(sats))
}

/**
 * The whole and fractional digits of digits-and-marks text, read with `format`; null when a mark
 * is not this language's, separates groups of other than three digits, is mixed with another
 * grouping mark, or a decimal mark appears twice or before a grouping mark.
 */
function readNumber (s: string, format: AmountFormat): { whole: string, fraction: string } | null {
  const at = s.indexOf(format.decimal)
  if (at >= 0 && s.indexOf(format.decimal, at + 1) >= 0) return null
  const wholeText = at < 0 ? s : s.slice(0, at)
  const fraction = at < 0 ? '' : s.slice(at + format.decimal.length)
  if (fraction !== '' && ![...fraction].every(isDigit)) return null
  const marks = new Set([...wholeText].filter(c => !isDigit(c)))
  if (marks.size === 0) return { whole: wholeText, fraction }
  if (marks.size > 1) return null
  const mark = [...marks][0]!
  if (!format.groups.includes(mark)) return null
  const groups = wholeText.split(mark)
  if (groups[0]!.length < 1 || groups[0]!.length > 3) return null
  if (groups.slice(1).some(g => g.length !== 3)) return null
  return { whole: groups.join(''), fraction }
}

function isDigit (c: string): boolean {
  return c >= '0' && c <= '9'
}
