/**
 * A company's fleet: a member pairs a second node (`/pair` again, from another stormd). Both
 * nodes are the member's: both in the roster every agent gets, both listed by /members and
 * /getinfo; each node's stormd has its own key and its own reports. A node of another member
 * never joins your fleet, and re-pairing a node moves it to the new stormd without a copy.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ManagerFixture, LOCALES } from '../support/manager_fixture.ts'
import { membersText } from '../../src/bot/render.ts'
import { JsonFileStore } from '../../src/shared/json_store.ts'
import { StateSchema, STATE_MIGRATIONS, STATE_VERSION, type State } from '../../src/manager/state/schema.ts'
import { SqliteStateStore } from '../../src/manager/state/sqlite_state_store.ts'
import type { StormEvent } from '../../src/manager/context.ts'

async function fleetStorm () {
  const f = await ManagerFixture.start()
  const alice = await f.joinAndPair('alice')
  const corp = await f.joinAndPair('corp')
  const events: StormEvent[] = []
  f.manager.on('event', e => events.push(e))
  // corp pairs a second node, corp-2, from another stormd
  const second = await f.pairNode(corp.actor, 'corp-2', 'Z'.charCodeAt(0))
  return { f, alice, corp, second, events }
}

test('a member pairs a second node: it joins the fleet, the first stays, and every agent learns both', async () => {
  const { f, alice, corp, second, events } = await fleetStorm()
  const stored = f.stored().members[corp.id]!
  assert.equal(stored.node?.publicKey, corp.nodeKey, 'the first node stays the first')
  assert.equal(stored.agentKey, corp.agentKey)
  assert.deepEqual(stored.fleet?.map(n => [n.agentKey, n.node.publicKey, n.node.alias]), [[second.agentKey, second.nodeKey, 'corp-2']])
  assert.deepEqual(f.link.dropped, [], 'the first node\'s stormd is not dropped')
  assert.ok(f.manager.admit(second.agentKey) === 'member' && f.manager.admit(corp.agentKey) === 'member')

  const roster = f.link.to(alice.agentKey, 'roster').at(-1)!
  assert.deepEqual(roster.members.filter(m => m.id === corp.id).map(m => m.node).sort(), [corp.nodeKey, second.nodeKey].sort())
  assert.deepEqual(f.link.to(second.agentKey, 'roster').at(-1), roster, 'the fleet node gets the roster too')

  const added = events.find(e => e.type === 'member_paired')
  assert.ok(added?.type === 'member_paired' && added.added?.publicKey === second.nodeKey)
  assert.equal(f.audit.entries.filter(e => e.event === 'member_paired').at(-1)?.data.fleet, true)
})

test('/members and /getinfo show the fleet; a member with one node gets the seed\'s getinfo unchanged', async () => {
  const { f, alice, corp, second } = await fleetStorm()
  const en = LOCALES.translator('en')
  const text = membersText(f.manager, en)
  const lines = text.split('\n')
  const at = lines.findIndex(l => l.startsWith('@corp'))
  assert.equal(lines[at + 1], en.t('members-fleet-node', { node: 'corp-2', online: en.t('members-online') }), text)
  const es = LOCALES.translator('es')
  assert.ok(membersText(f.manager, es).includes(es.t('members-fleet-node', { node: 'corp-2', online: es.t('members-online') })))

  const info = f.manager.getInfo(corp.actor)
  assert.deepEqual(info.nodes, [
    { alias: 'corp', pubkey: corp.nodeKey, connected: true },
    { alias: 'corp-2', pubkey: second.nodeKey, connected: true }
  ])
  await f.manager.onDisconnected(second.agentKey)
  assert.deepEqual(f.manager.getInfo(corp.actor).nodes?.map(n => n.connected), [true, false], 'each node\'s own connection')
  assert.equal(f.manager.getInfo(corp.actor).connected, true)
  assert.equal('nodes' in f.manager.getInfo(alice.actor), false)
})

test('a fleet node reports on its own: each node\'s balance is its own, and addfunds takes the funds where they are', async () => {
  const { f, corp, second } = await fleetStorm()
  await f.report(corp.agentKey, 1_000_000)
  await f.report(second.agentKey, 9_000_000)
  assert.equal(f.manager.observations.get(corp.id).report?.balance.confirmed, 1_000_000, 'the first node\'s report is not the second\'s')
  const r = await f.manager.addFunds(corp.actor, 5_000_000)
  assert.equal(r.ok ? r.value.node?.alias : r.error.code, 'corp-2', 'the first node cannot fund it; corp-2 can (more in fleet_placement.test.ts)')
})

test('a fleet stormd that says hello with another node is dropped; one of another member never joins your fleet', async () => {
  const { f, alice, corp, second } = await fleetStorm()
  await f.fromAgent(second.agentKey, 'hello', { agentVersion: 'test', node: { publicKey: corp.nodeKey, alias: 'x', network: 'simnet', uris: [], version: 'test' }, finished: [] })
  assert.deepEqual(f.link.dropped, [second.agentKey])
  assert.equal(f.link.to(second.agentKey, 'error').at(-1)?.detail, 'NODE_MISMATCH')

  // corp tries to pair alice's node into its fleet
  const before = JSON.stringify(f.stored().members)
  await assert.rejects(f.pairNode(corp.actor, 'alice', 'Y'.charCodeAt(0)), /NODE_ALREADY_PAIRED/)
  assert.equal(JSON.stringify(f.stored().members), before)
  assert.equal(f.stored().members[alice.id]?.node?.publicKey, alice.nodeKey)
})

test('re-pairing a fleet node from a new stormd moves it there: the old stormd is dropped, no second copy', async () => {
  const { f, corp, second } = await fleetStorm()
  const again = await f.pairNode(corp.actor, 'corp-2', 'W'.charCodeAt(0))
  assert.equal(again.nodeKey, second.nodeKey)
  const fleet = f.stored().members[corp.id]!.fleet!
  assert.deepEqual(fleet.map(n => n.agentKey), [again.agentKey])
  assert.ok(f.link.dropped.includes(second.agentKey))
  assert.equal(f.manager.admit(second.agentKey), null, 'the old stormd is refused at the handshake')
})

test('a state written by the manager of before (version 2) loads as version 3: every member with an empty fleet', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'storm-fleet-'))
  const node = { publicKey: '02' + 'ab'.repeat(32), alias: 'corp', network: 'simnet', uris: [], version: 'test' }
  // what a version-2 manager stored: no `fleet` anywhere
  const v2 = {
    version: 2,
    group: 'Supercell',
    createdAt: 1,
    members: {
      m_corp: { id: 'm_corp', chat: { platform: 'test', userId: 'corp', name: '@corp' }, status: 'active', requestedAt: 1, joinedAt: 2, agentKey: 'cd'.repeat(32), node, pairedAt: 3, rating: 100 },
      m_new: { id: 'm_new', chat: { platform: 'test', userId: 'new', name: '@new' }, status: 'requested', requestedAt: 4, rating: 100 }
    },
    pairings: [],
    allocations: {},
    directives: {},
    consensus: { baseFeeMsat: '1000', feeRatePpm: 100 },
    governance: {}
  }
  assert.equal(STATE_VERSION, 3)
  const json = join(dir, 'state.json')
  await writeFile(json, JSON.stringify(v2))
  const loaded = await new JsonFileStore<State>({ path: json, schema: StateSchema, version: STATE_VERSION, create: () => { throw new Error('exists') }, migrations: STATE_MIGRATIONS }).load()
  assert.equal(loaded.version, 3)
  assert.deepEqual(loaded.members.m_corp?.fleet, [])
  assert.deepEqual(loaded.members.m_new?.fleet, [])
  assert.deepEqual(loaded.members.m_corp?.node, node)

  // the SQLite store imports a version-2 state.json the same way, and keeps it at version 3
  const legacy = join(dir, 'legacy.json')
  await writeFile(legacy, JSON.stringify(v2))
  const sqlite = new SqliteStateStore({ path: join(dir, 'state.db'), legacyJsonPath: legacy, create: () => { throw new Error('exists') }, migrations: STATE_MIGRATIONS })
  const imported = await sqlite.load()
  assert.equal(imported.version, 3)
  assert.deepEqual(imported.members.m_corp?.fleet, [])
  sqlite.close()
})

test('moving sats between a member\'s own nodes: the payee node invoices, then the payer node pays; never another member\'s node', async () => {
  const { f, alice, corp, second } = await fleetStorm()
  const r = await f.manager.moveBetweenNodes(corp.actor, 40_000, 'corp', 'corp-2', 50)
  assert.ok(r.ok, JSON.stringify(r))
  const invoice = r.value.invoice
  // the invoice is asked of the payee node's stormd, not the member's first node
  assert.equal(invoice.agent, second.agentKey)
  assert.deepEqual(f.link.to(second.agentKey, 'directive').map(d => [d.kind, d.id]), [['create_invoice', invoice.directive.id]])
  assert.equal(f.link.to(corp.agentKey, 'directive').length, 0)
  // a result from the wrong stormd of the member does not count
  await f.fromAgent(corp.agentKey, 'result', { directive: invoice.directive.id, outcome: 'succeeded', detail: { request: 'lnsim1x' } })
  assert.equal(f.stored().directives[invoice.directive.id]?.status, 'sent')

  await f.fromAgent(second.agentKey, 'result', { directive: invoice.directive.id, outcome: 'succeeded', detail: { request: 'lnsim1invoice', paymentId: 'ab'.repeat(32), amount: 40_000 } })
  const pay = f.link.to(corp.agentKey, 'directive')
  assert.deepEqual(pay.map(d => d.kind), ['pay_invoice'], 'the payer node is told to pay it')
  assert.deepEqual(pay[0]!.kind === 'pay_invoice' && pay[0]!.params, { request: 'lnsim1invoice', payee: second.nodeKey, amount: 40_000, maxFee: 50 })

  // alice's node is not corp's: refused, nothing issued
  const before = Object.keys(f.stored().directives).length
  for (const [from, to, code] of [['corp', alice.nodeKey.slice(0, 12), 'NOT_YOUR_NODE'], ['alice', 'corp-2', 'NOT_YOUR_NODE'], ['corp', 'corp', 'SAME_NODE']] as const) {
    const bad = await f.manager.moveBetweenNodes(corp.actor, 40_000, from, to, 50)
    assert.equal(bad.ok ? '' : bad.error.code, code, `${from} → ${to}`)
  }
  assert.equal(Object.keys(f.stored().directives).length, before)
})
