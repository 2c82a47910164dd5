/**
 * The manager's state in SQLite, one row per record: after every command and every report, what
 * a fresh process would load is exactly what the manager holds; a save writes what the use case
 * changed, not the Storm; finished work leaves the live state for the archive after a week; a
 * use case that throws leaves the manager on what was stored; a damaged database stops the start
 * and is not written to; a state written by today's manager (state.json) is imported unchanged.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, readFile, readdir, rm, writeFile, copyFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { ManagerFixture, agentFunds, channelReport } from '../support/manager_fixture.ts'
import { SqliteStateStore } from '../../src/manager/state/sqlite_state_store.ts'
import { StormError } from '../../src/shared/errors.ts'
import type { State } from '../../src/manager/state/schema.ts'
import { STATE_MIGRATIONS, STATE_VERSION } from '../../src/manager/state/schema.ts'
import { emptyGovernance } from '../../src/manager/governance/schema.ts'
import { freshState } from '../../src/manager/storm_manager.ts'
import { defaultRules } from '../../src/manager/rules.ts'

const FIXTURE = new URL('../fixtures/state_v1.json', import.meta.url)

async function tmp (t: { after: (fn: () => Promise<void>) => void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'storm-records-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  return dir
}

/** What a fresh process loads from the database, as plain JSON. */
async function reloaded (path: string): Promise<unknown> {
  const s = new SqliteStateStore({ path, create: () => { throw new Error('the database should exist') } })
  try {
    return JSON.parse(JSON.stringify(await s.load()))
  } finally {
    s.close()
  }
}

const plain = (state: State): unknown => JSON.parse(JSON.stringify(state))

/** A manager on a SQLite store in `dir`. */
async function onSqlite (dir: string): Promise<{ f: ManagerFixture, store: SqliteStateStore, path: string }> {
  const path = join(dir, 'state.db')
  let store: SqliteStateStore | null = null
  const f = await ManagerFixture.start({}, { store: (create) => (store = new SqliteStateStore({ path, create })) })
  return { f, store: store!, path }
}

test('after every command and report, a fresh process loads exactly what the manager holds', async (t) => {
  const { f, store, path } = await onSqlite(await tmp(t))
  t.after(() => store.close())
  const check = async (step: string): Promise<void> => assert.deepEqual(await reloaded(path), plain(f.manager.state), step)
  await f.joinAndPair('alice')
  await f.joinAndPair('bob')
  await f.joinAndPair('carol')
  const you = await f.joinAndPair('you')
  await check('four members joined and paired')
  const r = await f.manager.addFunds(you.actor, 1_500_000)
  assert.ok(r.ok)
  await check('addfunds planned')
  await f.manager.decide(you.actor, 'all', 'approve')
  await check('approved')
  const points = await agentFunds(f, you, r.value.channels)
  await check('channels opening')
  await f.report(you.agentKey, 3_000_000, r.value.channels.map((c, i) => channelReport(points[i]!, c.peer, c.capacity, c.capacity, true, i < 2)))
  await check('two channels open')
  await f.manager.setLanguage(you.actor, 'es')
  await check('a language set')
  assert.equal(f.manager.state.allocations[r.value.allocation.id]!.status, 'funding')
})

test('a report that opens one channel writes that allocation, not the Storm', async (t) => {
  const { f, store } = await onSqlite(await tmp(t))
  t.after(() => store.close())
  // agents' keys come from the first letter of the name: thirty different letters
  for (let i = 0; i < 30; i++) await f.joinAndPair(String.fromCharCode(65 + i) + 'member')
  const you = await f.joinAndPair('you')
  const r = await f.manager.addFunds(you.actor, 1_500_000)
  assert.ok(r.ok)
  await f.manager.decide(you.actor, 'all', 'approve')
  const points = await agentFunds(f, you, r.value.channels)
  await f.report(you.agentKey, 3_000_000, r.value.channels.map((c, i) => channelReport(points[i]!, c.peer, c.capacity, c.capacity, true, i < 1)))
  assert.equal(f.manager.state.allocations[r.value.allocation.id]!.channels[0]!.state, 'open')
  assert.equal(store.lastSaveRows, 1, 'one row: the allocation whose channel opened')
  // a language change writes the member, nothing else
  await f.manager.setLanguage(you.actor, 'es')
  assert.equal(store.lastSaveRows, 1)
})

