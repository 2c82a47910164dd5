/**
 * Untrusted text is bounded, isolated and shown as typed: a 100 KB argument is not echoed back, a
 * control character is shown, not obeyed, a right-to-left override cannot reverse the rest of an
 * announcement, and backticks in a name do not become code.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { PassThrough, Readable } from 'node:stream'
import { ManagerFixture, LOCALES } from '../support/manager_fixture.ts'
import { announcementFor } from '../../src/bot/announcements.ts'
import { asShown } from '../../src/bot/telegram/send_reply.ts'
import { ConsoleChat } from '../../src/bot/console/console_chat.ts'
import { actorOf } from '../../src/bot/telegram/bot_env.ts'
import { asName, asText, bound, isolate, MAX_NAME_SHOWN } from '../../src/shared/untrusted_text.ts'
import type { StormEvent } from '../../src/manager/context.ts'
import { say } from './say.ts'

const HUGE = 'A'.repeat(100_000)
const en = LOCALES.translator('en')

test('untrusted text: a table of what is typed and what is shown', () => {
  const cases: Array<{ description: string, typed: string, name: string, text: string }> = [
    { description: 'plain text is left alone', typed: 'Bea Smith', name: 'Bea Smith', text: 'Bea Smith' },
    { description: 'a terminal escape is shown, not obeyed', typed: 'x\u001b[2Jy', name: 'x␛[2Jy', text: 'x␛[2Jy' },
    { description: 'a carriage return cannot overwrite the line', typed: 'ok\rFAKE', name: 'ok␍FAKE', text: 'ok␍FAKE' },
    { description: 'a newline stays in text, not in a name', typed: 'a\nb', name: 'a␊b', text: 'a\nb' },
    { description: 'C1 controls and DEL', typed: 'a\u0085b\u007f', name: 'a\uFFFDb␡', text: 'a\uFFFDb␡' },
    { description: 'a right-to-left override is removed', typed: '\u202Eevil', name: 'evil', text: 'evil' },
    { description: 'isolates and embeddings are removed', typed: '\u2066a\u202Ab\u2069', name: 'ab', text: 'ab' },
    { description: 'backticks in a name cannot open code', typed: 'a`b`', name: 'aˋbˋ', text: 'a`b`' },
    { description: 'Hebrew is isolated', typed: 'שלום', name: '\u2068שלום\u2069', text: '\u2068שלום\u2069' },
    { description: 'Arabic is isolated', typed: 'سلمى 2', name: '\u2068سلمى 2\u2069', text: '\u2068سلمى 2\u2069' },
    { description: 'a line separator in a name', typed: 'a\u2028b', name: 'a\uFFFDb', text: 'a\u2028b' }
  ]
  for (const c of cases) {
    assert.equal(asName(c.typed), c.name, c.description + ' (name)')
    assert.equal(asText(c.typed), c.text, c.description + ' (text)')
  }
  assert.equal(Array.from(asName(HUGE)).length, MAX_NAME_SHOWN)
  assert.ok(asName(HUGE).endsWith('…'))
  assert.equal(bound('😀'.repeat(10), 5), '😀😀😀😀…', 'cut between code points, never inside a surrogate pair')
  assert.equal(isolate('abc'), 'abc')
})

test('a stranger types /connect with a 100 KB group name: the answer names at most 80 characters of it', async () => {
  const f = await ManagerFixture.start()
  const reply = await say(f, f.chatActor('stranger'), `/connect ${HUGE}`)
  assert.equal(reply.ok, false)
  assert.ok(reply.text!.length < 400, `answered in ${reply.text!.length} characters`)
  assert.ok(reply.text!.includes('A'.repeat(MAX_NAME_SHOWN - 1) + '…'))
  assert.deepEqual(Object.keys(f.stored().members), [], 'nothing changed')
})

test('an admin types /admit with 100 KB: the answer is short', async () => {
  const f = await ManagerFixture.start({ visibility: 'private' })
  const admin = f.chatActor('ada', true)
  await f.manager.connect(admin)
  for (const text of [`/admit ${HUGE}`, `/admit @${HUGE}`, `/decline ${HUGE}`]) {
    const reply = await say(f, admin, text)
    assert.equal(reply.ok, false)
    assert.ok(reply.text!.length < 400, `${text.slice(0, 12)}… answered in ${reply.text!.length} characters`)
  }
})

test('a user types a 100 KB command name or argument in Spanish: the answer stays short', async () => {
  const f = await ManagerFixture.start()
  const alice = await f.joinAndPair('alice')
  for (const text of [`/${'x'.repeat(100_000)}`, `/addfunds ${HUGE}`, `/lang ${HUGE}`, `/cancel ${HUGE}`]) {
    const reply = await say(f, alice.actor, text, 'es')
    assert.equal(reply.ok, false)
    assert.ok(reply.text!.length < 400, `${text.slice(0, 12)}… answered in ${reply.text!.length} characters`)
  }
})

/** The announcements a chat would show for what the manager does next. */
function announcements (f: ManagerFixture): string[] {
  const out: string[] = []
  f.manager.on('event', (e: StormEvent) => { const a = announcementFor(e, f.manager); if (a !== null) out.push(a.render(en).text) })
  return out
}

