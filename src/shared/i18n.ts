/**
 * Every user-facing sentence comes from `locales/<lang>/*.ftl` (Project Fluent, the format grammY's
 * i18n plugin uses), chosen per user. English is the fallback for a language we lack; a key
 * missing in a shipped language is a test failure, not a runtime surprise.
 */
import { readFileSync, readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'
import { FluentBundle, FluentResource, type FluentVariable } from '@fluent/bundle'
import { z } from 'zod'
import type { StormError} from './errors.ts';
import { errorLocaleKey } from './errors.ts'
import { asName, asText, NAME_PARAMS } from './untrusted_text.ts'

export const DEFAULT_LANG = 'en'
export const LOCALES_DIR = fileURLToPath(new URL('../../locales/', import.meta.url))

export type Params = Record<string, string | number>

/** Formats messages in one language. */
export interface Translator {
  readonly lang: string
  t (key: string, params?: Params): string
  /** The sentence for an expected failure. */
  error (e: StormError): string
}

export class Locales {
  readonly #bundles = new Map<string, FluentBundle>()
  readonly #keys = new Map<string, string[]>()

  /**
   * Loads `dir/<lang>/*.ftl` (one folder per language, one file per area). Throws on a syntax
   * error or a key defined twice: a broken locale must not ship.
   */
  static load (dir: string = LOCALES_DIR): Locales {
    const locales = new Locales()
    for (const lang of readdirSync(dir, { withFileTypes: true }).filter(d => d.isDirectory()).map(d => d.name).sort()) {
      const bundle = new FluentBundle(lang, { useIsolating: false })
      const keys: string[] = []
      for (const file of readdirSync(join(dir, lang)).filter(f => f.endsWith('.ftl')).sort()) {
        const resource = new FluentResource(readFileSync(join(dir, lang, file), 'utf8'))
        const errors = bundle.addResource(resource)
        if (errors.length > 0) throw new Error(`locales/${lang}/${file}: ${errors.map(e => e.message).join('; ')}`)
        keys.push(...resource.body.map(m => m.id).filter(id => !id.startsWith('-')))
      }
      locales.#bundles.set(lang, bundle)
      locales.#keys.set(lang, keys)
    }
    if (!locales.#bundles.has(DEFAULT_LANG)) throw new Error(`locales/${DEFAULT_LANG}/ is missing`)
    return locales
  }

  get languages (): string[] {
    return [...this.#bundles.keys()]
  }

  /** The best language we have for a tag like `es-AR` or `de`; English otherwise. */
  negotiate (tag: string | undefined): string {
    if (tag === undefined) return DEFAULT_LANG
    const lower = tag.toLowerCase()
    if (this.#bundles.has(lower)) return lower
    const base = lower.split(/[-_]/)[0]!
    return this.#bundles.has(base) ? base : DEFAULT_LANG
  }

  has (lang: string): boolean {
    return this.#bundles.has(lang)
  }

  /** Message ids defined in one language. */
  keys (lang: string): string[] {
    return this.#keys.get(lang) ?? []
  }

  /**
   * A translator for the best language for `tag`. `defaults` are parameters every message gets
   * unless given: `{ p: '/' }` says how commands are written where the user is.
   */
  translator (tag: string | undefined, defaults: Params = { p: '/' }): Translator {
    const lang = this.negotiate(tag)
    const bundle = this.#bundles.get(lang)!
    const fallback = this.#bundles.get(DEFAULT_LANG)!
    const t = (key: string, params: Params = {}): string => {
      const b = bundle.hasMessage(key) ? bundle : fallback
      const msg = b.getMessage(key)
      if (msg?.value == null) return key
      return b.formatPattern(msg.value, { ...defaults, ...shownParams(words(params)) } as Record<string, FluentVariable>)
    }
    // a status or kind passed as its code (`succeeded`, `open_channel`) is said in words
    const words = (params: Params): Params => {
      let out = params
      for (const [k, v] of Object.entries(params)) {
        const key = typeof v === 'string' ? codeWordKey(k, v) : undefined
        if (key === undefined || !(bundle.hasMessage(key) || fallback.hasMessage(key))) continue
        if (out === params) out = { ...params }
        out[k] = t(key)
      }
      return out
    }
    return {
      lang,
      t,
      error: (e) => {
        const key = e.localeKey
        if (!bundle.hasMessage(key) && !fallback.hasMessage(key)) return t('error-unexpected', { code: e.code })
        const reason = e.issue === undefined ? undefined : zodReason(e.issue, lang, e.params.reason)
        return t(key, reason === undefined ? e.params : { ...e.params, reason })
      }
    }
  }
}

/** Parameters that may carry a status code, and the family of words for them. */
const CODE_PARAMS: Readonly<Record<string, string>> = { status: 'status', from: 'status', to: 'status', outcome: 'status', kind: 'kind' }

/** `status` + `awaiting_approval` → `code-status-awaiting-approval`; undefined for anything but a code. */
function codeWordKey (param: string, value: string): string | undefined {
  const family = Object.hasOwn(CODE_PARAMS, param) ? CODE_PARAMS[param] : undefined
  if (family === undefined || !/^[a-z][a-z_]*$/.test(value)) return undefined
  return `code-${family}-${value.replace(/_/g, '-')}`
}

/**
 * Parameters as shown: names and typed values bounded, one line, isolated (`asName`); other
 * text with its controls made visible (`asText`). Our own sentences passed as parameters
 * (a directive's description, a status) hold no controls, so they pass unchanged.
 */
function shownParams (params: Params): Params {
  const out: Params = {}
  for (const [k, v] of Object.entries(params)) out[k] = typeof v !== 'string' ? v : NAME_PARAMS.has(k) ? asName(v) : asText(v)
  return out
}

/**
 * zod's own sentence for an issue in `lang` (zod ships the translations), when `english` is
 * zod's default English sentence for it: a schema's custom message stays as written.
 */
function zodReason (issue: unknown, lang: string, english: string | number | undefined): string | undefined {
  const locale = (z.locales as Record<string, (() => { localeError?: (issue: never) => unknown }) | undefined>)[lang]
  if (locale === undefined || english === undefined) return undefined
  const say = (l: { localeError?: (issue: never) => unknown }): unknown => l.localeError?.(issue as never)
  if (say(z.locales.en()) !== english) return undefined
  const said = say(locale())
  return typeof said === 'string' ? said : undefined
}

export { errorLocaleKey }
