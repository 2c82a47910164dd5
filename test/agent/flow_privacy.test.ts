/**
 * The privacy level (the seed's footnote): a member may keep its forwarding flow to itself.
 * With `reportFlow=false` in stormd.conf, stormd's reports carry no flow — forwards are not even
 * read — and say so; the manager then says in `getinfo` and in the member list that the member's
 * flow is private, and plans with the channels and balances it still gets. Other members, and a
 * member who shares, see nothing different.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ManualClock } from '../../src/shared/clock.ts'
import { StormError } from '../../src/shared/errors.ts'
import { SimNetwork } from '../../src/simnet/index.ts'
import { parseAgentConfig, parseConfText } from '../../src/agent/config.ts'
import { buildReport } from '../../src/agent/build_report.ts'
import type { MessageBody } from '../../src/protocol/messages.ts'
import { pairedAgent, until } from './fake_link.ts'
import { ManagerFixture, LOCALES, channelReport, outpoint } from '../support/manager_fixture.ts'
import { membersText } from '../../src/bot/render.ts'
import { membersView } from '../../src/manager/queries/members.ts'

/** alice pays carol through bob: bob has forwarded one payment. */
function forwardedThroughBob () {
  const clock = new ManualClock()
  const network = SimNetwork.create({ seed: 'privacy', clock })
  const [alice, bob, carol] = ['alice', 'bob', 'carol'].map(a => network.addNode(a))
  network.openChannelNow(alice!.publicKey, bob!.publicKey, 1_000_000)
  network.openChannelNow(bob!.publicKey, carol!.publicKey, 1_000_000)
  const paid = network.pay(alice!.publicKey, carol!.publicKey, 50_000)
  assert.ok(paid.ok)
  return { clock, network, bob: bob! }
}

test('reportFlow=false: the report leaves the flow out and says it is private; reportFlow=true carries it', async () => {
  const { clock, bob } = forwardedThroughBob()
  const shared = await buildReport(bob, 0, clock.now() + 1, true)
  assert.equal(shared.flow?.channels.reduce((s, c) => s + c.forwards, 0), 1, 'bob forwarded one payment')
  assert.equal(shared.flowPrivate, undefined)
  const kept = await buildReport(bob, 0, clock.now() + 1, false)
  assert.equal(kept.flow, undefined)
  assert.equal(kept.flowPrivate, true)
  assert.deepEqual(kept.channels, shared.channels, 'channels and balances are still reported')
  assert.equal(parseAgentConfig(parseConfText('reportFlow=false\n')).reportFlow, false)
  assert.equal(parseAgentConfig({}).reportFlow, true, 'shared unless the owner says otherwise')
  assert.throws(() => parseAgentConfig(parseConfText('reportFlow=no\n')), (e: unknown) => e instanceof StormError && e.code === 'CONFIG_INVALID' && e.params.key === 'reportFlow')
})

test('a stormd configured with reportFlow=false sends reports without flow', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'storm-privacy-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  const { clock, bob } = forwardedThroughBob()
  const { agent, link } = await pairedAgent({ config: parseAgentConfig({ dataDir: dir, reportFlow: 'false' }), lightning: bob, clock, keyByte: 5 })
  t.after(() => agent.stop())
  link().up()
  await until(() => link().of('report').length >= 1, 'the first report')
  const report: MessageBody<'report'> = link().of('report')[0]!
  assert.equal(report.flow, undefined)
  assert.equal(report.flowPrivate, true)
  assert.equal(report.channels.length, 2)
})

test('the manager says in getinfo and the member list that the flow is private, and only for that member', async () => {
  const f = await ManagerFixture.start()
  const you = await f.joinAndPair('you')
  const alice = await f.joinAndPair('alice')
  const line = channelReport(outpoint(1), alice.nodeKey, 1_000_000, 500_000)
  await f.fromAgent(you.agentKey, 'report', { at: f.clock.now(), health: { healthy: true, blockHeight: 1 }, balance: { confirmed: 1, unconfirmed: 0 }, channels: [line], pending: [], flowPrivate: true })
  await f.fromAgent(alice.agentKey, 'report', { at: f.clock.now(), health: { healthy: true, blockHeight: 1 }, balance: { confirmed: 1, unconfirmed: 0 }, channels: [], pending: [], flow: { from: 0, to: f.clock.now(), channels: [] } })
  assert.equal(f.manager.getInfo(you.actor).flow, 'private')
  assert.equal('flow' in f.manager.getInfo(alice.actor), false, 'a member who shares sees the seed\'s getinfo')
  const rows = membersView(f.manager.readSource())
  assert.deepEqual(rows.map(r => [r.name, r.flow]), [['@you', 'private'], ['@alice', 'reported']])
  assert.equal(rows[0]!.capacity, 1_000_000, 'its channels still count')
  const en = membersText(f.manager, LOCALES.translator('en', { p: '/' })).split('\n')
  assert.match(en[1]!, /@you .* · flow private$/)
  assert.doesNotMatch(en[2]!, /private/)
  assert.match(membersText(f.manager, LOCALES.translator('es', { p: '/' })), /@you .* · flujo privado/)
})
