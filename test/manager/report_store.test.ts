/**
 * Agents' latest reports on disk, written in groups. The manager takes a report once it is on
 * disk; reports that arrive together share one transaction and one fdatasync; a write that fails
 * is tried again and loses nothing; a later report of a node is never overwritten by an earlier
 * one; one report the disk refuses does not sink the others; a restarted manager knows the nodes
 * again, and a node that is no longer a member's is not brought back.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import crypto from 'hypercore-crypto'
import { GroupCommit, type BatchWriter } from '../../src/manager/state/group_commit.ts'
import { SqliteReportStore } from '../../src/manager/state/sqlite_report_store.ts'
import { SqliteStateStore } from '../../src/manager/state/sqlite_state_store.ts'
import { StormManager } from '../../src/manager/storm_manager.ts'
import { defaultRules } from '../../src/manager/rules.ts'
import { ManualClock } from '../../src/shared/clock.ts'
import { encode, MAX_TTL_MS, openEnvelope, seal } from '../../src/protocol/envelope.ts'
import { ReplayGuard } from '../../src/protocol/replay_guard.ts'
import { envelopeVerifies } from '../../src/protocol/history_entry.ts'
import { CountingAudit, CountingLink } from '../../bench/support/bench_manager.ts'
import { syntheticStorm } from '../../bench/support/synthetic_storm.ts'

/** A writer in memory whose transactions and fsyncs the test controls. */
class FakeWriter implements BatchWriter<string> {
  readonly disk = new Map<string, string>()
  readonly batches: string[][] = []
  failNext = 0
  refuse = new Set<string>()
  syncs = 0
  write (rows: ReadonlyArray<readonly [string, string]>): Array<readonly [string, unknown]> {
    if (this.failNext > 0) {
      this.failNext--
      throw new Error('disk full')
    }
    const refused: Array<readonly [string, unknown]> = []
    for (const [key, row] of rows) {
      if (this.refuse.has(row)) refused.push([key, new Error(`refused ${row}`)])
      else this.disk.set(key, row)
    }
    this.batches.push(rows.map(([, r]) => r))
    return refused
  }

  async durable (): Promise<void> { this.syncs++ }
}

const settle = (ms = 5): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))
/** Turns of the event loop until `done()` (at most 5 s). */
async function until (done: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000
  while (!done()) {
    if (Date.now() > deadline) throw new Error('until: timed out')
    await new Promise(resolve => setImmediate(resolve))
  }
}

test('reports that arrive together are written in one batch, and each is taken only once that batch is on disk', async () => {
  const w = new FakeWriter()
  let release!: () => void
  const onDisk = new Promise<void>(resolve => { release = resolve })
  w.durable = async () => { w.syncs++; await onDisk }
  const gc = new GroupCommit(w)
  let taken = 0
  const adds = ['alice', 'bob', 'carol'].map(k => gc.add(k, `${k}-1`).then(() => { taken++ }))
  await until(() => w.syncs === 1)
  await settle()
  assert.deepEqual(w.batches, [['alice-1', 'bob-1', 'carol-1']], 'one transaction for the three')
  assert.equal(taken, 0, 'written but not yet durable: nobody is told it is taken')
  release()
  await Promise.all(adds)
  assert.equal(taken, 3)
  assert.equal(w.syncs, 1, 'one fdatasync for the batch')
})

test('a batch that fails to commit is tried again and lost nowhere; a later report of the same node wins over it', async () => {
  const w = new FakeWriter()
  const errors: unknown[] = []
  const gc = new GroupCommit(w, { retryMs: 50, onError: e => errors.push(e) })
  w.failNext = 1
  let aliceTaken = false
  const alice1 = gc.add('alice', 'alice-1').then(() => { aliceTaken = true })
  const bob1 = gc.add('bob', 'bob-1')
  await until(() => errors.length === 1)
  assert.equal(errors.length, 1, 'the failure is told')
  assert.equal(aliceTaken, false, 'a report in a failed batch is not taken')
  assert.equal(w.disk.size, 0)
  // while the retry waits, alice reports again: her newer report must be the one kept
  const alice2 = gc.add('alice', 'alice-2')
  await Promise.all([alice1, bob1, alice2])
  assert.deepEqual(Object.fromEntries(w.disk), { alice: 'alice-2', bob: 'bob-1' })
  assert.deepEqual(w.batches, [['alice-2', 'bob-1']], 'the retry wrote the failed batch with alice\'s later report in her place')
})

