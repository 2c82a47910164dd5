/**
 * A private Storm on Telegram: a request to join is announced with [Admit] [Decline], which only
 * the group's admins may use; the announcement is edited in place with the outcome.
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { localTestnet, type LocalTestnet } from '../../src/protocol/index.ts'
import { startManagerRuntime, type ManagerRuntime } from '../../src/app/manager_runtime.ts'
import { defaultRules } from '../../src/manager/rules.ts'
import { Locales, type Translator } from '../../src/shared/i18n.ts'
import { StormError } from '../../src/shared/errors.ts'
import { TelegramBot } from '../../src/bot/telegram/index.ts'
import { TelegramHarness, TOKEN, type TgChat, type TgUser } from './harness.ts'
import { ADA, YARA, BEA, GROUP_ID, FAST_THROTTLE } from './setup.ts'
import { shown } from './shown.ts'

const CY: TgUser = { id: 103, first_name: 'Cy', username: 'cy', language_code: 'en' }

let h: TelegramHarness
let testnet: LocalTestnet
let runtime: ManagerRuntime
let bot: TelegramBot
let dir: string
let group: TgChat
let en: Translator
let es: Translator

before(async () => {
  h = await TelegramHarness.start()
  h.proxy.setMember(GROUP_ID, ADA.id, 'administrator')
  dir = await mkdtemp(join(tmpdir(), 'storm-membership-'))
  testnet = await localTestnet()
  const locales = Locales.load()
  en = locales.translator('en')
  es = locales.translator('es')
  runtime = await startManagerRuntime({ dataDir: join(dir, 'manager'), rules: defaultRules({ group: 'Friends', visibility: 'private' }), locales, network: testnet.network })
  bot = await TelegramBot.start({
    manager: runtime.manager, locales, pairingInvite: runtime.invite, token: TOKEN, apiRoot: h.apiRoot,
    chatId: GROUP_ID, lang: 'es', dataDir: dir, throttle: FAST_THROTTLE, batchMs: 100
  })
  group = h.group(GROUP_ID, 'Friends')
})

after(async () => {
  await bot?.stop()
  await runtime?.close()
  await testnet?.destroy()
  await h?.stop()
  await rm(dir, { recursive: true, force: true })
})

test('a request is announced in the group language, with buttons only admins may use', async () => {
  assert.equal((await h.ask(BEA, group, '/connect')).text, shown(es.t('connect-requested', { group: 'Friends', p: '/' })))
  const bea = Object.values(runtime.manager.state.members).find(m => m.chat.userId === String(BEA.id))!
  const announced = await h.waitFor(() => h.messages(GROUP_ID).find(m => m.text === es.t('announce-member-requested', { name: 'Bea', group: 'Friends' })), 'the request')
  assert.deepEqual(announced.buttons, [[{ text: es.t('button-admit'), data: `admit:${bea.id}` }, { text: es.t('button-decline'), data: `decline:${bea.id}` }]])

  const refused = await h.tap(YARA, group, announced.id, `admit:${bea.id}`)
  assert.deepEqual(refused, { id: refused.id, text: en.t('error-not-admin'), alert: true })
  assert.equal(runtime.manager.state.members[bea.id]?.status, 'requested')

  const admitted = await h.tap(ADA, group, announced.id, `admit:${bea.id}`)
  assert.deepEqual(admitted, { id: admitted.id, text: en.t('admit-done', { name: 'Bea' }), alert: false })
  assert.equal(runtime.manager.state.members[bea.id]?.status, 'active')
  const edited = await h.waitFor(() => { const m = h.message(GROUP_ID, announced.id); return m.text === es.t('announce-member-joined', { name: 'Bea', group: 'Friends' }) && m }, 'the edit')
  assert.deepEqual(edited.buttons, [])
  const again = await h.tap(ADA, group, announced.id, `decline:${bea.id}`)
  assert.deepEqual(again, { id: again.id, text: en.error(new StormError('NO_PENDING_REQUEST', { name: 'Bea' })), alert: true })
})

test('an admin declines with the button, or admits with a command', async () => {
  await h.ask(CY, group, '/connect')
  const cy = Object.values(runtime.manager.state.members).find(m => m.chat.userId === String(CY.id))!
  const announced = await h.waitFor(() => h.messages(GROUP_ID).find(m => m.buttons.flat().some(b => b.data === `decline:${cy.id}`)), 'the request')
  const declined = await h.tap(ADA, group, announced.id, `decline:${cy.id}`)
  assert.deepEqual(declined, { id: declined.id, text: en.t('decline-done', { name: '@cy' }), alert: false })
  assert.equal(runtime.manager.state.members[cy.id]?.status, 'left')
  await h.waitFor(() => { const m = h.message(GROUP_ID, announced.id); return m.text === es.t('decline-done', { name: '@cy' }) && m.buttons.length === 0 }, 'the edit')

  assert.equal((await h.ask(YARA, group, '/connect')).text, shown(en.t('connect-requested', { group: 'Friends', p: '/' })))
  assert.equal((await h.ask(YARA, group, '/admit @yara')).text, en.t('error-not-admin'))
  assert.equal((await h.ask(ADA, h.privateOf(ADA), '/admit @yara')).text, en.t('admit-done', { name: '@yara' }))
})

test('an admin declines with a typed /decline: the request\'s announcement loses its buttons too', async () => {
  const DEE: TgUser = { id: 104, first_name: 'Dee', username: 'dee', language_code: 'en' }
  await h.ask(DEE, group, '/connect')
  const dee = Object.values(runtime.manager.state.members).find(m => m.chat.userId === String(DEE.id))!
  const announced = await h.waitFor(() => h.messages(GROUP_ID).find(m => m.buttons.flat().some(b => b.data === `decline:${dee.id}`)), 'the request')
  assert.equal((await h.ask(ADA, group, '/decline @dee')).text, en.t('decline-done', { name: '@dee' }))
  assert.equal(runtime.manager.state.members[dee.id]?.status, 'left')
  const edited = await h.waitFor(() => { const m = h.message(GROUP_ID, announced.id); return m.buttons.length === 0 && m }, 'the announcement without its buttons')
  // the request may share its message with an announcement batched with it (an earlier join)
  assert.ok(edited.text.endsWith(es.t('decline-done', { name: '@dee' })), edited.text)
  assert.ok(!edited.text.includes(announced.text.split('\n\n').find(part => part.includes('@dee')) ?? '@dee asks'), 'the request itself is gone')
  // a tap on the old button now is answered, and changes nothing
  const late = await h.tap(ADA, group, announced.id, `decline:${dee.id}`)
  assert.equal(late.alert, true)
})
