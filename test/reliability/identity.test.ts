/**
 * Names that cannot be mistaken. A handle (`@yara`) is what the chat platform vouches for; a name
 * is whatever a user typed. A stranger who calls themselves `@yara` is neither shown nor found as
 * `@yara`, and a reference that fits two members is refused, not guessed.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ManagerFixture } from '../support/manager_fixture.ts'
import type { Actor } from '../../src/manager/members/find_member.ts'
import { actorOf } from '../../src/bot/telegram/bot_env.ts'
import { say, sentence } from './say.ts'

type ChatActor = Extract<Actor, { kind: 'chat' }>

/** A Telegram user as the bot sees them: no username, first name typed by the user. */
const impostor: ChatActor = actorOf({ id: 666, is_bot: false, first_name: '@yara' }, false)
/** The real @yara: Telegram vouches for the username. */
const yara: ChatActor = actorOf({ id: 101, is_bot: false, first_name: 'Yara', username: 'yara' }, false)

async function privateStorm (): Promise<{ f: ManagerFixture, admin: ChatActor }> {
  const f = await ManagerFixture.start({ visibility: 'private' })
  const admin = f.chatActor('ada', true)
  assert.ok((await f.manager.connect(admin)).ok)
  return { f, admin }
}

const memberOf = (f: ManagerFixture, a: ChatActor) => f.manager.memberOf(a)!

test('a user without a username whose first name is @yara asks to join: shown as “yara”, never “@yara”', async () => {
  const { f } = await privateStorm()
  assert.equal(impostor.handle, undefined, 'Telegram gives no username, so there is no handle')
  const events: string[] = []
  f.manager.on('event', e => { if (e.type === 'member_requested') events.push(e.member.chat.name) })
  assert.ok((await f.manager.connect(impostor)).ok)
  assert.deepEqual(events, ['yara'])
  assert.equal(f.stored().members[memberOf(f, impostor).id]!.chat.name, 'yara')
  assert.equal(f.stored().members[memberOf(f, impostor).id]!.chat.handle, undefined)
})

test('an admin types /admit @yara while only the impostor asked: refused as unknown, the impostor stays outside', async () => {
  const { f, admin } = await privateStorm()
  await f.manager.connect(impostor)
  const before = f.stored()
  const reply = await say(f, admin, '/admit @yara')
  assert.deepEqual(reply, { ok: false, text: sentence('UNKNOWN_MEMBER', { ref: '@yara' }) })
  assert.equal(memberOf(f, impostor).status, 'requested')
  assert.deepEqual(f.stored(), before, 'nothing changed')
})

test('an admin types /admit @yara while both asked: the real @yara is admitted, the impostor is not', async () => {
  const { f, admin } = await privateStorm()
  await f.manager.connect(impostor)
  await f.manager.connect(yara)
  const reply = await say(f, admin, '/admit @yara')
  assert.equal(reply.ok, true)
  assert.equal(memberOf(f, yara).status, 'active')
  assert.equal(memberOf(f, impostor).status, 'requested')
})

test('an admin types /admit yara (no @) while both asked: refused as ambiguous, naming both ids; nobody admitted', async () => {
  const { f, admin } = await privateStorm()
  await f.manager.connect(impostor)
  await f.manager.connect(yara)
  const before = f.stored()
  const reply = await say(f, admin, '/admit yara')
  const ids = [memberOf(f, impostor).id, memberOf(f, yara).id]
  assert.equal(reply.ok, false)
  for (const id of ids) assert.ok(reply.text?.includes(id), `the answer names ${id}: ${reply.text}`)
  assert.deepEqual(f.stored(), before)
  // the id settles it
  assert.equal((await say(f, admin, `/admit ${ids[0]!}`)).ok, true)
  assert.equal(memberOf(f, impostor).status, 'active')
  assert.equal(memberOf(f, yara).status, 'requested')
})

test('an admin declines in Spanish with an ambiguous name: the refusal is in Spanish', async () => {
  const { f, admin } = await privateStorm()
  await f.manager.connect(impostor)
  await f.manager.connect(yara)
  const reply = await say(f, admin, '/decline yara', 'es')
  assert.equal(reply.text, sentence('AMBIGUOUS_MEMBER', { ref: 'yara', ids: [memberOf(f, impostor).id, memberOf(f, yara).id].join(', ') }, 'es'))
})

test('names that only look like handles lose the look: full-width ＠, spaces and invisible marks before @', async () => {
  const { f } = await privateStorm()
  const cases = [['＠yara', 'yara'], ['  @@yara', 'yara'], ['\u200e@yara', 'yara'], ['@', '703'], ['Bea @home', 'Bea @home']] as const
  let id = 700
  for (const [typed, shown] of cases) {
    const a = actorOf({ id: id++, is_bot: false, first_name: typed }, false)
    await f.manager.connect(a)
    assert.equal(memberOf(f, a).chat.name, shown, JSON.stringify(typed))
  }
})
