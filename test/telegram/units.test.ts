/**
 * The Telegram front end's small parts: the admin cache's expiry, the telegram configuration
 * section and its environment, splitting long replies, reading command words.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Locales } from '../../src/shared/i18n.ts'
import { TelegramHarness } from './harness.ts'
import { ManualClock } from '../../src/shared/clock.ts'
import { StormError } from '../../src/shared/errors.ts'
import { TelegramBot, splitText, commandName } from '../../src/bot/telegram/index.ts'
import { AdminCache } from '../../src/bot/core/index.ts'
import { parseManagerConfig, telegramSettings } from '../../src/app/manager_config.ts'
import { asShown } from '../../src/bot/telegram/send_reply.ts'

test('admin rights are asked once, remembered for five minutes, then asked again', async () => {
  const clock = new ManualClock()
  const asked: string[] = []
  const statuses: Record<string, string> = { '1': 'creator', '2': 'administrator', '3': 'member' }
  const cache = new AdminCache(async (chat, user) => { asked.push(`${chat}:${user}`); const status = statuses[user] ?? 'left'; return status === 'creator' || status === 'administrator' }, clock)
  assert.deepEqual([await cache.isAdmin('-5', '1'), await cache.isAdmin('-5', '2'), await cache.isAdmin('-5', '3'), await cache.isAdmin('-5', '4')], [true, true, false, false])
  await cache.isAdmin('-5', '1')
  await cache.isAdmin('-5', '3')
  assert.equal(asked.length, 4)
  statuses['1'] = 'member'
  clock.advance(5 * 60_000 - 1)
  assert.equal(await cache.isAdmin('-5', '1'), true)
  clock.advance(1)
  assert.equal(await cache.isAdmin('-5', '1'), false)
  assert.equal(asked.length, 5)
})

test('a failed look-up is no admin, and is asked again next time', async () => {
  let calls = 0
  const cache = new AdminCache(async () => { calls++; throw new Error('400: Bad Request: user not found') }, new ManualClock())
  assert.equal(await cache.isAdmin('-5', '1'), false)
  assert.equal(await cache.isAdmin('-5', '1'), false)
  assert.equal(calls, 2)
})

const TELEGRAM_CASES: Array<{ description: string, config: unknown, env: Record<string, string>, expected?: unknown, error?: string, code?: string }> = [
  { description: 'no token anywhere: no bot', config: {}, env: {}, expected: null },
  {
    description: 'token from the environment, defaults for the rest',
    config: {},
    env: { TELEGRAM_BOT_TOKEN: '123:abc' },
    expected: { token: '123:abc', demo: false, batchMs: 700, lang: 'en' }
  },
  {
    description: 'the environment wins over the file; chat ids may be strings',
    config: { lang: 'es', telegram: { token: 'file', chatId: '-100123', apiRoot: 'http://localhost:8081' } },
    env: { TELEGRAM_BOT_TOKEN: 'env', TELEGRAM_API_ROOT: 'http://127.0.0.1:9000', STORM_DEMO: '1' },
    expected: { token: 'env', chatId: -100123, apiRoot: 'http://127.0.0.1:9000', demo: true, batchMs: 700, lang: 'es' }
  },
  {
    description: 'a webhook gets its defaults',
    config: { telegram: { token: 't', lang: 'es', webhook: { url: 'https://storm.example.org/tg' } } },
    env: {},
    expected: { token: 't', lang: 'es', demo: false, batchMs: 700, webhook: { url: 'https://storm.example.org/tg', host: '127.0.0.1', port: 8443 } }
  },
  { description: 'a bad chat id in the environment names its key', config: {}, env: { TELEGRAM_BOT_TOKEN: 't', TELEGRAM_CHAT_ID: 'mygroup' }, error: 'telegram.chatId' },
  { description: 'an unknown key is refused', config: { telegram: { token: 't', chat: 1 } }, env: {}, error: 'telegram.chat', code: 'CONFIG_UNKNOWN_KEY' },
  { description: 'a bad secret token is refused', config: { telegram: { token: 't', webhook: { url: 'https://x.org/', secretToken: 'has spaces' } } }, env: {}, error: 'telegram.webhook.secretToken' }
]

for (const c of TELEGRAM_CASES) {
  test(`telegram config: ${c.description}`, () => {
    const run = (): unknown => telegramSettings(parseManagerConfig(c.config), c.env)
    if (c.error === undefined) {
      assert.deepEqual(run(), c.expected)
    } else {
      assert.throws(run, (e: unknown) => e instanceof StormError && e.code === (c.code ?? 'CONFIG_INVALID') && e.params.key === c.error)
    }
  })
}

test('long replies are split at line breaks, each piece within the limit', () => {
  assert.deepEqual(splitText('short'), ['short'])
  assert.deepEqual(splitText('aaaa\nbbbb\ncc', 9), ['aaaa\nbbbb', 'cc'])
  assert.deepEqual(splitText('abcdefghij\nk', 4), ['abcd', 'efgh', 'ij\nk'])
  const long = Array.from({ length: 500 }, (_, i) => `line ${i} ${'x'.repeat(20)}`).join('\n')
  const pieces = splitText(long)
  assert.ok(pieces.length > 1 && pieces.every(p => p.length <= 4096))
  assert.equal(pieces.join('\n'), long)
})

test('backticks are not shown: a lone command stays tappable, other spans become code to copy', () => {
  assert.deepEqual(asShown('To see your status, run `/getinfo`.'), { text: 'To see your status, run /getinfo.', entities: [] })
  assert.deepEqual(asShown('To cancel, run `/cancel jX78nVt`. Or `/getinfo`.'), {
    text: 'To cancel, run /cancel jX78nVt. Or /getinfo.', entities: [{ type: 'code', offset: 15, length: 15 }]
  })
  // offsets count UTF-16 code units, as Telegram does: the emoji before counts 2
  assert.deepEqual(asShown('⚡️🌩 run `stormd pair`'), { text: '⚡️🌩 run stormd pair', entities: [{ type: 'code', offset: 9, length: 11 }] })
  // nothing to unwrap: an unpaired or empty backtick stays as it is
  assert.deepEqual(asShown('a ` b'), { text: 'a ` b', entities: [] })
  assert.deepEqual(asShown('a `` b'), { text: 'a  b', entities: [] })
})

test('command words: ours, addressed to us, or not for us', () => {
  const cases: Array<[string, string | null]> = [
    ['/help', 'help'], ['/Help@TestNameBot', 'help'], ['/help@testnamebot', 'help'], ['/help@OtherBot', null],
    ['hello', null], ['/', null], ['/addfunds', 'addfunds'], ['/añadir', 'añadir']
  ]
  for (const [head, expected] of cases) assert.equal(commandName(head, 'TestNameBot'), expected, head)
})

test('a refused token and an unreachable API are clear errors', async () => {
  const h = await TelegramHarness.start()
  const dataDir = await mkdtemp(join(tmpdir(), 'storm-tg-unit-'))
  const base = { manager: null as never, locales: Locales.load(), pairingInvite: (c: string) => c, token: 'bad', lang: 'en', dataDir }
  try {
    h.proxy.failNext('getMe', { error_code: 401, description: 'Unauthorized' })
    await assert.rejects(TelegramBot.start({ ...base, apiRoot: h.apiRoot }), (e: unknown) => e instanceof StormError && e.code === 'TELEGRAM_TOKEN_REFUSED')
    const closed = h.apiRoot
    await h.stop()
    await assert.rejects(TelegramBot.start({ ...base, apiRoot: closed }), (e: unknown) => e instanceof StormError && e.code === 'TELEGRAM_UNREACHABLE' && e.params.apiRoot === closed)
  } finally {
    await rm(dataDir, { recursive: true, force: true })
  }
})
