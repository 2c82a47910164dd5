/**
 * Numbers, times and unknown figures in the reader's language.
 */
import type { Translator } from '../../shared/i18n.ts'
import type { Known } from '../../manager/queries/index.ts'

export interface Fmt {
  t: Translator['t']
  lang: string
  int (n: number): string
  dec (n: number, digits?: number): string
  pct (share: number): string
  time (ms: number): string
  /** A known figure formatted, or why it is unknown. */
  known<T> (k: Known<T>, show: (v: T) => string): string
}

export function formatter (tr: Translator): Fmt {
  const lang = tr.lang
  const int = new Intl.NumberFormat(lang, { maximumFractionDigits: 0 })
  const time = new Intl.DateTimeFormat(lang, { dateStyle: 'short', timeStyle: 'short', timeZone: 'UTC' })
  return {
    t: tr.t,
    lang,
    int: (n) => int.format(n),
    dec: (n, digits = 2) => new Intl.NumberFormat(lang, { maximumFractionDigits: digits, minimumFractionDigits: 0 }).format(n),
    pct: (share) => new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 0 }).format(share),
    time: (ms) => time.format(ms) + ' UTC',
    known: (k, show) => k.known ? show(k.value) : tr.t('dash-unknown-' + k.reason.replace(/_/g, '-'))
  }
}
