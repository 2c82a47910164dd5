/**
 * The Telegram demo (`STORM_DEMO=1`) for a friend group: two real users connect and pair at the
 * same time; each gets a simulated node of their own (funded on chain, its own stormd), adds
 * funds in the group and decides their own directives — one with the buttons, one with commands,
 * declining one channel. Nobody can decide the other's directives.
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { writeFile } from 'node:fs/promises'
import { StormError } from '../../src/shared/errors.ts'
import type { Translator } from '../../src/shared/i18n.ts'
import { describeDirective } from '../../src/bot/render.ts'
import type { BotMessage, TgChat, TgUser } from './harness.ts'
import { startTelegramStorm, YARA, BEA, GROUP_ID, type TelegramStorm } from './setup.ts'
import { shown } from './shown.ts'

let s: TelegramStorm
let en: Translator
let es: Translator
let group: TgChat
const FUNDS = 5_000_000

before(async () => {
  s = await startTelegramStorm({ chatId: GROUP_ID }, { demo: true })
  en = s.demo.locales.translator('en')
  es = s.demo.locales.translator('es')
  group = s.h.group(GROUP_ID, 'Storm friends')
})

after(async () => {
  if (process.env.STORM_TRANSCRIPT !== undefined) await writeFile(process.env.STORM_TRANSCRIPT, s.h.transcript() + '\n')
  await s?.stop()
})

const manager = (): TelegramStorm['demo']['manager']['manager'] => s.demo.manager.manager
const memberOf = (u: TgUser, name: string) => manager().memberOf({ kind: 'chat', platform: 'telegram', userId: String(u.id), name, isAdmin: false })!
const allocationOf = (u: TgUser, name: string) => Object.values(manager().state.allocations).find(a => a.member === memberOf(u, name).id)!
const what = (id: string, t: Translator): string => describeDirective(manager().state.directives[id]!, manager(), t)
const withButton = (data: string): Promise<BotMessage> => s.h.waitFor(() => s.h.messages(GROUP_ID).find(m => m.buttons.flat().some(b => b.data === data)), `the button ${data}`)

test('two friends connect and pair at once: each gets a funded simulated node with its own stormd', async () => {
  const h = s.h
  assert.equal((await h.ask(YARA, group, '/connect')).text, shown(en.t('connect-admitted', { group: 'Supercell', p: '/' })))
  assert.equal((await h.ask(BEA, group, '/connect')).text, shown(es.t('connect-admitted', { group: 'Supercell', p: '/' })))

  const [yara, bea] = await Promise.all([h.ask(YARA, h.privateOf(YARA), '/pair'), h.ask(BEA, h.privateOf(BEA), '/start pair')])
  const codeOf = (m: BotMessage): string => /code=([0-9A-Z-]+)/.exec(m.text)?.[1] ?? ''
  assert.equal(yara.text, en.t('pair-code', { code: codeOf(yara), invite: s.demo.manager.invite(codeOf(yara)), minutes: 10 }))
  assert.equal(bea.text, es.t('pair-code', { code: codeOf(bea), invite: s.demo.manager.invite(codeOf(bea)), minutes: 10 }))
  const yaraPaired = shown(en.t('telegram-demo-paired', { code: codeOf(yara), node: 'yara', funds: FUNDS }))
  const beaPaired = shown(es.t('telegram-demo-paired', { code: codeOf(bea), node: 'bea', funds: FUNDS }))
  await h.waitFor(() => h.messages(YARA.id).some(m => m.text === yaraPaired), "Yara's node to pair")
  await h.waitFor(() => h.messages(BEA.id).some(m => m.text === beaPaired), "Bea's node to pair")
  assert.match(yaraPaired, /^\(demo\) Your simulated node “yara” holds 5,000,000 sats on chain; its own stormd paired with your code/)
  for (const [user, name, node, t] of [[YARA, '@yara', 'yara', en], [BEA, 'Bea', 'bea', es]] as const) {
    const text = en.t('announce-member-paired', { name, node })
    await h.waitFor(() => h.messages(GROUP_ID).some(m => m.text.includes(text)), `the group to hear that ${name} paired`)
    // and the member, in their private chat and language
    await h.waitFor(() => h.messages(user.id).some(m => m.text === t.t('announce-member-paired', { name, node })), `${name}'s private note`)
  }

  // two nodes, neither the console demo's "you", each with its own stormd and its own key
  const nodes = [memberOf(YARA, '@yara').node!.publicKey, memberOf(BEA, 'Bea').node!.publicKey]
  assert.equal(new Set([...nodes, s.demo.you.node.publicKey]).size, 3)
  assert.deepEqual(nodes.map(k => s.demo.network.node(k)?.alias), ['yara', 'bea'])
  assert.notEqual(memberOf(YARA, '@yara').agentKey, memberOf(BEA, 'Bea').agentKey)
  for (const k of nodes) assert.equal((await s.demo.network.node(k)!.getChainBalance()).confirmed, FUNDS)
  assert.equal(s.demo.you.runtime.agent.pairing, undefined)
})

test('pairing again keeps your node; another code pairs the same node', async () => {
  const h = s.h
  const before = memberOf(YARA, '@yara').node!.publicKey
  const seen = new Set(h.messages(YARA.id).map(m => m.id))
  await h.send(YARA, h.privateOf(YARA), '/pair')
  const again = await h.waitFor(() => h.messages(YARA.id).find(m => !seen.has(m.id) && /code=([0-9A-Z-]+)/.test(m.text)), 'a new pairing code')
  const code = /code=([0-9A-Z-]+)/.exec(again.text)?.[1] ?? ''
  await h.waitFor(() => h.messages(YARA.id).some(m => m.text === shown(en.t('telegram-demo-paired', { code, node: 'yara', funds: FUNDS }))), 'the same node to pair again')
  assert.equal(memberOf(YARA, '@yara').node!.publicKey, before)
  assert.equal(s.demo.network.nodes().filter(n => n.alias.startsWith('yara')).length, 1)
})

test('each adds funds and decides their own directives; nobody decides the other\'s', async () => {
  const h = s.h
  const yaraReply = await h.ask(YARA, group, '/addfunds 2m')
  const yaraAllocation = allocationOf(YARA, '@yara')
  assert.ok(yaraReply.text.startsWith(shown(en.t('addfunds-submitted', { amount: 2_000_000, id: yaraAllocation.id, p: '/' }))), yaraReply.text)
  const beaReply = await h.ask(BEA, group, '/addfunds 1m')
  const beaAllocation = allocationOf(BEA, 'Bea')
  assert.ok(beaReply.text.startsWith(shown(es.t('addfunds-submitted', { amount: 1_000_000, id: beaAllocation.id, p: '/' }))), beaReply.text)
  // each request is one directive: one funding transaction, one decision
  const [yaraId] = yaraAllocation.directives as [string]
  const [beaId] = beaAllocation.directives as [string]
  assert.equal(yaraAllocation.directives.length, 1)
  assert.equal(beaAllocation.directives.length, 1)

  // Bea cannot take Yara's button, Yara cannot /approve Bea's directive
  const stolen = await h.tap(BEA, group, (await withButton(`approve:${yaraId}`)).id, `approve:${yaraId}`)
  assert.deepEqual(stolen, { id: stolen.id, text: es.error(new StormError('NOT_YOUR_DIRECTIVE', { id: yaraId })), alert: true })
  assert.equal((await h.ask(YARA, group, `/approve ${beaId}`)).text, en.error(new StormError('NOT_YOUR_DIRECTIVE', { id: beaId })))

  // Yara taps Approve under hers
  const answer = await h.tap(YARA, group, (await withButton(`approve:${yaraId}`)).id, `approve:${yaraId}`)
  assert.deepEqual(answer, { id: answer.id, text: en.t('approve-done', { id: yaraId, what: what(yaraId, en) }), alert: false })
  // Bea declines hers by command
  const message = await withButton(`reject:${beaId}`)
  assert.equal((await h.ask(BEA, group, `/reject ${beaId}`)).text, es.t('reject-done', { id: beaId, what: what(beaId, es) }))
  const declinedLine = en.t('announce-directive', { name: 'Bea', id: beaId, what: what(beaId, en), status: en.t('status-rejected', { name: 'Bea' }) })
  await h.waitFor(() => h.message(GROUP_ID, message.id).text.includes(declinedLine), 'the announcement to show ❌ declined by Bea')
  assert.ok(declinedLine.endsWith('— ❌ declined by Bea'))

  await s.demo.settle()
  await s.bot.flush()
  assert.equal(manager().state.directives[yaraId]!.status, 'succeeded')
  assert.equal(manager().state.directives[beaId]!.status, 'rejected')
  assert.equal(JSON.parse((await h.ask(YARA, group, '/getinfo')).text).total_allocations, 2_000_000)
  assert.equal(JSON.parse((await h.ask(BEA, group, '/getinfo')).text).total_allocations, 0)
  // Yara's channels were opened by her own node, all in one funding transaction; Bea's none
  const yaraChannels = s.demo.network.channelsOf(memberOf(YARA, '@yara').node!.publicKey).filter(c => c.initiator)
  assert.equal(yaraChannels.length, allocationOf(YARA, '@yara').channels.length)
  assert.equal(new Set(yaraChannels.map(c => c.channelPoint.split(':')[0])).size, 1)
  assert.equal(s.demo.network.channelsOf(memberOf(BEA, 'Bea').node!.publicKey).filter(c => c.initiator).length, 0)

  const done = (name: string, id: string, amount: number, status: string): string => en.t('announce-allocation-add', { name, id, amount, status })
  const yaraDone = done('@yara', yaraAllocation.id, 2_000_000, en.t('allocation-status-done'))
  const beaDone = done('Bea', beaAllocation.id, 1_000_000, en.t('allocation-status-declined', { name: 'Bea' }))
  await h.waitFor(() => h.messages(GROUP_ID).some(m => m.text.includes(yaraDone)), "Yara's request to show ✅")
  await h.waitFor(() => h.messages(GROUP_ID).some(m => m.text.includes(beaDone)), "Bea's request to show ❌ declined")
})