test('a user whose name holds a right-to-left override joins: the announcement reads in order, without the override', async () => {
  const f = await ManagerFixture.start()
  const shown = announcements(f)
  await f.manager.connect(actorOf({ id: 42, is_bot: false, first_name: 'Eve\u202E nioj ton did' }, false))
  assert.equal(shown.length, 1)
  assert.ok(!/[\u202A-\u202E\u2066\u2067]/.test(shown[0]!), JSON.stringify(shown[0]))
  assert.ok(shown[0]!.startsWith('Eve nioj ton did'), JSON.stringify(shown[0]))
})

test('a user named in Arabic joins: the name is isolated, so the sentence around it keeps its order', async () => {
  const f = await ManagerFixture.start()
  const shown = announcements(f)
  await f.manager.connect(actorOf({ id: 43, is_bot: false, first_name: 'سلمى' }, false))
  assert.equal(shown[0], en.t('announce-member-joined', { name: 'سلمى', group: 'Supercell' }))
  assert.ok(shown[0]!.startsWith('\u2068سلمى\u2069'))
})

test('a user named with backticks joins: Telegram shows the name as typed, with no code formatting', async () => {
  const f = await ManagerFixture.start()
  const shown = announcements(f)
  await f.manager.connect(actorOf({ id: 44, is_bot: false, first_name: '`/approve all`' }, false))
  const telegram = asShown(shown[0]!)
  assert.deepEqual(telegram.entities, [])
  assert.ok(telegram.text.includes('ˋ/approve allˋ'))
})

test('raw control characters never reach the console, from a name or from what was typed', async () => {
  const f = await ManagerFixture.start()
  const out = new PassThrough()
  let printed = ''
  out.on('data', (b: Buffer) => { printed += b.toString() })
  const chat = new ConsoleChat({
    manager: f.manager, locales: LOCALES, actor: f.chatActor('you', true), lang: 'en',
    input: Readable.from(['/connect \u001b[2J\u001b[31mred\u0007\n', '/admit \u001b]0;owned\u0007\n']),
    output: out, interactive: false, pairingInvite: c => c
  })
  const evil = actorOf({ id: 45, is_bot: false, first_name: 'x\u001b[2Ky\r\u0008' }, false)
  await chat.run()
  await f.manager.connect(evil)
  await f.manager.whenIdle()
  assert.ok(printed.length > 0)
   
  assert.doesNotMatch(printed, /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/, JSON.stringify(printed))
  assert.ok(printed.includes('␛[2J'), 'shown as typed')
})