test('a week after an addfunds finished, it leaves the live state for the archive; unfinished work stays', async (t) => {
  const { f, store, path } = await onSqlite(await tmp(t))
  t.after(() => store.close())
  await f.joinAndPair('alice')
  await f.joinAndPair('bob')
  await f.joinAndPair('carol')
  const you = await f.joinAndPair('you')
  const done = await f.manager.addFunds(you.actor, 1_500_000)
  assert.ok(done.ok)
  await f.manager.decide(you.actor, 'all', 'approve')
  const points = await agentFunds(f, you, done.value.channels)
  await f.report(you.agentKey, 3_000_000, done.value.channels.map((c, i) => channelReport(points[i]!, c.peer, c.capacity, c.capacity, true, true)))
  assert.equal(f.manager.state.allocations[done.value.allocation.id]!.status, 'done')
  // bob's request waits for his approval: unfinished, it must stay whatever its age
  const bob = { ...f.chatActor('bob') }
  const waiting = await f.manager.addFunds(bob, 1_000_000)
  assert.ok(waiting.ok)

  f.clock.advance(6 * 86_400_000)
  await f.manager.whenIdle()
  assert.ok(f.manager.state.allocations[done.value.allocation.id], 'six days on, still in the live state')

  f.clock.advance(2 * 86_400_000)
  await f.manager.whenIdle()
  assert.equal(f.manager.state.allocations[done.value.allocation.id], undefined, 'eight days on, gone from the live state')
  for (const c of done.value.channels) assert.equal(f.manager.state.directives[c.directive], undefined)
  const live = await reloaded(path) as State
  assert.equal(live.allocations[done.value.allocation.id], undefined, 'and from what a restart loads')
  assert.ok(live.allocations[waiting.value.allocation.id], 'the unfinished request stays')
  // not lost: in the archive, as it finished
  const archived = store.archived('allocations')
  assert.deepEqual(archived.map(a => a.id), [done.value.allocation.id])
  assert.equal((archived[0]!.record as { status: string }).status, 'done')
  assert.equal(store.archived('directives').length, new Set(done.value.channels.map(c => c.directive)).size)
  assert.ok(f.audit.entries.some(e => e.event === 'finished_archived'))
})

test('a use case that throws halfway leaves the manager, and the database, on what was stored', async (t) => {
  const { f, store, path } = await onSqlite(await tmp(t))
  t.after(() => store.close())
  const you = await f.joinAndPair('you')
  const before = plain(f.manager.state)
  await assert.rejects(f.manager.onMessage(you.agentKey, { type: 'report', id: 'x', from: you.agentKey, body: { at: 1, health: { healthy: true }, balance: { confirmed: 1, unconfirmed: 0 }, channels: null as never, pending: [] } }, 'member'))
  assert.deepEqual(plain(f.manager.state), before)
  assert.deepEqual(await reloaded(path), before)
  // and it goes on storing what changes
  await f.manager.setLanguage(you.actor, 'es')
  assert.equal((await reloaded(path) as State).members[you.id]!.lang, 'es')
})

test('a state written by today\'s manager (state.json, version 1) is imported unchanged, and the old file kept as a backup', async (t) => {
  const dir = await tmp(t)
  const json = join(dir, 'state.json')
  await copyFile(FIXTURE, json)
  const original = JSON.parse(await readFile(json, 'utf8'))
  const store = new SqliteStateStore({ path: join(dir, 'state.db'), legacyJsonPath: json, create: () => { throw new Error('must import, not create') }, now: () => Date.UTC(2026, 5, 1), migrations: STATE_MIGRATIONS })
  t.after(() => store.close())
  const state = await store.load()
  // version 1 → 2 adds the governance section, empty; 2 → 3 the planned downtimes (none) and an empty fleet to each member; nothing else changes
  const members = Object.fromEntries(Object.entries(original.members as Record<string, object>).map(([id, m]) => [id, { ...m, fleet: [] }]))
  const migrated = { ...original, version: STATE_VERSION, governance: emptyGovernance(), downtimes: {}, members }
  assert.deepEqual(plain(state), migrated)
  assert.equal(existsSync(json), false, 'the JSON file no longer competes with the database')
  const kept = await readdir(join(dir, 'backups'))
  assert.deepEqual(kept, ['state-2026-06-01T00-00-00-000Z.json'])
  assert.deepEqual(JSON.parse(await readFile(join(dir, 'backups', kept[0]!), 'utf8')), original, 'kept byte for byte')
  store.close()
  assert.deepEqual(await reloaded(join(dir, 'state.db')), migrated, 'a restart loads the database')
})

