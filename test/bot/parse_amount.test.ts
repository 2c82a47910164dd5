/**
 * Amounts are read the way the user's language writes them, or refused with an answer saying how
 * to write them — never scaled by a guess (`/addfunds 0,3m` once planned 3,000,000 sats).
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { parseAmount, amountFormat, MAX_SATS } from '../../src/bot/parse_amount.ts'
import { parseCommand } from '../../src/bot/parse_command.ts'
import { Locales } from '../../src/shared/i18n.ts'

const LOCALES = Locales.load()

interface Case { description: string, text: string, expected?: number, error?: string }

function check (lang: string, cases: Case[]): void {
  for (const c of cases) {
    const r = parseAmount(c.text, lang)
    const got = r.ok ? { value: r.value } : { error: r.error.code }
    assert.deepEqual(got, c.error === undefined ? { value: c.expected } : { error: c.error }, `${lang}: ${c.description} (${JSON.stringify(c.text)})`)
  }
}

test('an English speaker writes commas between thousands and a point before decimals', () => {
  check('en', [
    { description: 'plain digits', text: '2000000', expected: 2_000_000 },
    { description: 'grouped by commas', text: '2,000,000', expected: 2_000_000 },
    { description: 'as replies print it', text: '1,500,000', expected: 1_500_000 },
    { description: 'underscores', text: '2_000_000', expected: 2_000_000 },
    { description: 'millions', text: '2m', expected: 2_000_000 },
    { description: 'a decimal million', text: '2.5M', expected: 2_500_000 },
    { description: 'a decimal below one million', text: '0.3m', expected: 300_000 },
    { description: 'thousands', text: '500k', expected: 500_000 },
    { description: 'grouped thousands of k', text: '1,500k', expected: 1_500_000 },
    { description: 'with sats', text: '500,000 sats', expected: 500_000 },
    { description: 'a whole number with .0', text: '2.0', expected: 2 },
    { description: 'the comma of the issue', text: '0,3m', error: 'AMOUNT_AMBIGUOUS' },
    { description: 'a decimal comma', text: '1,5m', error: 'AMOUNT_AMBIGUOUS' },
    { description: 'a decimal comma without suffix', text: '1,5', error: 'AMOUNT_AMBIGUOUS' },
    { description: 'groups of two (Indian style)', text: '1,50,000', error: 'AMOUNT_AMBIGUOUS' },
    { description: 'a first group of four', text: '1000,000', error: 'AMOUNT_AMBIGUOUS' },
    { description: 'Spanish thousands', text: '1.500.000', error: 'AMOUNT_AMBIGUOUS' },
    { description: 'a point before three digits', text: '1.500', error: 'AMOUNT_AMBIGUOUS' },
    { description: 'mixed grouping', text: '1,000_000', error: 'AMOUNT_AMBIGUOUS' },
    { description: 'spaces are not English grouping', text: '2 000 000', error: 'AMOUNT_AMBIGUOUS' },
    { description: 'a comma after the point', text: '1.000,5k', error: 'AMOUNT_AMBIGUOUS' },
    { description: 'a trailing comma', text: '1,', error: 'AMOUNT_NOT_A_NUMBER' },
    { description: 'a fraction of a sat', text: '1.5', error: 'AMOUNT_NOT_WHOLE' },
    { description: 'a fraction of a sat in k', text: '1.2345k', error: 'AMOUNT_NOT_WHOLE' },
    { description: 'negative', text: '-5', error: 'AMOUNT_NOT_POSITIVE' },
    { description: 'zero', text: '0', error: 'AMOUNT_NOT_POSITIVE' },
    { description: 'too many', text: '2,100,000,000,000,001', error: 'AMOUNT_TOO_LARGE' },
    { description: 'scientific notation', text: '1e6', error: 'AMOUNT_NOT_A_NUMBER' },
    { description: 'words', text: 'lots', error: 'AMOUNT_NOT_A_NUMBER' }
  ])
})

test('a Spanish speaker writes points (or spaces) between thousands and a comma before decimals', () => {
  check('es', [
    { description: 'plain digits', text: '2000000', expected: 2_000_000 },
    { description: 'as Spanish replies print it (the issue)', text: '1.500.000', expected: 1_500_000 },
    { description: 'spaces', text: '2 000 000', expected: 2_000_000 },
    { description: 'no-break spaces', text: '2\u00a0000\u00a0000', expected: 2_000_000 },
    { description: 'underscores', text: '2_000_000', expected: 2_000_000 },
    { description: 'a decimal comma million', text: '2,5M', expected: 2_500_000 },
    { description: 'the comma of the issue', text: '0,3m', expected: 300_000 },
    { description: 'thousands with a point', text: '1.500', expected: 1500 },
    { description: 'grouped thousands of k', text: '1.500k', expected: 1_500_000 },
    { description: 'with sats', text: '500.000 sats', expected: 500_000 },
    { description: 'an English decimal point', text: '1.5m', error: 'AMOUNT_AMBIGUOUS' },
    { description: 'English thousands', text: '2,000,000', error: 'AMOUNT_AMBIGUOUS' },
    { description: 'a comma before three digits', text: '1,500', error: 'AMOUNT_AMBIGUOUS' },
    { description: 'groups of two', text: '1.50.000', error: 'AMOUNT_AMBIGUOUS' },
    { description: 'points and spaces mixed', text: '1.000 000', error: 'AMOUNT_AMBIGUOUS' },
    { description: 'a fraction of a sat', text: '1,5', error: 'AMOUNT_NOT_WHOLE' },
    { description: 'negative', text: '-1.000', error: 'AMOUNT_NOT_POSITIVE' },
    { description: 'words', text: 'mucho', error: 'AMOUNT_NOT_A_NUMBER' }
  ])
})

test('a Spanish /addfunds 2 000 000 is one amount; an English one is too many words', () => {
  assert.deepEqual(parseCommand('/addfunds 2 000 000', { prefixes: ['/'], lang: 'es' }), { ok: true, value: { name: 'addfunds', amount: 2_000_000 } })
  const en = parseCommand('/addfunds 2 000 000', { prefixes: ['/'], lang: 'en' })
  assert.ok(en !== null && !en.ok && en.error.code === 'TOO_MANY_ARGUMENTS')
  const words = parseCommand('/addfunds 1 2', { prefixes: ['/'], lang: 'es' })
  assert.ok(words !== null && !words.ok && words.error.code === 'TOO_MANY_ARGUMENTS')
})

test('an ambiguous amount is answered in the user\'s language with how to write it', () => {
  const en = parseAmount('1,5m', 'en')
  assert.ok(!en.ok)
  const said = LOCALES.translator('en').error(en.error)
  assert.match(said, /“1,5m”/)
  assert.match(said, /2,000,000/)
  assert.match(said, /2\.5m/)
  const es = parseAmount('1.5m', 'es')
  assert.ok(!es.ok)
  const dicho = LOCALES.translator('es').error(es.error)
  assert.match(dicho, /«1\.5m»/)
  assert.match(dicho, /2\.000\.000/)
  assert.match(dicho, /2,5m/)
})

const LANGS = ['en', 'es']
const sats = fc.integer({ min: 1, max: MAX_SATS })
/** Digits, every mark either language uses, suffixes, signs and a few strangers. */
const amountish = fc.string({ unit: fc.constantFrom(...'0123456789', '0', '1', ',', '.', '_', ' ', '\u00a0', 'k', 'm', 'M', 's', 'a', 't', '-', 'e', 'x') , maxLength: 24 })