test('a node\'s reports are written in the order they came: an earlier one never overwrites a later one', async () => {
  const w = new FakeWriter()
  const gc = new GroupCommit(w, { retryMs: 1 })
  const seen: string[] = []
  const write = w.write.bind(w)
  w.write = rows => { for (const [k, r] of rows) if (k === 'alice') seen.push(r); return write(rows) }
  const all: Array<Promise<void>> = []
  for (let i = 1; i <= 30; i++) {
    if (i % 7 === 0) w.failNext = 1
    all.push(gc.add('alice', `alice-${String(i).padStart(2, '0')}`))
    if (i % 3 === 0) await settle(2)
  }
  await Promise.all(all)
  assert.equal(w.disk.get('alice'), 'alice-30')
  assert.deepEqual(seen, [...seen].sort(), 'each write of alice\'s row is later than the one before')
})

test('a report the disk refuses on its own fails alone: the others of its batch are written and taken', async () => {
  const w = new FakeWriter()
  const gc = new GroupCommit(w)
  w.refuse.add('bob-bad')
  const results = await Promise.allSettled([gc.add('alice', 'alice-1'), gc.add('bob', 'bob-bad'), gc.add('carol', 'carol-1')])
  assert.deepEqual(results.map(r => r.status), ['fulfilled', 'rejected', 'fulfilled'])
  assert.match(String((results[1] as PromiseRejectedResult).reason), /refused bob-bad/)
  assert.deepEqual(Object.fromEntries(w.disk), { alice: 'alice-1', carol: 'carol-1' })
  assert.equal(w.batches.length, 1)
})

test('a report taken is on disk: a process killed right after still has it', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'storm-reports-crash-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  const child = spawnSync(process.execPath, [fileURLToPath(new URL('./support/report_crash_child.ts', import.meta.url)), dir], { encoding: 'utf8' })
  assert.equal(child.signal, 'SIGKILL', child.stderr)
  assert.equal(child.stdout, 'kept\n')
  const store = new SqliteReportStore({ path: join(dir, 'reports.db') })
  try {
    assert.deepEqual(store.stored().map(r => [r.key, r.receivedAt]), [['m1', 1000], ['m2', 1001], ['m3', 1002]])
  } finally {
    await store.close()
  }
})