test('a damaged state.json is not imported: the start stops and nothing is created', async (t) => {
  const dir = await tmp(t)
  const json = join(dir, 'state.json')
  await writeFile(json, 'null')
  const store = new SqliteStateStore({ path: join(dir, 'state.db'), legacyJsonPath: json, create: () => freshState(defaultRules({ group: 'x' }), 1) })
  await assert.rejects(store.load(), (e: unknown) => e instanceof StormError && e.code === 'STORE_CORRUPT' && e.params.path === json)
  assert.deepEqual(await readdir(dir), ['state.json'])
  assert.equal(await readFile(json, 'utf8'), 'null')
})

test('a damaged database stops the start, names itself and its newest backup, and is not written to', async (t) => {
  const good = async (dir: string): Promise<string> => {
    const path = join(dir, 'state.db')
    const s = new SqliteStateStore({ path, create: () => freshState(defaultRules({ group: 'Supercell' }), 1) })
    await s.load()
    await s.backup(Date.UTC(2026, 5, 1))
    s.close()
    return path
  }
  const cases: Array<{ description: string, damage: (path: string) => Promise<void>, code: string, reason?: RegExp }> = [
    { description: 'an empty file', damage: p => writeFile(p, ''), code: 'STORE_CORRUPT', reason: /empty/ },
    { description: 'not SQLite', damage: p => writeFile(p, 'null'), code: 'STORE_CORRUPT' },
    {
      description: 'a SQLite file without Storm\'s tables',
      damage: async p => { await rm(p); const db = new DatabaseSync(p); db.exec('CREATE TABLE x (y)'); db.close() },
      code: 'STORE_CORRUPT',
      reason: /tables/
    },
    { description: 'a newer layout', damage: async p => { const db = new DatabaseSync(p); db.exec('PRAGMA user_version = 9'); db.close() }, code: 'STORE_TOO_NEW' },
    { description: 'a newer state version', damage: async p => sql(p, "UPDATE meta SET value = json_set(value, '$.version', 7) WHERE key = 'doc'"), code: 'STORE_TOO_NEW' },
    { description: 'the state row null', damage: async p => sql(p, "UPDATE meta SET value = 'null' WHERE key = 'doc'"), code: 'STORE_CORRUPT', reason: /not an object/ },
    { description: 'a record that is not JSON', damage: async p => sql(p, "INSERT INTO records VALUES ('members', 'abc', '{oops')"), code: 'STORE_CORRUPT', reason: /members\.abc/ },
    { description: 'a record of the wrong shape', damage: async p => sql(p, "INSERT INTO records VALUES ('members', 'abc', '{\"id\": 5}')"), code: 'STORE_CORRUPT', reason: /members/ }
  ]
  for (const c of cases) {
    await t.test(c.description, async (t) => {
      const dir = await tmp(t)
      const path = await good(dir)
      await c.damage(path)
      const before = await readFile(path)
      const backups = await readdir(join(dir, 'backups'))
      const store = new SqliteStateStore({ path, create: () => { throw new Error('must not start afresh') } })
      await assert.rejects(store.load(), (e: unknown) => {
        assert.ok(e instanceof StormError, String(e))
        assert.equal(e.code, c.code)
        assert.equal(e.params.path, path)
        assert.equal(e.params.latest, join(dir, 'backups', backups[0]!))
        if (c.reason !== undefined) assert.match(String(e.params.reason), c.reason)
        return true
      })
      assert.deepEqual(await readFile(path), before, 'not written to')
      assert.deepEqual((await readdir(dir)).sort(), ['backups', 'state.db'], `no journal, no new file: ${(await readdir(dir)).join(' ')}`)
    })
  }
})

test('a backup is a whole database a restore starts from', async (t) => {
  const { f, store, path } = await onSqlite(await tmp(t))
  t.after(() => store.close())
  const you = await f.joinAndPair('you')
  const backup = await store.backup(f.clock.now())
  assert.ok(backup !== null)
  await f.manager.setLanguage(you.actor, 'es')
  const restored = await reloaded(backup) as State
  assert.equal(restored.members[you.id]!.lang, undefined, 'the backup is the state when it was taken')
  assert.equal((await reloaded(path) as State).members[you.id]!.lang, 'es')
})

function sql (path: string, statement: string): void {
  const db = new DatabaseSync(path)
  db.exec(statement)
  db.close()
}
