/**
 * Governance on Telegram, three real users in one group (the demo's simulated nodes, each with its
 * own stormd): each puts 1,000,000 sats in, so each holds a third of the stake. They vote on the
 * fee with /vote (the rate once as ppm, once as the seed's fraction); the second vote reaches the
 * quorum and the group hears the old and new fee with the tally. Then the admin puts a ban to the
 * vote; members vote with the buttons under the announcement, which is edited with the running
 * tally; a stranger's tap is refused; the vote passes and the banned member is cut off.
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { writeFile } from 'node:fs/promises'
import type { Translator } from '../../src/shared/i18n.ts'
import { StormError } from '../../src/shared/errors.ts'
import type { BotMessage, TgChat, TgUser } from './harness.ts'
import { startTelegramStorm, ADA, YARA, BEA, GROUP_ID, type TelegramStorm } from './setup.ts'

let s: TelegramStorm
let en: Translator
let es: Translator
let group: TgChat
const ZED: TgUser = { id: 109, first_name: 'Zed', username: 'zed', language_code: 'en' }

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
const idOf = (u: TgUser): string => manager().memberOf({ kind: 'chat', platform: 'telegram', userId: String(u.id), name: '', isAdmin: false })!.id
const groupText = (text: string): Promise<BotMessage> => s.h.waitFor(() => s.h.messages(GROUP_ID).find(m => m.text.includes(text)), `the group to hear “${text.slice(0, 60)}”`)

test('three members join, pair and each put 1,000,000 sats into open channels: a third of the stake each', { timeout: 120_000 }, async () => {
  const h = s.h
  for (const u of [ADA, YARA, BEA]) {
    await h.ask(u, group, '/connect')
    const code = /code=([0-9A-Z-]+)/.exec((await h.ask(u, h.privateOf(u), '/pair')).text)?.[1]
    assert.ok(code !== undefined)
    await h.waitFor(() => manager().observations.get(idOf(u)).report !== undefined, `${u.first_name}'s node to pair and report`)
  }
  for (const u of [ADA, YARA, BEA]) {
    await h.ask(u, group, '/addfunds 1m')
    await s.demo.settle()
    await h.ask(u, group, '/approve all')
    await s.demo.settle()
  }
  await h.waitFor(() => [ADA, YARA, BEA].every(u => manager().stakes()[idOf(u)] === 1_000_000), 'the reports to show each one\'s stake', 60_000)
})

test('a fee vote from the chat: below the quorum it waits; the vote that reaches it sets the fee, announced with the tally', async () => {
  const h = s.h
  const yara = await h.ask(YARA, group, '/vote fee 2000 250ppm')
  assert.equal(yara.text, en.t('vote-fee-taken', { base: '2000', rate: 250, stake: 1_000_000, voted: 1_000_000, total: 3_000_000, quorum: 50 }))
  assert.equal(JSON.parse((await h.ask(YARA, group, '/getinfo')).text).consensus_fee_base, 1000, 'one third is not a quorum')
  // Bea writes the rate as the seed does; a bare 250 would be refused as ambiguous
  const ambiguous = await h.ask(BEA, group, '/vote fee 2000 250')
  assert.equal(ambiguous.text, es.error(new StormError('FEE_RATE_AMBIGUOUS', { value: '250', ppm: '250ppm', fraction: '0.000250' })))
  const bea = await h.ask(BEA, group, '/vote fee 2000 0.00025')
  assert.equal(bea.text, es.t('vote-fee-decided', { base: '2000', rate: 250, stake: 1_000_000, voted: 2_000_000, total: 3_000_000, quorum: 50, toBase: '2000', toRate: 250 }))
  const round = Object.values(manager().state.governance.proposals).find(p => p.kind === 'fee' && p.status === 'passed')!
  // alice, bob and carol (the demo's simulated members) voted from their stormd.conf, without stake:
  // they count as voters and weigh nothing
  assert.equal(round.tally?.voters, 5)
  await groupText(en.t('announce-fee-consensus', { id: round.id, fromBase: '1000', toBase: '2000', fromRate: 100, toRate: 250, voters: 5, voted: 2_000_000, total: 3_000_000, directives: 7 }))
  const info = JSON.parse((await h.ask(ADA, group, '/getinfo')).text)
  assert.equal(info.consensus_fee_base, 2000)
  assert.equal(info.consensus_fee_rate, 0.00025)
  // a stranger cannot vote
  assert.equal((await h.ask(ZED, group, '/vote fee 1 1ppm')).text, en.error(new StormError('NOT_A_MEMBER', { group: 'Supercell' })))
})

test('a ban vote with buttons: only members vote, each by stake; the vote passes and the member is cut off', async () => {
  const h = s.h
  // dave, a simulated member of the demo, is the one
  const dave = s.demo.members.find(m => m.name === 'dave')!
  const yaraTry = await h.ask(YARA, group, '/ban dave spamming')
  assert.equal(yaraTry.text, en.error(new StormError('NOT_ADMIN')))
  const proposed = await h.ask(ADA, group, '/ban @dave never online when it matters')
  const proposal = Object.values(manager().state.governance.proposals).find(p => p.kind === 'ban')!
  assert.equal(proposed.text, en.t('ban-proposed', { name: '@dave', id: proposal.id }))
  const announced = await h.waitFor(() => h.messages(GROUP_ID).find(m => m.buttons.flat().some(b => b.data === `vote:${proposal.id}.yes`)), 'the ban vote with its buttons')
  assert.deepEqual(announced.buttons, [[{ text: en.t('button-vote-yes'), data: `vote:${proposal.id}.yes` }, { text: en.t('button-vote-no'), data: `vote:${proposal.id}.no` }]])

  const stranger = await h.tap(ZED, group, announced.id, `vote:${proposal.id}.yes`)
  assert.deepEqual(stranger, { id: stranger.id, text: en.error(new StormError('NOT_A_MEMBER', { group: 'Supercell' })), alert: true })
  const yes = await h.tap(YARA, group, announced.id, `vote:${proposal.id}.yes`)
  assert.deepEqual(yes, { id: yes.id, text: en.t('vote-ban-taken', { id: proposal.id, choice: en.t('ban-choice-yes'), stake: 1_000_000, yes: 1_000_000, no: 0, total: 3_000_000 }), alert: false })
  const no = await h.tap(BEA, group, announced.id, `vote:${proposal.id}.no`)
  assert.equal(no.alert, false)
  assert.equal(manager().state.members[idOf(BEA)]?.status, 'active')
  // the announcement is edited in place with the running tally, its buttons still there
  const edited = await h.waitFor(() => { const m = h.message(GROUP_ID, announced.id); return m.text.includes('yes 1,000,000, no 1,000,000 of 3,000,000') && m }, 'the tally in the announcement')
  assert.equal(edited.buttons.flat().length, 2)
  const decisive = await h.tap(ADA, group, announced.id, `vote:${proposal.id}.yes`)
  assert.equal(decisive.alert, false)
  assert.equal(manager().state.members[idOf(YARA)]?.status, 'active')
  const daveId = manager().memberOf(dave.actor)!.id
  assert.equal(manager().state.members[daveId]?.status, 'banned')
  const passed = en.t('announce-ban-passed', { id: proposal.id, name: '@dave', yes: 2_000_000, no: 1_000_000, total: 3_000_000 })
  const closed = await h.waitFor(() => { const m = h.message(GROUP_ID, announced.id); return m.text === passed && m }, 'the vote\'s message to show the outcome')
  assert.deepEqual(closed.buttons, [], 'no buttons once decided')
  // every channel one of the three opened to dave's node is being closed by its opener
  const closes = Object.values(manager().state.directives).filter(r => r.directive.kind === 'close_channel' && r.directive.reason.startsWith('@dave is banned'))
  assert.ok(closes.length > 0)
  await groupText(en.t('announce-member-banned-closes', { name: '@dave', reason: 'never online when it matters', closes: closes.length }))
  await h.waitFor(() => !dave.runtime.agent.connected, 'dave\'s agent to be cut off')
  // a late tap is refused with why
  const late = await h.tap(BEA, group, announced.id, `vote:${proposal.id}.yes`)
  assert.deepEqual(late, { id: late.id, text: es.error(new StormError('PROPOSAL_CLOSED', { id: proposal.id, status: 'passed' })), alert: true })
  // and an admin lifts it
  assert.equal((await h.ask(ADA, group, '/unban @dave')).text, en.t('unban-done', { name: '@dave' }))
})
