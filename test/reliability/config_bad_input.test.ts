/**
 * Bad input for every configuration key, stormd.conf and storm.json alike: each key is given a
 * table of bad values; each is either a value the key really accepts or refused with
 * CONFIG_INVALID naming exactly that key — never another error, never a crash — and the sentence
 * the owner reads is short and in their language, whatever they typed (100 KB, escape codes).
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { AgentConfigSchema, parseAgentConfig, parseConfText } from '../../src/agent/config.ts'
import { ManagerConfigSchema, parseManagerConfig, TelegramConfigSchema } from '../../src/app/manager_config.ts'
import { StormRulesSchema } from '../../src/manager/rules.ts'
import { StormError } from '../../src/shared/errors.ts'
import { LOCALES } from '../support/manager_fixture.ts'

const HUGE = 'x'.repeat(100_000)
const en = LOCALES.translator('en')
const es = LOCALES.translator('es')

function refusal (fn: () => unknown): StormError | null {
  try {
    fn()
    return null
  } catch (e) {
    if (!(e instanceof StormError)) throw e
    return e
  }
}

function assertSaid (e: StormError, what: string): void {
  for (const t of [en, es]) {
    const said = t.error(e)
    assert.ok(said.length < 1_500, `${what}: ${said.length} characters in ${t.lang}`)
     
    assert.doesNotMatch(said, /[\u0000-\u0008\u000B-\u001F]/, what)
    assert.doesNotMatch(said, /^error-/, `${what}: a sentence, not a key`)
  }
}

/** Keys that go together: a good value for one alone is refused naming the other. */
const PARTNERS: Readonly<Record<string, string>> = { voteBaseFee: 'voteFeeRate', voteFeeRate: 'voteBaseFee' }

test('stormd.conf: every key, a table of bad values — accepted as meant or refused naming that key', (t) => {
  const VALUES = ['', ' ', '-1', '0', '1.5', 'abc', 'true', 'yes', '1e400', '99999999999999999999', '0x10', HUGE, '\u001b[2J', 'open_channel,teleport', '__proto__']
  let refused = 0
  const keys = Object.keys(AgentConfigSchema.shape)
  for (const key of keys) {
    let refusedHere = 0
    for (const value of VALUES) {
      const what = `${key}=${JSON.stringify(value.slice(0, 20))}`
      const e = refusal(() => parseAgentConfig({ dataDir: '/tmp/storm-config-table', ...parseConfText(`${key}=${value}\n`) }))
      if (e === null) continue
      assert.equal(e.code, 'CONFIG_INVALID', what)
      if (e.params.key !== key && Object.hasOwn(PARTNERS, key) && e.params.key === PARTNERS[key]) continue // a good value, alone
      assert.equal(e.params.key, key, what)
      assertSaid(e, what)
      refusedHere++
    }
    assert.ok(refusedHere > 0, `${key}: some value is refused`)
    refused += refusedHere
  }
  t.diagnostic(`${refused} bad values refused over ${keys.length} stormd.conf keys`)
})

/** Every key path of storm.json, nested sections included. */
function managerKeys (): string[] {
  const rules = Object.keys(StormRulesSchema.shape).map(k => `rules.${k}`)
  const telegram = Object.keys(TelegramConfigSchema.shape).map(k => `telegram.${k}`)
  const webhook = ['url', 'host', 'port', 'secretToken'].map(k => `telegram.webhook.${k}`)
  return [...Object.keys(ManagerConfigSchema.shape), ...rules, ...telegram, ...webhook, 'network.bootstrap']
}

function withValue (path: string, value: unknown): Record<string, unknown> {
  const parts = path.split('.')
  const base: Record<string, unknown> = path.startsWith('telegram.webhook.') ? { telegram: { webhook: { url: 'https://example.invalid/hook' } } } : {}
  let node = base
  for (const p of parts.slice(0, -1)) node = (node[p] ??= {}) as Record<string, unknown>
  node[parts.at(-1)!] = value
  return base
}

test('storm.json: every key, nested ones too, a table of bad values — accepted as meant or refused naming that key', (t) => {
  const VALUES: unknown[] = [null, '', -1, 0, 1.5, 'abc', true, [], {}, 1e21, HUGE, '\u001b[2J', [{}], { host: 1 }]
  let refused = 0
  const keys = managerKeys()
  const acceptsAnyText: string[] = []
  for (const key of keys) {
    let refusedHere = 0
    for (const value of VALUES) {
      const what = `${key} = ${JSON.stringify(value)?.slice(0, 20)}`
      const e = refusal(() => parseManagerConfig(withValue(key, value)))
      if (e === null) continue
      assert.ok(e.code === 'CONFIG_INVALID' || e.code === 'CONFIG_UNKNOWN_KEY', `${what}: ${e.code}`)
      assert.ok(String(e.params.key) === key || String(e.params.key).startsWith(key + '.'), `${what}: names ${String(e.params.key)}`)
      assertSaid(e, what)
      refusedHere++
    }
    assert.ok(refusedHere > 0, `${key}: some value is refused`)
    if (refusal(() => parseManagerConfig(withValue(key, HUGE))) === null) acceptsAnyText.push(key)
    refused += refusedHere
  }
  assert.deepEqual(acceptsAnyText, [], 'no key takes 100 KB of anything')
  t.diagnostic(`${refused} bad values refused over ${keys.length} storm.json keys`)
})