/**
 * The value `text` shows when read with `lang`'s marks by the book: grouping marks only between
 * groups of three, one decimal mark, k or m; null when it is not written that way. Independent
 * of the parser: it reads the string from the right, group by group.
 */
function byTheBook (text: string, lang: string): bigint | null {
  const { groups, decimal } = amountFormat(lang)
  let s = text.trim().replace(/\s*sats?$/i, '')
  const suffix = /\s*([km])$/i.exec(s)
  const scale = suffix === null ? 0 : suffix[1]!.toLowerCase() === 'k' ? 3 : 6
  if (suffix !== null) s = s.slice(0, suffix.index)
  const [whole = '', fraction = '', ...more] = s.split(decimal)
  if (more.length > 0 || !/^\d*$/.test(fraction)) return null
  if (s.includes(decimal) && fraction === '') return null
  let digits = ''
  let rest = whole
  let mark: string | null = null
  while (rest.length > 3 && !/^\d+$/.test(rest)) {
    const group = rest.slice(-3)
    const sep = rest.at(-4)!
    if (!/^\d{3}$/.test(group) || !groups.includes(sep) || (mark !== null && sep !== mark)) return null
    mark = sep
    digits = group + digits
    rest = rest.slice(0, -4)
  }
  if (!/^\d+$/.test(rest) || (mark !== null && rest.length > 3)) return null
  digits = rest + digits
  const f = fraction.replace(/0+$/, '')
  if (f.length > scale) return null
  if (scale === 0 && fraction.length === 3) return null
  return BigInt(digits + f.padEnd(scale, '0'))
}

test('fuzz: an accepted amount is exactly what its digits say in that language', () => {
  fc.assert(fc.property(amountish, fc.constantFrom(...LANGS), (text, lang) => {
    const r = parseAmount(text, lang)
    if (!r.ok) return true
    return byTheBook(text, lang) === BigInt(r.value)
  }), { numRuns: 20_000 })
})

test('fuzz: an amount printed the way replies print it reads back as the same amount', () => {
  fc.assert(fc.property(sats, fc.constantFrom(...LANGS), (n, lang) => {
    // the reply's own sentence, formatted by Fluent with Intl
    const sentence = LOCALES.translator(lang).t('addfunds-planned-channel', { amount: n, peer: '@p', directive: 'd' })
    const shown = /(\d[\d.,\u00a0\u202f ]*\d|\d)/.exec(sentence)![1]!
    assert.deepEqual(parseAmount(shown, lang), { ok: true, value: n }, `${lang}: ${shown}`)
    const millions = new Intl.NumberFormat(lang, { maximumFractionDigits: 6, useGrouping: false }).format(n / 1e6) + 'm'
    assert.deepEqual(parseAmount(millions, lang), { ok: true, value: n }, `${lang}: ${millions}`)
  }), { numRuns: 5_000 })
})

test('fuzz: no input throws, in any language, through the whole command parser', () => {
  fc.assert(fc.property(fc.string({ maxLength: 64 }), fc.constantFrom(...LANGS, 'fr', 'de-CH', 'xx'), (text, lang) => {
    parseAmount(text, lang)
    parseCommand('/addfunds ' + text, { prefixes: ['/'], lang })
    parseCommand('/removefunds ' + text.replace(/\s+/g, ' '), { prefixes: ['/'], lang })
  }), { numRuns: 5_000 })
})
