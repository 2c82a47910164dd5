/**
 * A stranger floods the group with commands. Every reply in a group shares Telegram's per-chat
 * rate limit, so unanswered floods used to push a member's `/help` far back. Now a stranger is
 * answered a few times, told once to slow down, and then ignored; the member is answered, and so
 * are announcements. (Counts, not clocks: the budget refills in an hour here, so nothing depends
 * on how fast this machine is.)
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import type { Translator } from '../../src/shared/i18n.ts'
import { DEFAULT_REPLY_BUDGETS } from '../../src/bot/core/index.ts'
import type { TgChat, TgUser } from './harness.ts'
import { startTelegramStorm, ADA, YARA, GROUP_ID, type TelegramStorm } from './setup.ts'

const MALLORY: TgUser = { id: 666, first_name: 'Mallory', username: 'mallory', language_code: 'en' }
const HOUR = 3_600_000
const BUDGETS = {
  member: DEFAULT_REPLY_BUDGETS.member,
  stranger: { ...DEFAULT_REPLY_BUDGETS.stranger, refillMs: HOUR },
  strangersPerRoom: { ...DEFAULT_REPLY_BUDGETS.strangersPerRoom, refillMs: HOUR }
}

let s: TelegramStorm
let en: Translator
let group: TgChat

before(async () => {
  s = await startTelegramStorm({ replyBudgets: BUDGETS })
  en = s.demo.locales.translator('en')
  group = s.h.group(GROUP_ID, 'Storm friends')
  s.h.proxy.setMember(GROUP_ID, MALLORY.id, 'member')
  await s.h.ask(ADA, group, '/init')
  await s.h.ask(YARA, group, '/connect')
})

after(async () => { await s?.stop() })

test('a stranger sends 30 commands at once: a member\'s /help is still answered, the stranger gets a few answers and one notice', async () => {
  const h = s.h
  const flood: number[] = []
  for (let i = 0; i < 30; i++) flood.push(await h.send(MALLORY, group, i % 2 === 0 ? '/getinfo' : '/help'))
  const help = await h.ask(YARA, group, '/help')
  assert.ok(help.text.startsWith(en.t('help-title')), 'the member is answered')

  // the group's updates are handled in order: by the member's answer, every flood command was seen
  const answers = h.messages(GROUP_ID).filter(m => m.replyTo !== undefined && flood.includes(m.replyTo))
  const notices = answers.filter(m => m.text === en.t('chat-slow-down'))
  assert.equal(answers.length, BUDGETS.stranger.burst + 1, 'the budget, then one notice; the rest dropped')
  assert.equal(notices.length, 1)
  assert.equal(notices[0]!.replyTo, flood[BUDGETS.stranger.burst], 'the notice answers the first command past the budget')
  const sends = h.proxy.callsOf('sendMessage')
  const helpAt = sends.findIndex(c => c.payload.text === help.text && (c.payload.reply_parameters as { message_id?: number } | undefined)?.message_id !== undefined && !flood.includes(Number((c.payload.reply_parameters as { message_id: number }).message_id)))
  const floodBefore = sends.slice(0, helpAt).filter(c => flood.includes(Number((c.payload.reply_parameters as { message_id?: number } | undefined)?.message_id)))
  assert.ok(floodBefore.length <= BUDGETS.stranger.burst + 1, 'the member waited behind at most the stranger\'s budget and the notice')

  // the stranger stays ignored; the member keeps being answered, and so do announcements
  const more = await h.send(MALLORY, group, '/help')
  const members = await h.ask(YARA, group, '/members')
  assert.match(members.text, /@yara/)
  assert.equal(h.messages(GROUP_ID).filter(m => m.replyTo === more).length, 0)
  await h.ask(ADA, group, '/connect')
  await h.waitFor(() => h.messages(GROUP_ID).find(m => m.text.includes(en.t('announce-member-joined', { name: '@ada', group: s.demo.manager.manager.state.group }))), 'the announcement of Ada joining')
})
