/**
 * Is a channel's peer a Storm node? Every report asks (the flow history, the fee check). The
 * manager answers from an index kept from the members written, not from a scan of every member
 * per report (at 3,000 members that scan made each report cost ~20 ms and starved members'
 * commands). What must hold: at every step — members joining and pairing, a second node of a
 * fleet, a member leaving, a state loaded again (a rollback) — the index says exactly what
 * a scan of the state says; and a report that changes no member costs no rebuild.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ManagerFixture } from '../support/manager_fixture.ts'
import { SqliteStateStore } from '../../src/manager/state/sqlite_state_store.ts'
import { StormNodeIndex } from '../../src/manager/members/storm_node_index.ts'
import { stormNodes } from '../../src/manager/queries/read_source.ts'
import type { State } from '../../src/manager/state/schema.ts'
import { roster } from '../../src/manager/members/roster.ts'
import { rosterDigest } from '../../src/protocol/roster_digest.ts'

async function onSqlite (t: { after: (fn: () => Promise<void> | void) => void }): Promise<{ f: ManagerFixture, store: SqliteStateStore }> {
  const dir = await mkdtemp(join(tmpdir(), 'storm-nodes-'))
  let store: SqliteStateStore | null = null
  const f = await ManagerFixture.start({}, { store: (create) => (store = new SqliteStateStore({ path: join(dir, 'state.db'), create })) })
  t.after(async () => { store!.close(); await rm(dir, { recursive: true, force: true }) })
  return { f, store: store! }
}

const scanned = (state: State): string[] => [...stormNodes(state).keys()].sort()
const indexed = (f: ManagerFixture): string[] => [...f.manager.stormNodeKeys()].sort()

test('members join, pair a second node and leave: the Storm\'s nodes are what a scan of the members says, at every step', async (t) => {
  const { f } = await onSqlite(t)
  const check = (step: string): void => {
    assert.deepEqual(indexed(f), scanned(f.manager.state), step)
    // the digest an agent's hello is compared with: the roster's, as the manager sends it
    assert.equal(new StormNodeIndex().rosterDigest(f.manager.state), rosterDigest(roster(f.manager).members.map(m => m.node)), `${step}: roster digest`)
  }
  check('no member yet')
  const alice = await f.joinAndPair('alice')
  check('alice paired')
  assert.ok(f.manager.stormNodeKeys().has(alice.nodeKey))
  const bob = await f.joinAndPair('bob')
  check('bob paired')
  const second = await f.pairNode(bob.actor, 'bob-2', 'Z'.charCodeAt(0))
  check('bob\'s second node joined his fleet')
  assert.ok(f.manager.stormNodeKeys().has(second.nodeKey))
  const left = await f.manager.disconnect(alice.actor)
  assert.ok(left.ok, JSON.stringify(left))
  check('alice leaves')
  // bob's agent says hello holding the current roster: not sent again; holding an old one: sent
  const sends = (): number => f.link.to(bob.agentKey, 'roster').length
  const hello = (digest: string) => ({ agentVersion: 'test', node: f.manager.state.members[bob.id]!.node!, finished: [], rosterDigest: digest })
  const before = sends()
  await f.fromAgent(bob.agentKey, 'hello', hello(rosterDigest(roster(f.manager).members.map(m => m.node))))
  assert.equal(sends(), before, 'a hello with the current roster gets none')
  await f.fromAgent(bob.agentKey, 'hello', hello(rosterDigest([bob.nodeKey])))
  assert.equal(sends(), before + 1, 'a hello with an old roster gets the current one')
})

test('a report that changes no member costs no rebuild: the same set answers the next report', async (t) => {
  const { f } = await onSqlite(t)
  const alice = await f.joinAndPair('alice')
  const before = f.manager.stormNodeKeys()
  await f.report(alice.agentKey, 4_000_000)
  await f.fromAgent(alice.agentKey, 'heartbeat', { at: f.clock.now(), health: { healthy: true, blockHeight: 101 } })
  assert.equal(f.manager.stormNodeKeys(), before, 'not rebuilt')
  await f.joinAndPair('bob')
  assert.notEqual(f.manager.stormNodeKeys(), before, 'a member who pairs changes the set')
})

test('without a store that says what changed, the index scans on every read (never stale)', () => {
  const index = new StormNodeIndex()
  const member = (status: string, key: string): unknown => ({ status, node: { publicKey: key } })
  const state = { members: { a: member('active', 'k1'), b: member('pending', 'k2') } } as unknown as State
  assert.ok(index.has(state, 'k1'))
  assert.ok(!index.has(state, 'k2'))
  ;(state.members.b as { status: string }).status = 'active'
  assert.ok(index.has(state, 'k2'), 'a change nobody told the index about is still seen')
})

test('told of the members written, the index looks at those only; a state loaded again (a rollback) is scanned afresh', () => {
  const index = new StormNodeIndex()
  index.watched()
  const member = (status: string, key: string): unknown => ({ status, node: { publicKey: key } })
  const state = { members: { a: member('active', 'k1'), b: member('pending', 'k2') } } as unknown as State
  assert.deepEqual([...index.keys(state)], ['k1'])
  ;(state.members.b as { status: string }).status = 'active'
  index.changed('b')
  assert.deepEqual([...index.keys(state)].sort(), ['k1', 'k2'], 'b, written, is looked at again')
  delete (state.members as Record<string, unknown>).a
  index.changed('a')
  assert.deepEqual([...index.keys(state)], ['k2'], 'a, removed, is gone')
  const reloaded = { members: { a: member('active', 'k1') } } as unknown as State
  assert.deepEqual([...index.keys(reloaded)], ['k1'], 'another members record: rebuilt from it')
})
