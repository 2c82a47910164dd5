/**
 * Every bad input gets a clear answer in the user's language and changes nothing: wrong amounts,
 * unknown commands and ids, commands for other bots or other groups, strangers, anonymous admins.
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { StormError } from '../../src/shared/errors.ts'
import type { Translator } from '../../src/shared/i18n.ts'
import type { TgChat, TgUser } from './harness.ts'
import { startTelegramStorm, YARA, BEA, GROUP_ID, type TelegramStorm } from './setup.ts'

const CY: TgUser = { id: 103, first_name: 'Cy', last_name: 'Young', language_code: 'de' }

let s: TelegramStorm
let group: TgChat

before(async () => {
  s = await startTelegramStorm({ chatId: GROUP_ID })
  group = s.h.group(GROUP_ID, 'Storm friends')
  const manager = s.demo.manager.manager
  // Yara is a paired member with a report; Bea a member without a node; Cy a stranger
  await s.h.ask(YARA, group, '/connect')
  await s.h.ask(BEA, group, '/connect')
  const yara = { kind: 'chat' as const, platform: 'telegram', userId: String(YARA.id), name: '@yara', isAdmin: false }
  const code = await manager.pair(yara)
  assert.ok(code.ok)
  await s.demo.you.runtime.pair(s.demo.manager.invite(code.value.code))
  await s.h.waitFor(() => manager.observations.get(code.value.member.id).report !== undefined, "Yara's first report")
})

after(async () => { await s?.stop() })

interface Case { who: TgUser, text: string, code: string, params?: Record<string, string | number> }

const CASES: Case[] = [
  { who: YARA, text: '/addfunds', code: 'MISSING_ARGUMENT', params: { command: 'addfunds' } },
  { who: YARA, text: '/addfunds abc', code: 'AMOUNT_NOT_A_NUMBER', params: { value: 'abc' } },
  { who: YARA, text: '/addfunds -5', code: 'AMOUNT_NOT_POSITIVE' },
  { who: YARA, text: '/addfunds 0', code: 'AMOUNT_NOT_POSITIVE' },
  { who: YARA, text: '/addfunds 1.5', code: 'AMOUNT_NOT_WHOLE', params: { value: '1.5' } },
  { who: YARA, text: '/addfunds 99999999999999999999', code: 'AMOUNT_TOO_LARGE' },
  { who: YARA, text: '/addfunds 1 2', code: 'TOO_MANY_ARGUMENTS', params: { command: 'addfunds' } },
  { who: YARA, text: '/addfunds@TestNameBot 90m', code: 'INSUFFICIENT_FUNDS', params: { amount: 90_000_000, available: 4_990_000 } },
  { who: YARA, text: '/removefunds 1000', code: 'NOTHING_ALLOCATED' },
  { who: YARA, text: '/frobnicate', code: 'UNKNOWN_COMMAND', params: { command: 'frobnicate' } },
  { who: YARA, text: '/approve Zz9xxxx', code: 'UNKNOWN_DIRECTIVE', params: { id: 'Zz9xxxx' } },
  { who: YARA, text: '/approve all', code: 'NOTHING_TO_APPROVE' },
  { who: YARA, text: '/reject nope!', code: 'BAD_ID', params: { value: 'nope!' } },
  { who: YARA, text: '/cancel abcdefg', code: 'UNKNOWN_REQUEST', params: { id: 'abcdefg' } },
  { who: YARA, text: '/vote fee 1000 100', code: 'FEE_RATE_AMBIGUOUS', params: { value: '100', ppm: '100ppm', fraction: '0.000100' } },
  { who: YARA, text: '/vote yes Zz9xxxx', code: 'UNKNOWN_PROPOSAL', params: { id: 'Zz9xxxx' } },
  { who: YARA, text: '/vote fee x 0.1', code: 'BAD_BASE_FEE', params: { value: 'x' } },
  { who: YARA, text: '/downtime 7h', code: 'DOWNTIME_TOO_LONG', params: { max: '6h' } },
  { who: YARA, text: '/downtime extend 1h', code: 'NO_DOWNTIME' },
  { who: YARA, text: '/downtime soon', code: 'BAD_DURATION', params: { value: 'soon' } },
  { who: YARA, text: '/lang xx', code: 'UNKNOWN_LANGUAGE', params: { lang: 'xx', available: 'en, es' } },
  { who: YARA, text: '/help nosuch', code: 'UNKNOWN_COMMAND', params: { command: 'nosuch' } },
  { who: YARA, text: '/connect', code: 'ALREADY_MEMBER', params: { group: 'Supercell' } },
  { who: YARA, text: '/connect Otherstorm', code: 'WRONG_GROUP', params: { group: 'Supercell', asked: 'Otherstorm' } },
  { who: YARA, text: '/admit @bea', code: 'NOT_ADMIN' },
  { who: BEA, text: '/addfunds 1000000', code: 'NOT_PAIRED' },
  { who: BEA, text: '/ADDFUNDS dos', code: 'AMOUNT_NOT_A_NUMBER', params: { value: 'dos' } },
  { who: CY, text: '/addfunds 1000000', code: 'NOT_A_MEMBER', params: { group: 'Supercell' } },
  { who: CY, text: '/directives', code: 'NOT_A_MEMBER', params: { group: 'Supercell' } },
  { who: CY, text: '/cancel abcdefg', code: 'NOT_A_MEMBER', params: { group: 'Supercell' } },
  { who: CY, text: '/init', code: 'NOT_ADMIN' },
  { who: YARA, text: '/init', code: 'NOT_ADMIN' }
]

test('each bad command in the group gets its answer, in the sender\'s language, and changes nothing', async () => {
  const manager = s.demo.manager.manager
  await manager.whenIdle()
  const before = JSON.stringify(manager.state)
  for (const c of CASES) {
    const t = translatorFor(c.who)
    assert.equal((await s.h.ask(c.who, group, c.text)).text, t.error(new StormError(c.code, c.params)), c.text)
  }
  await manager.whenIdle()
  assert.equal(JSON.stringify(manager.state), before)
})

test('chatter, commands for other bots and other groups', async () => {
  const h = s.h
  const en = translatorFor(YARA)
  const count = h.messages(GROUP_ID).length
  await h.send(YARA, group, 'hello everyone')
  await h.send(YARA, group, '/help@OtherBot')
  const help = await h.ask(YARA, group, '/help')
  assert.ok(help.text.startsWith(en.t('help-title')))
  // the plain message and the other bot's command got no answer: only /help did
  assert.equal(h.messages(GROUP_ID).length, count + 1)

  const other = h.group(-100555, 'Elsewhere')
  assert.equal((await h.ask(YARA, other, '/addfunds 1m')).text, en.t('telegram-wrong-group', { group: 'Supercell' }))
  const cy = translatorFor(CY)
  assert.equal((await h.ask(CY, h.privateOf(CY), 'what is this?')).text, cy.t('telegram-not-a-command'))
  assert.equal((await h.ask(CY, h.privateOf(CY), '/start')).text, cy.t('telegram-start', { name: 'Cy', group: 'Supercell' }))
  assert.equal((await h.ask(CY, h.privateOf(CY), '/init')).text, cy.t('telegram-wrong-group', { group: 'Supercell' }))
})

test('an anonymous admin is asked to show who they are', async () => {
  const anonymous: TgUser = { id: 1087968824, first_name: 'Group', username: 'GroupAnonymousBot' }
  const h = s.h
  const id = await h.send(anonymous, group, '/ban @yara', { sender_chat: { id: GROUP_ID, type: 'supergroup', title: 'Storm friends' } })
  const reply = await h.waitFor(() => h.messages(GROUP_ID).find(m => m.replyTo === id), 'the answer')
  assert.equal(reply.text, translatorFor(anonymous).t('telegram-anonymous-admin'))
})

test('an unknown button is refused with an alert', async () => {
  const h = s.h
  const help = await h.ask(YARA, group, '/help')
  const answer = await h.tap(YARA, group, help.id, 'explode:now')
  assert.deepEqual(answer, { id: answer.id, text: translatorFor(YARA).t('telegram-unknown-action'), alert: true })
})

function translatorFor (u: TgUser): Translator {
  return s.demo.locales.translator(u.language_code)
}
