/**
 * The manager's commits are made durable off the event loop: `save` resolves only after an
 * fdatasync of the WAL that started after its commit; commits that wait together share one; and
 * a second process sees every saved change (the WAL is the database's).
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { SqliteStateStore } from '../../src/manager/state/sqlite_state_store.ts'
import { WalSync } from '../../src/manager/state/wal_sync.ts'
import { freshState } from '../../src/manager/storm_manager.ts'
import { defaultRules } from '../../src/manager/rules.ts'

async function tmp (t: { after: (fn: () => Promise<void>) => void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'storm-wal-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  return dir
}

test('a save resolves after its own fdatasync of the WAL, started by the save; another process then reads the change', async (t) => {
  const dir = await tmp(t)
  const path = join(dir, 'state.db')
  const store = new SqliteStateStore({ path, create: () => freshState(defaultRules({ group: 'Supercell', visibility: 'public' }), 1) })
  const state = await store.load()
  assert.equal(store.walSyncs, 0)
  state.members.alice = { id: 'alice', chat: { platform: 'console', userId: 'alice', name: '@alice' }, status: 'active', requestedAt: 1, joinedAt: 1, rating: 100 }
  const saving = store.save(state)
  assert.equal(store.walSyncs, 1, 'the fdatasync started with the commit')
  await saving
  // what a crash right now would leave: another connection reads the WAL it was written to
  const other = new DatabaseSync(path, { readOnly: true })
  try {
    const row = other.prepare("SELECT body FROM records WHERE kind = 'members' AND id = 'alice'").get()
    assert.equal(JSON.parse(String(row?.body)).chat.name, '@alice')
  } finally {
    other.close()
  }
  const db = new DatabaseSync(path)
  try {
    assert.equal(Number(db.prepare('PRAGMA journal_mode').get()?.journal_mode === 'wal'), 1, 'WAL mode')
  } finally {
    db.close()
  }
  store.close()
})

test('commits that wait together share one fdatasync; one made while a sync runs gets the next', async (t) => {
  const dir = await tmp(t)
  const path = join(dir, 'x.db')
  const db = new DatabaseSync(path)
  db.exec('PRAGMA journal_mode = WAL')
  db.exec('PRAGMA synchronous = NORMAL')
  db.exec('CREATE TABLE t (v INTEGER)')
  const wal = new WalSync(path)
  t.after(() => { db.close(); wal.close() })
  const commits = [1, 2, 3].map(v => { db.prepare('INSERT INTO t VALUES (?)').run(v); return wal.committed() })
  const first = Promise.all(commits.map(n => wal.durable(n)))
  // committed while the first sync is in flight: not covered by it
  db.prepare('INSERT INTO t VALUES (4)').run()
  const late = wal.committed()
  await first
  assert.equal(wal.syncs, 1, 'three commits, one fdatasync')
  await wal.durable(late)
  assert.equal(wal.syncs, 2, 'the later commit waited for a sync of its own')
  await wal.durable(late)
  assert.equal(wal.syncs, 2, 'nothing new to sync')
})

test('a database not in WAL mode is refused, not silently left unsynced', async (t) => {
  const dir = await tmp(t)
  const wal = new WalSync(join(dir, 'none.db'))
  wal.committed()
  await assert.rejects(wal.durable(), /does not exist/)
})
