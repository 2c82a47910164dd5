/**
 * Commands are declared once: help, the Telegram menus, the stormcli list and button actions all
 * come from the declarations, and a button tap runs the same checks and handler as the command
 * typed by the same person.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ManagerFixture, LOCALES } from '../support/manager_fixture.ts'
import { COMMANDS, CLI_COMMANDS, findCommand } from '../../src/bot/commands/registry.ts'
import { parseCommand } from '../../src/bot/parse_command.ts'
import { runCommand, runAction, type Reply } from '../../src/bot/run_command.ts'
import { helpText } from '../../src/bot/help_text.ts'
import { menuFor } from '../../src/bot/telegram/commands_menu.ts'
import { directiveButtons } from '../../src/bot/render.ts'
import type { Actor } from '../../src/manager/members/find_member.ts'

const deps = (f: ManagerFixture): Parameters<typeof runCommand>[0] => ({ manager: f.manager, locales: LOCALES, pairingInvite: c => c })

async function typed (f: ManagerFixture, actor: Actor, text: string): Promise<Reply> {
  const parsed = parseCommand(text, { prefixes: ['/'], lang: 'en' })
  assert.ok(parsed !== null && parsed.ok, text)
  return runCommand(deps(f), { actor, surface: 'group', lang: 'en', prefix: '/' }, parsed.value)
}

async function tapped (f: ManagerFixture, actor: Actor, action: string): Promise<Reply | null> {
  return runAction(deps(f), { actor, surface: 'group', lang: 'en', prefix: '/' }, action)
}

test('every command is declared once, and help, menus and the stormcli list are derived from the declarations', () => {
  const names = COMMANDS.map(c => c.name)
  assert.equal(new Set(names).size, names.length, 'no name declared twice')
  const t = LOCALES.translator('en')
  const chatHelp = helpText(t, '/', false)
  const cliHelp = helpText(LOCALES.translator('en', { p: 'stormcli ' }), 'stormcli ', true)
  for (const c of COMMANDS.filter(c => !c.fronts.includes('chat'))) {
    // stormcli-only (audit reads the member's own stormd): listed there, never offered in a chat
    assert.ok(cliHelp.includes(`stormcli ${c.name}`), `stormcli help lists ${c.name}`)
    assert.ok(!chatHelp.includes(`/${c.name}`), `/help does not list ${c.name}`)
    assert.ok(!menuFor('admins', LOCALES, 'en').some(m => m.command === c.name), `${c.name} not in a chat menu`)
  }
  for (const c of COMMANDS.filter(c => c.fronts.includes('chat'))) {
    assert.ok(chatHelp.includes(`/${c.name}`), `/help lists ${c.name}`)
    const inGroupMenu = menuFor('group', LOCALES, 'en').some(m => m.command === c.name)
    assert.equal(inGroupMenu, c.authority !== 'admin', `${c.name} in the members' menu only if not admin-only`)
    assert.ok(menuFor('admins', LOCALES, 'en').some(m => m.command === c.name), `${c.name} in the admins' menu`)
  }
  assert.deepEqual([...CLI_COMMANDS], COMMANDS.filter(c => c.fronts.includes('cli')).map(c => c.name))
  assert.deepEqual([...CLI_COMMANDS], ['connect', 'addfunds', 'removefunds', 'move', 'disconnect', 'lift', 'cancel', 'getinfo', 'members', 'directives', 'audit', 'approve', 'reject', 'vote', 'downtime', 'help'])
  assert.doesNotMatch(cliHelp, /stormcli (admit|ban|pair|lang)\b/)
})

test('every button the chat shows is answered by a declared command', () => {
  for (const action of ['approve', 'reject', 'admit', 'decline']) assert.equal(findCommand(action)?.button, true, action)
  for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) assert.equal(findCommand(name), undefined, name)
})

test('a non-admin tapping Admit is refused exactly as if they had typed /admit, and nothing changes', async () => {
  const f = await ManagerFixture.start({ visibility: 'private' })
  const stranger = f.chatActor('stranger')
  await f.manager.connect(stranger)
  const requested = Object.values(f.manager.state.members).find(m => m.chat.name === stranger.name)!
  const alice = f.chatActor('alice')
  const before = f.stored()
  const tap = await tapped(f, alice, `admit:${requested.id}`)
  const typedReply = await typed(f, alice, `/admit ${requested.id}`)
  assert.deepEqual(tap, typedReply)
  assert.equal(tap?.ok, false)
  assert.match(tap!.text, /admin/i)
  assert.deepEqual(f.stored(), before)
})

test('a member tapping Approve on another member\'s directive is refused as the typed /approve is', async () => {
  const f = await ManagerFixture.start()
  const alice = await f.joinAndPair('alice')
  const bob = await f.joinAndPair('bob')
  const planned = await f.manager.addFunds(alice.actor, 1_000_000)
  assert.ok(planned.ok)
  const record = f.manager.directives(alice.id)[0]!
  const [approveButton] = directiveButtons(record, LOCALES.translator('en'))[0] ?? []
  const action = approveButton?.action ?? `approve:${record.directive.id}`
  const before = f.stored()
  const tap = await tapped(f, bob.actor, action)
  assert.deepEqual(tap, await typed(f, bob.actor, `/approve ${record.directive.id}`))
  assert.equal(tap?.ok, false)
  assert.deepEqual(f.stored(), before)
})

test('forged or stale button data is not an action: prototype names, unknown commands, commands without buttons, bad ids', async () => {
  const f = await ManagerFixture.start()
  const alice = await f.joinAndPair('alice')
  for (const data of ['__proto__:x', 'constructor:x', 'toString:1', 'frobnicate:1', 'getinfo:x', 'addfunds:100000', 'approve', 'approve:', ':x']) {
    assert.equal(await tapped(f, alice.actor, data), null, data)
  }
  const bad = await tapped(f, alice.actor, 'approve:<script>')
  assert.equal(bad?.ok, false)
  assert.match(bad!.text, /script/)
})
