/**
 * Every language is complete: each key of English exists in every language with the same
 * placeholders, every error code the code can return has a sentence, and every command has its
 * usage, description and example.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { Locales, LOCALES_DIR } from '../../src/shared/i18n.ts'
import { errorLocaleKey } from '../../src/shared/errors.ts'
import { COMMANDS } from '../../src/bot/commands/registry.ts'
import { LIGHTNING_ERROR_CODES } from '../../src/agent/lightning_port.ts'

const locales = Locales.load()

/** `$name` placeholders of a key in one language, from the .ftl source. */
function placeholders (lang: string): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>()
  const dir = join(LOCALES_DIR, lang)
  for (const file of readdirSync(dir)) {
    let key: string | null = null
    for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
      const m = /^([a-z][a-z0-9-]*) =/.exec(line)
      if (m !== null) { key = m[1]!; out.set(key, new Set()) }
      if (key !== null) for (const v of line.matchAll(/\{\s*\$([a-zA-Z]+)/g)) out.get(key)!.add(v[1]!)
    }
  }
  return out
}

function sourceFiles (dir: string): string[] {
  return readdirSync(dir).flatMap(f => {
    const p = join(dir, f)
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : []
  })
}

test('at least two complete languages', () => {
  assert.ok(locales.languages.includes('en'))
  assert.ok(locales.languages.length >= 2)
})

test('every English key exists in every language, with the same placeholders, and no extra keys', () => {
  const en = placeholders('en')
  for (const lang of locales.languages.filter(l => l !== 'en')) {
    const other = placeholders(lang)
    const missing = [...en.keys()].filter(k => !other.has(k))
    const extra = [...other.keys()].filter(k => !en.has(k))
    assert.deepEqual(missing, [], `${lang} lacks keys`)
    assert.deepEqual(extra, [], `${lang} has keys English lacks`)
    for (const [key, vars] of en) {
      // a translation may drop a placeholder the sentence does not need, never invent one
      for (const v of other.get(key)!) assert.ok(vars.has(v) || v === 'p', `${lang}:${key} uses $${v} which English does not give`)
    }
  }
})

test('every error code the code can return has a sentence in every language', () => {
  const codes = new Set<string>(LIGHTNING_ERROR_CODES)
  for (const file of sourceFiles(join(LOCALES_DIR, '..', 'src'))) {
    const text = readFileSync(file, 'utf8')
    for (const m of text.matchAll(/(?:err|StormError)\(\s*'([A-Z][A-Z0-9_]+)'/g)) codes.add(m[1]!)
  }
  assert.ok(codes.size > 50, 'the scan found the codes')
  for (const lang of locales.languages) {
    const keys = new Set(locales.keys(lang))
    const missing = [...codes].filter(c => !keys.has(errorLocaleKey(c)))
    assert.deepEqual(missing, [], `${lang} has no sentence for these codes`)
  }
})

test('every command has a usage, a description and an example in every language', () => {
  for (const lang of locales.languages) {
    const keys = new Set(locales.keys(lang))
    for (const c of COMMANDS) {
      for (const part of ['usage', 'description', 'example']) assert.ok(keys.has(`cmd-${c.name}-${part}`), `${lang}: cmd-${c.name}-${part}`)
    }
  }
})

test('languages are chosen sensibly', () => {
  assert.equal(locales.negotiate('es-AR'), 'es')
  assert.equal(locales.negotiate('ES'), 'es')
  assert.equal(locales.negotiate('fr'), 'en')
  assert.equal(locales.negotiate(undefined), 'en')
  assert.equal(locales.negotiate('C.UTF-8'), 'en')
  assert.match(locales.translator('es').t('lang-set'), /español/)
})
