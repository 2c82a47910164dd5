/**
 * The story of a Storm on Telegram, end to end: an admin binds the group, friends connect, one
 * pairs her stormd from a private chat (code as text and QR), adds funds in the group and approves
 * the planned channels with buttons while the announcement is edited in place up to ✅. Others try
 * what they may not do and get clear answers, in their own language, with nothing changed.
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { writeFile } from 'node:fs/promises'
import { PNG } from 'pngjs'
import jsqr from 'jsqr'
import { StormError } from '../../src/shared/errors.ts'
import type { Translator } from '../../src/shared/i18n.ts'
import { describeDirective, directiveStatus, membersText } from '../../src/bot/render.ts'
import { menuFor } from '../../src/bot/telegram/index.ts'
import { BOT_USERNAME, type TgChat } from './harness.ts'
import { startTelegramStorm, ADA, YARA, BEA, GROUP_ID, type TelegramStorm } from './setup.ts'
import { shown } from './shown.ts'

let s: TelegramStorm
let en: Translator
let es: Translator
let group: TgChat
let yaraId = ''
let invite = ''
let bundle = 0
let directiveIds: string[] = []

before(async () => {
  s = await startTelegramStorm()
  en = s.demo.locales.translator('en')
  es = s.demo.locales.translator('es')
  group = s.h.group(GROUP_ID, 'Storm friends')
})

after(async () => {
  if (process.env.STORM_TRANSCRIPT !== undefined) await writeFile(process.env.STORM_TRANSCRIPT, s.h.transcript() + '\n')
  await s?.stop()
})

const manager = (): TelegramStorm['demo']['manager']['manager'] => s.demo.manager.manager
const err = (t: Translator, code: string, params: Record<string, string | number> = {}): string => t.error(new StormError(code, params))

test('the command menus are published per scope, in every language', () => {
  const p = s.h.proxy
  for (const [lang, t] of [['', en], ['es', es]] as const) {
    assert.deepEqual(p.commands.get(`all_private_chats|${lang}`), menuFor('private', s.demo.locales, t.lang))
    assert.deepEqual(p.commands.get(`all_group_chats|${lang}`), menuFor('group', s.demo.locales, t.lang))
    assert.deepEqual(p.commands.get(`all_chat_administrators|${lang}`), menuFor('admins', s.demo.locales, t.lang))
    assert.equal(p.descriptions.get(`setMyDescription|${lang}`), t.t('telegram-description'))
  }
  const names = (scope: string): string[] => (p.commands.get(`${scope}|`) ?? []).map(c => c.command)
  assert.ok(names('all_group_chats').includes('pair') && !names('all_group_chats').includes('ban'))
  assert.ok(['ban', 'unban', 'admit', 'decline', 'init'].every(c => names('all_chat_administrators').includes(c)))
  assert.equal(p.commands.get('all_group_chats|es')?.find(c => c.command === 'addfunds')?.description, es.t('cmd-addfunds-description'))
})

test('only an admin of the group binds it, once', async () => {
  const h = s.h
  assert.equal((await h.ask(BEA, group, '/connect')).text, es.t('telegram-not-bound'))
  assert.equal((await h.ask(BEA, group, '/init')).text, err(es, 'NOT_ADMIN'))
  assert.equal((await h.ask(ADA, group, `/init@${BOT_USERNAME}`)).text, en.t('telegram-init-done', { group: 'Supercell' }))
  assert.equal((await h.ask(ADA, group, '/init')).text, en.t('telegram-init-already', { group: 'Supercell' }))
  const other = h.group(-100777, 'Another group')
  h.proxy.setMember(other.id, ADA.id, 'creator')
  assert.equal((await h.ask(ADA, other, '/init')).text, en.t('telegram-wrong-group', { group: 'Supercell' }))
  assert.equal(s.bot.chatId, GROUP_ID)
  // Ada's admin rights were asked once in the Storm's group, then remembered
  assert.equal(h.proxy.callsOf('getChatMember').filter(c => Number(c.payload.chat_id) === GROUP_ID && Number(c.payload.user_id) === ADA.id).length, 1)
})

test('friends connect in the group, and the group is told', async () => {
  const h = s.h
  assert.equal((await h.ask(YARA, group, '/connect')).text, shown(en.t('connect-admitted', { group: 'Supercell', p: '/' })))
  assert.equal((await h.ask(BEA, group, '/connect')).text, shown(es.t('connect-admitted', { group: 'Supercell', p: '/' })))
  await h.waitFor(() => h.messages(GROUP_ID).find(m => m.text.includes(en.t('announce-member-joined', { name: '@yara', group: 'Supercell' }))), 'the announcement that Yara joined')
  yaraId = manager().memberOf({ kind: 'chat', platform: 'telegram', userId: String(YARA.id), name: '@yara', isAdmin: false })!.id
})

test('pairing: the group points to the private chat, where the code comes as text and QR', async () => {
  const h = s.h
  const link = `https://t.me/${BOT_USERNAME}?start=pair`
  const inGroup = await h.ask(YARA, group, '/pair')
  assert.equal(inGroup.text, en.t('pair-go-private', { link }))
  assert.deepEqual(inGroup.buttons, [[{ text: en.t('telegram-open-private'), url: link }]])

  const chat = h.privateOf(YARA)
  const reply = await h.ask(YARA, chat, '/start pair')
  invite = /storm:pair\?\S+/.exec(reply.text)?.[0] ?? ''
  const code = new URLSearchParams(invite.slice('storm:pair?'.length)).get('code') ?? ''
  assert.equal(invite, s.demo.manager.invite(code))
  assert.equal(reply.text, en.t('pair-code', { code, invite, minutes: 10 }))
  assert.deepEqual(reply.entities, [{ type: 'code', offset: reply.text.indexOf(invite), length: invite.length }])

  const photo = await h.waitFor(() => h.proxy.photos.find(p => p.chatId === YARA.id), 'the QR photo')
  assert.equal(photo.caption, en.t('telegram-pair-qr-caption', { minutes: 10 }))
  assert.equal(photo.fileName, 'storm-pair.png')
  const png = PNG.sync.read(photo.png)
  assert.equal(jsqr.default(new Uint8ClampedArray(png.data), png.width, png.height)?.data, invite)

  // on Yara's machine: stormd pair <invite>
  await s.demo.you.runtime.pair(invite)
  const paired = en.t('announce-member-paired', { name: '@yara', node: 'you' })
  await h.waitFor(() => h.messages(GROUP_ID).some(m => m.text.includes(paired)), 'the pairing announcement in the group')
  await h.waitFor(() => h.messages(YARA.id).some(m => m.text === paired), 'the pairing note in the private chat')
  assert.equal(manager().state.members[yaraId]?.node?.publicKey, s.demo.you.node.publicKey)
})

test('one /addfunds: one directive funds all four channels in one transaction; one announcement with Approve and Reject', async () => {
  const h = s.h
  await h.waitFor(() => manager().observations.get(yaraId).report !== undefined, "Yara's first report")
  const before = h.messages(GROUP_ID).length
  const reply = await h.ask(YARA, group, '/addfunds 2m')
  const allocation = Object.values(manager().state.allocations).find(a => a.member === yaraId)!
  directiveIds = allocation.directives
  assert.equal(directiveIds.length, 1, 'one directive: one funding transaction, one approval')
  const d = manager().state.directives[directiveIds[0]!]!.directive
  assert.equal(d.kind, 'open_channels')
  const channels = d.kind === 'open_channels' ? d.params.channels : []
  assert.equal(channels.length, 4)
  const planned = channels.map(c => en.t('addfunds-planned-channel', { amount: 500_000, peer: peerName(c.peer), directive: d.id }))
  assert.equal(reply.text, [shown(en.t('addfunds-submitted', { amount: 2_000_000, id: allocation.id, p: '/' })), ...planned, en.t('addfunds-one-transaction', { count: 4 })].join('\n'))
  // `/cancel <id>` is code, copied with a tap; `/getinfo` stays a tappable command
  const cancel = `/cancel ${allocation.id}`
  assert.deepEqual(reply.entities, [{ type: 'code', offset: reply.text.indexOf(cancel), length: cancel.length }])

  const announced = await h.waitFor(() => h.messages(GROUP_ID).find(m => directiveIds.every(id => m.text.includes(id)) &&
    directiveIds.every(id => manager().state.directives[id]!.status === 'awaiting_approval') && m.text === expectedText(directiveIds)), 'the announcement')
  bundle = announced.id
  assert.ok(announced.text.includes(en.t('directive-open-channels', { count: 4, total: 2_000_000, list: channels.map(c => en.t('directive-open-channels-item', { amount: 500_000, peer: peerName(c.peer) })).join(', ') })))
  // one message for the directive, and only the reply and it were sent
  assert.equal(h.messages(GROUP_ID).filter(m => m.id !== reply.id && directiveIds.some(id => m.text.includes(id))).length, 1)
  assert.equal(h.messages(GROUP_ID).length, before + 2)
  // a message with one directive's buttons does not name it on them
  assert.deepEqual(announced.buttons, directiveIds.map(id => [
    { text: en.t('button-approve'), data: `approve:${id}` },
    { text: en.t('button-reject'), data: `reject:${id}` }
  ]))
})

test("nobody but Yara can decide Yara's directives", async () => {
  const h = s.h
  const [first] = directiveIds as [string]
  const snapshot = JSON.stringify(manager().state.directives)
  const bea = await h.tap(BEA, group, bundle, `approve:${first}`)
  assert.deepEqual(bea, { id: bea.id, text: err(es, 'NOT_YOUR_DIRECTIVE', { id: first }), alert: true })
  const ada = await h.tap(ADA, group, bundle, `reject:${first}`)
  assert.deepEqual(ada, { id: ada.id, text: err(en, 'NOT_A_MEMBER', { group: 'Supercell' }), alert: true })
  assert.equal((await h.ask(BEA, group, `/reject ${first}`)).text, err(es, 'NOT_YOUR_DIRECTIVE', { id: first }))
  await manager().whenIdle()
  assert.equal(JSON.stringify(manager().state.directives), snapshot)
})

test('a member cannot ban; an admin must say why; nothing changes', async () => {
  const h = s.h
  const members = JSON.stringify(manager().state.members)
  assert.equal((await h.ask(BEA, group, '/ban @yara')).text, err(es, 'NOT_ADMIN'))
  assert.equal((await h.ask(BEA, group, '/unban @yara')).text, err(es, 'NOT_ADMIN'))
  assert.equal((await h.ask(ADA, group, '/ban @yara')).text, err(en, 'BAN_REASON_REQUIRED'))
  assert.equal((await h.ask(ADA, group, '/unban @yara')).text, err(en, 'NOT_BANNED', { name: '@yara' }))
  assert.equal(JSON.stringify(manager().state.members), members)
})

test('Yara approves the batch with one tap; the announcement is edited in place up to ✅ with the one funding transaction', async () => {
  const h = s.h
  const [id] = directiveIds as [string]
  const what = describeDirective(manager().state.directives[id]!, manager(), en)
  const yes = await h.tap(YARA, group, bundle, `approve:${id}`)
  assert.deepEqual(yes, { id: yes.id, text: en.t('approve-done', { id, what }), alert: false })
  await s.demo.settle()
  await s.bot.flush()
  const record = manager().state.directives[id]!
  assert.equal(record.status, 'succeeded')
  const tx = String(record.result!.fundingTxid)
  // every channel of the request came out of that one transaction
  const allocation = Object.values(manager().state.allocations).find(a => a.member === yaraId)!
  assert.equal(allocation.channels.length, 4)
  assert.ok(allocation.channels.every(c => c.channelPoint.startsWith(tx + ':')))
  const done = await h.waitFor(() => { const m = h.message(GROUP_ID, bundle); return m.text === expectedText(directiveIds) && m }, 'the announcement to show ✅')
  assert.deepEqual(done.buttons, [])
  assert.ok(done.text.includes(`${id} · ${what} — ${en.t('status-succeeded-channels', { count: 4, tx })}`), done.text)
  const final = en.t('announce-allocation-add', { name: '@yara', id: allocation.id, amount: 2_000_000, status: en.t('allocation-status-done') })
  await h.waitFor(() => h.messages(GROUP_ID).some(m => m.text === final), 'the request to show ✅')
  // every version went into the same message, none twice in a row
  const history = h.proxy.history.get(`${GROUP_ID}:${bundle}`) ?? []
  assert.equal(history.at(-1), done.text)
  assert.ok(history.every((v, i) => i === 0 || v !== history[i - 1]), history.join('\n---\n'))
  assert.ok(history.length <= record.history.length, `${history.length} versions for ${record.history.length} changes`)
})

test('stale buttons and finished ids get clear answers', async () => {
  const h = s.h
  const [first] = directiveIds as [string]
  const stale = await h.tap(YARA, group, bundle, `approve:${first}`)
  assert.deepEqual(stale, { id: stale.id, text: err(en, 'DIRECTIVE_NOT_AWAITING', { id: first, status: 'succeeded' }), alert: true })
  assert.equal((await h.ask(YARA, group, `/approve ${first}`)).text, err(en, 'DIRECTIVE_NOT_AWAITING', { id: first, status: 'succeeded' }))
  const allocation = Object.values(manager().state.allocations).find(a => a.member === yaraId)!
  assert.equal((await h.ask(YARA, group, `/cancel ${allocation.id}`)).text, err(en, 'REQUEST_FINISHED', { id: allocation.id, status: allocation.status }))
  const info = await h.ask(YARA, group, '/getinfo')
  // the four channels of the batch
  assert.equal(JSON.parse(info.text).total_allocations, 2_000_000)
  assert.deepEqual(info.entities, [{ type: 'pre', offset: 0, length: info.text.length, language: 'json' }])
})

test("each user is answered in their language; /lang changes it, for members and others", async () => {
  const h = s.h
  assert.equal((await h.ask(BEA, group, '/lang en')).text, en.t('lang-set', { lang: 'en' }))
  assert.equal((await h.ask(BEA, group, '/members')).text, membersText(manager(), en))
  assert.equal((await h.ask(ADA, group, '/lang es')).text, es.t('lang-set', { lang: 'es' }))
  assert.equal((await h.ask(ADA, group, '/members')).text, membersText(manager(), es))
  // announcements stay in the group's language
  assert.equal((await h.ask(ADA, h.privateOf(ADA), 'hola')).text, es.t('telegram-not-a-command'))
})

function peerName (nodeKey: string): string {
  return Object.values(manager().state.members).find(m => m.node?.publicKey === nodeKey)?.chat.name ?? '?'
}

/** The batched announcement of these directives as they stand now, in the group's language. */
function expectedText (ids: string[]): string {
  return ids.map(id => manager().state.directives[id]!).map(r => en.t('announce-directive', {
    name: '@yara', id: r.directive.id, what: describeDirective(r, manager(), en), status: directiveStatus(r, manager(), en)
  })).join('\n\n')
}
