/**
 * Governance in the state database as records (layout 2): a database written by today's manager
 * (layout 1, governance inside the state row) is migrated on load — backed up first, loaded
 * unchanged, rewritten with one row per proposal and per vote; from then on a vote costs one row,
 * a new proposal its own rows, a removed proposal leaves for the archive with its votes (and no
 * other proposal's); a vote whose proposal is missing is a damaged database.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { copyFile, mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { DB_LAYOUT_VERSION, SqliteStateStore } from '../../src/manager/state/sqlite_state_store.ts'
import { StormError } from '../../src/shared/errors.ts'
import { STATE_MIGRATIONS, type State } from '../../src/manager/state/schema.ts'

const FIXTURE = new URL('../fixtures/state_layout1.db', import.meta.url)
const AT = Date.UTC(2026, 10, 1)

async function migrated (t: { after: (fn: () => Promise<void>) => void }): Promise<{ path: string, store: SqliteStateStore, state: State }> {
  const dir = await mkdtemp(join(tmpdir(), 'storm-gov-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  const path = join(dir, 'state.db')
  await copyFile(FIXTURE, path)
  const store = new SqliteStateStore({ path, create: () => { throw new Error('the database exists') }, now: () => AT + 10, migrations: STATE_MIGRATIONS })
  t.after(async () => { store.close() })
  return { path, store, state: await store.load() }
}

function rows (path: string): Array<[string, string]> {
  const db = new DatabaseSync(path, { readOnly: true })
  try {
    return db.prepare("SELECT kind, id FROM records WHERE kind IN ('proposals', 'votes') ORDER BY kind, id").all().map(r => [String(r.kind), String(r.id)])
  } finally {
    db.close()
  }
}

function layoutOf (path: string): number {
  const db = new DatabaseSync(path, { readOnly: true })
  try { return Number(db.prepare('PRAGMA user_version').get()?.user_version) } finally { db.close() }
}

async function reloaded (path: string): Promise<State> {
  const s = new SqliteStateStore({ path, create: () => { throw new Error('exists') } })
  try { return JSON.parse(JSON.stringify(await s.load())) as State } finally { s.close() }
}

test('a database written by today\'s manager (governance in the state row) is backed up, loaded unchanged and rewritten one row per proposal and vote', async (t) => {
  assert.equal(layoutOf(new URL(FIXTURE).pathname), 1, 'the fixture is layout 1')
  const { path, state } = await migrated(t)
  assert.equal(DB_LAYOUT_VERSION, 2)
  assert.equal(layoutOf(path), 2)
  const f1 = state.governance.proposals.f1!
  assert.deepEqual(JSON.parse(JSON.stringify(f1.votes)), { alice: { baseFeeMsat: '1000', feeRatePpm: 100, at: AT + 1 }, bob: { baseFeeMsat: '0', feeRatePpm: 250, at: AT + 2 } })
  assert.deepEqual(f1.stakes, { alice: 2_000_000, bob: 1_000_000, carol: 500_000 })
  assert.equal(state.governance.proposals.b1?.kind, 'ban')
  assert.deepEqual(state.governance.alerts, { carol: { warnedAt: AT } })
  assert.deepEqual(rows(path), [['proposals', 'b1'], ['proposals', 'f1'], ['votes', 'b1/alice'], ['votes', 'f1/alice'], ['votes', 'f1/bob']])
  const backups = await readdir(join(path, '..', 'backups'))
  assert.equal(backups.filter(b => b.endsWith('.db')).length, 1, 'the old file is kept in backups/')
  // a fresh process loads the same state from the new rows
  assert.deepEqual(await reloaded(path), JSON.parse(JSON.stringify(state)))
})

test('a vote costs one row; a new proposal its own rows, and its next vote one', async (t) => {
  const { path, store, state } = await migrated(t)
  state.governance.proposals.f1!.votes.carol = { baseFeeMsat: '500', feeRatePpm: 50, at: AT + 20 }
  await store.save(state)
  assert.equal(store.lastSaveRows, 1, 'the vote, not the proposal nor the state row')
  state.governance.proposals.f2 = { id: 'f2', kind: 'fee', openedAt: AT + 30, deadline: AT + 90_000_000, status: 'open', stakes: { alice: 1, bob: 2 }, votes: { alice: { baseFeeMsat: '1', feeRatePpm: 1, at: AT + 30 } } }
  await store.save(state)
  assert.equal(store.lastSaveRows, 3, 'the old votes cleared (none), the proposal, its vote')
  state.governance.proposals.f2!.votes.bob = { baseFeeMsat: '2', feeRatePpm: 2, at: AT + 31 }
  await store.save(state)
  assert.equal(store.lastSaveRows, 1)
  const again = await reloaded(path)
  assert.deepEqual(Object.keys(again.governance.proposals.f1!.votes).sort(), ['alice', 'bob', 'carol'])
  assert.deepEqual(again.governance.proposals.f2?.votes.bob, { baseFeeMsat: '2', feeRatePpm: 2, at: AT + 31 })
})

test('a removed proposal leaves for the archive with its votes, and no other proposal\'s votes go with it', async (t) => {
  const { path, store, state } = await migrated(t)
  // ids may hold `_`, which SQL's LIKE would take for any character
  for (const id of ['a_b', 'aXb']) {
    state.governance.proposals[id] = { id, kind: 'fee', openedAt: AT, deadline: AT + 1, status: 'open', stakes: { alice: 1 }, votes: { alice: { baseFeeMsat: '1', feeRatePpm: 1, at: AT } } }
  }
  await store.save(state)
  delete state.governance.proposals.a_b
  await store.save(state)
  assert.deepEqual(rows(path).filter(([, id]) => id.startsWith('a')), [['proposals', 'aXb'], ['votes', 'aXb/alice']])
  assert.deepEqual(store.archived('proposals').map(a => a.id), ['a_b'])
  assert.deepEqual(store.archived('votes').map(a => a.id), ['a_b/alice'])
  assert.equal((await reloaded(path)).governance.proposals.a_b, undefined)
})

test('a vote whose proposal is missing is a damaged database: the start stops, nothing is written', async (t) => {
  const { path, store } = await migrated(t)
  store.close()
  const db = new DatabaseSync(path)
  db.exec("DELETE FROM records WHERE kind = 'proposals' AND id = 'f1'")
  db.close()
  const s = new SqliteStateStore({ path, create: () => { throw new Error('exists') } })
  await assert.rejects(s.load(), (e: unknown) => e instanceof StormError && e.code === 'STORE_CORRUPT' && /a vote \(f1\/alice\) without its proposal/.test(String(e.params.reason)))
  s.close()
})
