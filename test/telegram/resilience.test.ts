/**
 * The bot in weather: Telegram says "too many requests", the bot restarts in the middle of a
 * directive's life, the group becomes a supergroup with a new id, and updates come by webhook.
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { TelegramBot } from '../../src/bot/telegram/index.ts'
import type { Translator } from '../../src/shared/i18n.ts'
import type { TgChat } from './harness.ts'
import { startTelegramStorm, ADA, YARA, GROUP_ID, type TelegramStorm } from './setup.ts'

let s: TelegramStorm
let en: Translator
let group: TgChat

before(async () => {
  s = await startTelegramStorm()
  en = s.demo.locales.translator('en')
  group = s.h.group(GROUP_ID, 'Storm friends')
  await s.h.ask(ADA, group, '/init')
})

after(async () => { await s?.stop() })

test('a 429 is waited out and retried (auto-retry)', async () => {
  const h = s.h
  h.proxy.failNext('sendMessage', { error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } })
  const reply = await h.ask(YARA, group, '/help')
  assert.ok(reply.text.startsWith(en.t('help-title')))
  const tries = h.proxy.callsOf('sendMessage').filter(c => c.payload.text === reply.text)
  assert.equal(tries.length, 2)
})

test('a 502 from Telegram is retried after a pause, and the member gets the reply once', async () => {
  const h = s.h
  const callsBefore = h.proxy.callsOf('sendMessage').length
  const shownBefore = h.messages(group.id).length
  h.proxy.failNext('sendMessage', { error_code: 502, description: 'Bad Gateway' })
  const reply = await h.ask(YARA, group, '/help')
  assert.ok(reply.text.startsWith(en.t('help-title')))
  const tries = h.proxy.callsOf('sendMessage').slice(callsBefore).filter(c => c.payload.text === reply.text)
  assert.equal(tries.length, 2, 'the failed send and its retry')
  assert.equal(h.messages(group.id).slice(shownBefore).filter(m => m.text === reply.text).length, 1, 'shown once in the chat')
})

test('after a restart the bot still serves its group and edits the messages it sent before', async () => {
  const h = s.h
  const manager = s.demo.manager.manager
  await h.ask(YARA, group, '/connect')
  const yara = { kind: 'chat' as const, platform: 'telegram', userId: String(YARA.id), name: '@yara', isAdmin: false }
  const code = await manager.pair(yara)
  assert.ok(code.ok)
  await s.demo.you.runtime.pair(s.demo.manager.invite(code.value.code))
  await h.waitFor(() => manager.observations.get(code.value.member.id).report !== undefined, "Yara's first report")
  await h.ask(YARA, group, '/addfunds 1m')
  const ids = Object.values(manager.state.allocations)[0]!.directives
  const announced = await h.waitFor(() => h.messages(GROUP_ID).find(m => m.buttons.length === ids.length), 'the announcement')

  await s.bot.stop()
  s.bot = await TelegramBot.start(s.options)
  assert.equal(s.bot.chatId, GROUP_ID)
  const count = h.messages(GROUP_ID).length
  const answer = await h.tap(YARA, group, announced.id, `reject:${ids[0]!}`)
  assert.equal(answer.alert, false)
  const edited = await h.waitFor(() => { const m = h.message(GROUP_ID, announced.id); return m.buttons.length === ids.length - 1 && m }, 'the edit of the old message')
  assert.ok(edited.text.includes(en.t('status-rejected', { name: '@yara' })))
  // the one new message is the request's, saying it was declined; the directive's was edited
  const allocation = Object.values(manager.state.allocations)[0]!
  const request = en.t('announce-allocation-add', { name: '@yara', id: allocation.id, amount: 1_000_000, status: en.t('allocation-status-declined', { name: '@yara' }) })
  await h.waitFor(() => h.messages(GROUP_ID).length > count, 'the request\'s announcement')
  assert.deepEqual(h.messages(GROUP_ID).slice(count).map(m => m.text), [request], 'no new message for the directive: the old one was edited')
})

test('a command that breaks is answered "something went wrong" with a code, and the bot keeps serving', async () => {
  const h = s.h
  const manager = s.demo.manager.manager
  const real = manager.getInfo.bind(manager)
  manager.getInfo = () => { throw new Error('a bug in getinfo') }
  try {
    const broken = await h.ask(YARA, group, '/getinfo')
    assert.equal(broken.text, en.t('error-unexpected', { code: 'COMMAND_FAILED' }))
  } finally {
    manager.getInfo = real
  }
  const help = await h.ask(YARA, group, '/help')
  assert.ok(help.text.startsWith(en.t('help-title')))
})

test('when the group becomes a supergroup, the bot follows it to its new id', async () => {
  const h = s.h
  const newId = -1009999999999
  h.proxy.setMember(newId, ADA.id, 'creator')
  await h.send(ADA, group, '', { migrate_to_chat_id: newId, text: undefined })
  await h.waitFor(() => s.bot.chatId === newId, 'the bot to follow the migration')
  const moved = h.group(newId, 'Storm friends (supergroup)')
  assert.ok((await h.ask(YARA, moved, '/help')).text.startsWith(en.t('help-title')))
})

test('by webhook: updates arrive with the secret token; posts without it are refused', async () => {
  const h = s.h
  await s.bot.stop()
  const port = await freePort()
  s.bot = await TelegramBot.start({ ...s.options, webhook: { url: `http://127.0.0.1:${port}/`, host: '127.0.0.1', port, secretToken: 'Storm_s3cret' } })
  assert.deepEqual(h.proxy.webhook, { url: `http://127.0.0.1:${port}/`, secret: 'Storm_s3cret' })
  const moved = h.group(s.bot.chatId!, 'Storm friends (supergroup)')
  assert.ok((await h.ask(YARA, moved, '/help')).text.startsWith(en.t('help-title')))
  const forged = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ update_id: 1 }) })
  assert.equal(forged.status, 401)
})

async function freePort (): Promise<number> {
  const server = createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>(resolve => server.close(() => resolve()))
  return port
}
