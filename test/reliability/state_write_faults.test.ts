/**
 * A state write that fails (disk full) or is torn (the process killed mid-write): stormd never
 * acts on a step it could not store, a manager command whose save failed changes and sends
 * nothing, and a start after a torn write loads the last whole state. Nothing is lost silently.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile, readdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runnerHarness } from '../agent/runner_harness.ts'
import { openChannel } from '../agent/helpers.ts'
import { ManagerFixture } from '../support/manager_fixture.ts'
import { SqliteStateStore } from '../../src/manager/state/sqlite_state_store.ts'
import { JsonFileStore } from '../../src/shared/json_store.ts'
import { AgentStateSchema, AGENT_STATE_VERSION, emptyAgentState, type AgentState } from '../../src/agent/agent_state.ts'

const diskFull = (): Error => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })

async function tmp (t: { after: (fn: () => Promise<void>) => void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'storm-faults-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  return dir
}

test('stormd cannot store "executing" (disk full): the node is not asked, the approval fails loudly, and after a restart the channel opens once', async () => {
  const h = await runnerHarness({ requireApproval: 'open_channel' })
  const d = openChannel(h.clock.now(), h.bob.publicKey, 500_000)
  await h.runner.receive(d)
  assert.equal(h.saved(d.id)?.status, 'awaiting_approval')
  const save = h.store.save.bind(h.store)
  h.store.save = async (s: AgentState) => {
    if (s.directives[d.id]?.status === 'executing') throw diskFull()
    return save(s)
  }
  await assert.rejects(h.approve(d.id), /ENOSPC/)
  assert.deepEqual(await h.me.getPendingChannels(), [], 'nothing done on the node that stormd could not record')
  assert.equal(h.saved(d.id)?.status, 'approved', 'what is stored is the last step that was stored whole')
  // the disk has room again; stormd restarts from its file and runs the approved directive, once
  h.store.save = save
  await h.restart()
  await h.runner.recover()
  assert.equal(h.saved(d.id)?.status, 'succeeded')
  assert.equal((await h.me.getPendingChannels()).length, 1, 'one channel, not two')
})

test('stormd cannot store "executing" while it runs: it says so (log, owner notice, unhealthy heartbeat), keeps the directive approved, and runs it once as soon as the disk has room, without a restart', async () => {
  const h = await runnerHarness({ requireApproval: 'open_channel' })
  const d = openChannel(h.clock.now(), h.bob.publicKey, 500_000)
  await h.runner.receive(d)
  const save = h.store.save.bind(h.store)
  let full = true
  h.store.save = async (s: AgentState) => {
    if (full && s.directives[d.id]?.status === 'executing') throw diskFull()
    return save(s)
  }
  await assert.rejects(h.approve(d.id), /ENOSPC/)
  assert.deepEqual(h.notices.filter(n => n.type === 'save_failed').map(n => n.directive.directive.id), [d.id], 'the owner is told')
  assert.equal(h.runner.saveFailing, true, 'the heartbeat reports STATE_SAVE_FAILED while no save goes through')
  assert.equal(h.state.directives[d.id]?.status, 'approved', 'not left "executing" in memory with nothing running it')
  assert.equal(h.runner.hasWaiting(), true, 'the next heartbeat tries it again')
  assert.deepEqual(await h.me.getPendingChannels(), [])
  // the next heartbeat, disk still full: stored state is fine, the step is tried again and refused again
  assert.equal(await h.runner.saveAgain(), true)
  await assert.rejects(h.runner.resume(), /ENOSPC/)
  assert.equal(h.notices.filter(n => n.type === 'save_failed').length, 2, 'each failed try is told')
  assert.deepEqual(await h.me.getPendingChannels(), [], 'still nothing done that could not be recorded')
  // the disk has room again: the next heartbeat runs it, once
  full = false
  await h.runner.saveAgain()
  await h.runner.resume()
  assert.equal(h.runner.saveFailing, false)
  assert.equal(h.saved(d.id)?.status, 'succeeded')
  assert.equal(h.saved(d.id)?.unacked, true, 'its result is sent until the manager acknowledges it')
  assert.equal((await h.me.getPendingChannels()).length, 1, 'one channel')
  assert.ok(h.drain().some(m => m.type === 'result' && m.body.directive === d.id && m.body.outcome === 'succeeded'))
  await h.runner.resume()
  assert.equal((await h.me.getPendingChannels()).length, 1, 'not two')
})

test('stormd killed mid-save leaves a torn temporary file: the next start loads the last whole state, pairing and ledger kept', async (t) => {
  const dir = await tmp(t)
  const path = join(dir, 'state.json')
  const open = (): JsonFileStore<AgentState> => new JsonFileStore<AgentState>({ path, schema: AgentStateSchema, version: AGENT_STATE_VERSION, create: emptyAgentState })
  const whole: AgentState = {
    ...emptyAgentState(),
    pairing: { managerKey: 'ab'.repeat(32), memberId: 'm1', group: 'Supercell', node: '02' + 'cd'.repeat(32), pairedAt: 1 },
    ledger: [{ at: 2, kind: 'open', amount: 500_000, fee: 0 }]
  }
  await open().save(whole)
  // the next save was cut off halfway through its temporary file (kill -9 before the rename)
  const torn = JSON.stringify({ ...whole, ledger: [...whole.ledger, { at: 3, kind: 'open', amount: 250_000, fee: 0 }] })
  await writeFile(join(dir, '.state.json.99999.tmp'), torn.slice(0, torn.length / 2))
  const loaded = await open().load()
  assert.deepEqual(loaded.pairing, whole.pairing)
  assert.deepEqual(loaded.ledger, whole.ledger)
  // and the next save still goes through whole
  await open().save({ ...loaded, ledger: [] })
  assert.deepEqual((await open().load()).ledger, [])
  assert.ok((await readdir(dir)).includes('state.json'))
})

test('the manager cannot store an /addfunds (disk full): the member gets the error, nothing is planned, sent or recorded; asked again, it is planned once', async (t) => {
  const dir = await tmp(t)
  const path = join(dir, 'state.db')
  let store!: SqliteStateStore
  const f = await ManagerFixture.start({}, { store: (create) => (store = new SqliteStateStore({ path, create })) })
  t.after(() => store.close())
  await f.joinAndPair('alice')
  await f.joinAndPair('bob')
  const you = await f.joinAndPair('you')
  const sentBefore = f.link.sent.length
  const historyBefore = f.audit.entries.length
  const save = store.save.bind(store)
  store.save = async () => { throw diskFull() }
  await assert.rejects(f.manager.addFunds(you.actor, 1_000_000), /ENOSPC/)
  assert.deepEqual(Object.keys(f.manager.state.allocations), [], 'nothing planned in memory')
  assert.equal(f.link.sent.length, sentBefore, 'no directive sent')
  assert.equal(f.audit.entries.length, historyBefore, 'nothing in the history')
  store.save = save
  const r = await f.manager.addFunds(you.actor, 1_000_000)
  assert.ok(r.ok)
  assert.equal(Object.keys(f.manager.state.allocations).length, 1)
  // a fresh process reads exactly one allocation from the database
  const again = new SqliteStateStore({ path, create: () => { throw new Error('the database should exist') } })
  try {
    assert.deepEqual(Object.keys((await again.load()).allocations), [r.value.allocation.id])
  } finally {
    again.close()
  }
})
