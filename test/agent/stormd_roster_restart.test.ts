/**
 * stormd keeps the roster with its member ids, so after a restart it knows its member's own nodes
 * (its fleet) at once: its first hello carries the roster digest (the manager need not send the
 * roster again) and it pays its fleet node's invoice before any roster has come. A state stored
 * before the ids were kept still says hello without a digest, so the manager sends the roster.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ManualClock } from '../../src/shared/clock.ts'
import { MemoryStore } from '../../src/shared/json_store.ts'
import { SimNetwork } from '../../src/simnet/index.ts'
import { parseAgentConfig } from '../../src/agent/config.ts'
import { emptyAgentState, type AgentState } from '../../src/agent/agent_state.ts'
import { StormAgent } from '../../src/agent/stormd.ts'
import { rosterDigest } from '../../src/protocol/roster_digest.ts'
import type { MessageBody } from '../../src/protocol/messages.ts'
import { payInvoice } from './helpers.ts'
import { FakeLink, MANAGER_KEY, until } from './fake_link.ts'

/** corp's node `me` and its fleet node `shop`; alice is another member. */
function storm () {
  const clock = new ManualClock()
  const network = SimNetwork.create({ seed: 'roster-restart', confirmations: 3, clock })
  const me = network.addNode('me', { onchain: 5_000_000 })
  const shop = network.addNode('shop')
  const alice = network.addNode('alice')
  network.openChannelNow(me.publicKey, shop.publicKey, 1_000_000)
  const store = new MemoryStore<AgentState>(emptyAgentState)
  const roster: MessageBody<'roster'> = {
    group: 'Supercell',
    members: [{ id: 'corp', name: '@corp', node: me.publicKey }, { id: 'alice', name: '@alice', node: alice.publicKey }, { id: 'corp', name: '@corp', node: shop.publicKey }]
  }
  return { clock, network, me, shop, alice, store, roster }
}

/** A stormd on `me` over `store` (a start of the process): started, its link up. */
async function stormd (s: ReturnType<typeof storm>, pair: boolean): Promise<{ agent: StormAgent, link: FakeLink }> {
  const links: FakeLink[] = []
  const agent = new StormAgent({
    config: parseAgentConfig({ dataDir: '/nonexistent/stormd-test', heartbeatInterval: 30, reportInterval: 60, minTimeBetweenPayments: 0 }),
    lightning: s.me,
    store: s.store,
    keyPair: { publicKey: Buffer.alloc(32, 7), secretKey: Buffer.alloc(64, 7) },
    clock: s.clock,
    connect: (kp, managerKey) => { const l = new FakeLink(kp, managerKey); links.push(l); return l }
  })
  await agent.load()
  if (pair) await agent.paired({ managerKey: MANAGER_KEY, memberId: 'corp', group: 'Supercell', node: s.me.publicKey, pairedAt: s.clock.now() })
  await agent.start()
  const link = links[0]!
  link.up()
  await until(() => link.of('report').length === 1, 'the first report')
  return { agent, link }
}

async function payShop (s: ReturnType<typeof storm>, link: FakeLink): Promise<MessageBody<'result'>> {
  const invoice = await s.shop.createInvoice(20_000, 'move')
  const d = payInvoice(s.clock.now(), { request: invoice.request, payee: s.shop.publicKey, amount: 20_000, maxFee: 50 })
  link.deliver('directive', d)
  await until(() => link.of('result').some(r => r.directive === d.id), 'the payment\'s result')
  return link.of('result').find(r => r.directive === d.id)!
}

test('restarted, stormd knows its own nodes at once: the hello carries the roster digest, and its fleet node is paid before any roster comes', async () => {
  const s = storm()
  const first = await stormd(s, true)
  assert.equal(first.link.of('hello')[0]!.rosterDigest, undefined, 'no roster yet: the manager must send one')
  first.link.deliver('roster', s.roster)
  await until(() => s.store.snapshot()?.rosterMembers.length === 3, 'the roster stored')
  assert.deepEqual(s.store.snapshot()?.rosterMembers, ['corp', 'alice', 'corp'])
  await first.agent.stop()

  const again = await stormd(s, false)
  assert.equal(again.link.of('hello')[0]!.rosterDigest, rosterDigest(s.roster.members.map(m => m.node)), 'the digest of the roster it holds')
  assert.deepEqual(again.link.of('roster'), [])
  const paid = await payShop(s, again.link)
  assert.equal(paid.outcome, 'succeeded', JSON.stringify(paid.error))
  assert.equal(paid.detail?.amount, 20_000)
  await again.agent.stop()
})

test('a state stored before the member ids were kept: no digest in the hello, the fleet node is not paid until the roster comes', async () => {
  const s = storm()
  // rosterMembers [] is what a file without the field parses to
  await s.store.save({ ...emptyAgentState(), pairing: { managerKey: MANAGER_KEY, memberId: 'corp', group: 'Supercell', node: s.me.publicKey, pairedAt: s.clock.now() }, roster: s.roster.members.map(m => m.node) })
  const { agent, link } = await stormd(s, false)
  assert.equal(link.of('hello')[0]!.rosterDigest, undefined)
  const before = s.network.localBalanceMsat(s.shop.publicKey)
  const refused = await payShop(s, link)
  assert.equal(refused.error?.code, 'PAYEE_NOT_OWN_NODE')
  assert.equal(s.network.localBalanceMsat(s.shop.publicKey), before, 'nothing paid')
  link.deliver('roster', s.roster)
  await until(() => s.store.snapshot()?.rosterMembers.length === 3, 'the roster stored')
  const paid = await payShop(s, link)
  assert.equal(paid.outcome, 'succeeded', JSON.stringify(paid.error))
  assert.equal(s.network.localBalanceMsat(s.shop.publicKey) - before, 20_000_000)
  await agent.stop()
})