test('a manager takes each report once it is on disk, as its agent signed it, and knows the nodes again after a restart', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'storm-reports-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  const syn = syntheticStorm({ members: 4, channelsPerMember: 2 })
  const start = async (): Promise<{ manager: StormManager, reports: SqliteReportStore, close: () => Promise<void> }> => {
    const store = new SqliteStateStore({ path: join(dir, 'state.db'), create: () => syn.state })
    const reports = new SqliteReportStore({ path: join(dir, 'reports.db') })
    const manager = new StormManager({
      store, audit: new CountingAudit(), link: new CountingLink(), clock: new ManualClock(syn.now), rules: defaultRules({ group: syn.state.group, visibility: 'public' }),
      managerKey: 'ab'.repeat(32), pairingKeyOf: () => 'cd'.repeat(32), verifySignature: () => false, reports
    })
    await manager.start()
    return { manager, reports, close: async () => { manager.stop(); await manager.whenIdle(); await reports.close(); store.close() } }
  }
  const first = await start()
  // the link's side: each agent's report sealed and opened as the link does
  const agent = crypto.keyPair(Buffer.alloc(32, 3))
  const to = 'ab'.repeat(32)
  const replay = new ReplayGuard()
  const taken: string[] = []
  await Promise.all(syn.members.slice(0, 3).map(async (m, i) => {
    const opened = openEnvelope(encode(seal(agent, { type: 'report', body: syn.reportOf(i), to, seq: i + 1, now: syn.now, ttlMs: MAX_TTL_MS })), { now: syn.now, self: to, replay })
    assert.ok(opened.ok)
    await first.manager.onMessage(m.agentKey, opened.value, 'member', opened.envelope)
    taken.push(m.id)
  }))
  assert.equal(taken.length, 3)
  assert.equal(first.reports.counts.batches, 1, 'the three reports of one turn: one transaction')
  const stored = first.reports.stored()
  assert.deepEqual(stored.map(r => r.member).sort(), syn.members.slice(0, 3).map(m => m.id).sort())
  // the fourth member reports without an envelope (a caller that has none): stored as JSON
  await first.manager.onMessage(syn.members[3]!.agentKey, { type: 'report', id: 'r4', from: syn.members[3]!.agentKey, body: syn.reportOf(3) }, 'member')
  await first.close()

  // the envelope kept is the one the agent signed: it still verifies, and says what was observed
  const db = new SqliteReportStore({ path: join(dir, 'reports.db') })
  const rows = (db as unknown as { stored: () => unknown[] }).stored()
  assert.equal(rows.length, 4)
  await db.close()
  const { DatabaseSync } = await import('node:sqlite')
  const raw = new DatabaseSync(join(dir, 'reports.db'), { readOnly: true })
  const signed = raw.prepare('SELECT signed, sig FROM reports WHERE signed IS NOT NULL').all()
  raw.close()
  assert.equal(signed.length, 3)
  for (const r of signed) assert.ok(envelopeVerifies({ v: 2, signed: r.signed, sig: r.sig }), 'a stored report verifies by its agent\'s key')

  // the fourth member leaves while the manager is down: its report is not brought back
  const state = new SqliteStateStore({ path: join(dir, 'state.db'), create: () => { throw new Error('exists') } })
  const s = await state.load()
  s.members[syn.members[3]!.id]!.status = 'left'
  await state.save(s, [])
  state.close()

  const second = await start()
  t.after(() => second.close())
  for (let i = 0; i < 3; i++) {
    const o = second.manager.observations.get(syn.members[i]!.id)
    assert.deepEqual(o.report, syn.reportOf(i), `member ${i}'s report is known again at once`)
    assert.equal(o.reportReceivedAt, syn.now, 'as received then')
    assert.equal(o.connectedSince, undefined, 'nothing says the agent is connected now')
  }
  assert.equal(second.manager.observations.get(syn.members[3]!.id).report, undefined, 'a member who left is not brought back')
})

test('the flow history\'s set of Storm nodes is not rebuilt by a report, and is once a member changed', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'storm-nodes-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  const syn = syntheticStorm({ members: 3, channelsPerMember: 1 })
  const store = new SqliteStateStore({ path: join(dir, 'state.db'), create: () => syn.state })
  const manager = new StormManager({
    store, audit: new CountingAudit(), link: new CountingLink(), clock: new ManualClock(syn.now), rules: defaultRules({ group: syn.state.group, visibility: 'public' }),
    managerKey: 'ab'.repeat(32), pairingKeyOf: () => 'cd'.repeat(32), verifySignature: () => false
  })
  await manager.start()
  t.after(() => { manager.stop(); store.close() })
  const nodes = () => manager.stormNodeKeys()
  const first = nodes()
  assert.equal(first.size, 3)
  // a report changes nothing stored: the same set, not rebuilt
  await manager.onMessage(syn.members[0]!.agentKey, { type: 'report', id: 'r1', from: syn.members[0]!.agentKey, body: syn.reportOf(0) }, 'member')
  assert.equal(nodes(), first)
  // a member asks to leave (a stored change): the set is built again from the state as it is now
  const carol = syn.state.members[syn.members[2]!.id]!
  const left = await manager.disconnect({ kind: 'chat', platform: carol.chat.platform, userId: carol.chat.userId, name: 'carol', isAdmin: false })
  assert.ok(left.ok)
  await manager.whenIdle()
  const after = nodes()
  assert.notEqual(after, first)
  const { stormNodes } = await import('../../src/manager/queries/read_source.ts')
  assert.deepEqual([...after].sort(), [...stormNodes(manager.state).keys()].sort(), 'rebuilt from the state as it is now')
})
