/**
 * stormd's state on disk: `state.json` and a journal beside it. Each step of a directive appends
 * what changed, fdatasynced, instead of rewriting the whole file; a restarted stormd reads the
 * snapshot and the journal back as one state. What a crash can leave — a line torn mid-append, a
 * journal left over from before a compaction, an append cut off by a full disk — never loses a
 * stored step, never brings back an older one, and never stops the next save.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { appendFile, copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { readFileSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { JournalStore } from '../../src/shared/journal_store.ts'
import { StormError } from '../../src/shared/errors.ts'
import { ManualClock } from '../../src/shared/clock.ts'
import { SimNetwork } from '../../src/simnet/index.ts'
import { parseAgentConfig } from '../../src/agent/config.ts'
import { DirectiveRunner } from '../../src/agent/directive_runner.ts'
import { AgentStateSchema, AGENT_STATE_VERSION, emptyAgentState, type AgentState, type AgentDirective } from '../../src/agent/agent_state.ts'
import { openChannel } from './helpers.ts'

async function tmp (t: { after: (fn: () => Promise<void>) => void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'storm-journal-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  return dir
}

function storeIn (dir: string, compactBytes?: number): JournalStore<AgentState> {
  return new JournalStore<AgentState>({
    path: join(dir, 'state.json'),
    schema: AgentStateSchema,
    version: AGENT_STATE_VERSION,
    create: emptyAgentState,
    records: 'directives',
    stable: ['roster'],
    ...(compactBytes === undefined ? {} : { compactBytes })
  })
}

/** What a stormd started after a crash now would load: the files as they are this instant, read by a fresh store. */
async function afterCrash (dir: string, t: { after: (fn: () => Promise<void>) => void }): Promise<AgentState> {
  const files = readdirSync(dir).filter(f => f.startsWith('state.json')).map(f => ({ f, bytes: readFileSync(join(dir, f)) }))
  const copy = await tmp(t)
  for (const { f, bytes } of files) await writeFile(join(copy, f), bytes)
  const store = storeIn(copy)
  try {
    return await store.load()
  } finally {
    await store.close()
  }
}

/** A store in `dir` that saved one directive and was closed (what a test then damages). */
async function storedAndClosed (dir: string, directive: AgentDirective): Promise<void> {
  const store = storeIn(dir)
  const state = await store.load()
  state.directives[directive.directive.id] = directive
  await store.save(state)
  await store.close()
}

function record (id: string, status: AgentDirective['status']): AgentDirective {
  const d = openChannel(1_000, '02' + 'cd'.repeat(32), 500_000)
  return { directive: { ...d, id }, status, receivedAt: 1_000, updatedAt: 1_000 }
}

test('each save appends only what changed; the snapshot is not rewritten, and a restart reads it all back', async (t) => {
  const dir = await tmp(t)
  const store = storeIn(dir)
  t.after(() => store.close())
  const state = await store.load()
  const snapshot = await readFile(join(dir, 'state.json'), 'utf8')
  state.roster = Array.from({ length: 50 }, (_, i) => '02' + i.toString(16).padStart(2, '0').repeat(32))
  state.directives.a = record('a', 'received')
  await store.save(state)
  state.directives.a.status = 'executing'
  await store.save(state)
  state.directives.a.status = 'succeeded'
  state.ledger.push({ at: 2_000, kind: 'open', amount: 500_000, fee: 0 })
  await store.save(state)
  await store.save(state) // nothing changed: nothing appended

  assert.equal(await readFile(join(dir, 'state.json'), 'utf8'), snapshot, 'the snapshot is untouched')
  const lines = (await readFile(join(dir, 'state.json.journal'), 'utf8')).trim().split('\n').slice(1).map(l => JSON.parse(l) as Record<string, unknown>)
  assert.equal(lines.length, 3, 'one line per save that changed something')
  assert.equal(store.appends, 3)
  assert.equal(lines[1]!.fields, undefined, 'the roster and ledger are not written again when unchanged')
  assert.deepEqual(Object.keys(lines[2]!.fields as object), ['ledger'], 'the ledger changed, the roster did not')
  assert.deepEqual(Object.keys(lines[1]!.set as object), ['a'])

  const loaded = await afterCrash(dir, t)
  assert.deepEqual(loaded, state)
})

test('a restart folds the journal into the snapshot: one whole file again, and a fresh journal', async (t) => {
  const dir = await tmp(t)
  const first = storeIn(dir)
  const state = await first.load()
  state.directives.a = record('a', 'succeeded')
  await first.save(state)
  await first.close()

  const second = storeIn(dir)
  t.after(() => second.close())
  assert.deepEqual(await second.load(), state)
  assert.deepEqual(JSON.parse(await readFile(join(dir, 'state.json'), 'utf8')), state, 'the snapshot holds it all')
  assert.equal((await readFile(join(dir, 'state.json.journal'), 'utf8')).trim().split('\n').length, 1, 'only the header is left')
})

test('a line torn by a crash mid-append is not replayed; what was stored before it is, and the next save goes through', async (t) => {
  const dir = await tmp(t)
  await storedAndClosed(dir, record('a', 'executing'))
  // the next save was cut off halfway through its line (kill -9, power cut): it never resolved
  await appendFile(join(dir, 'state.json.journal'), '{"set":{"a":{"directive":')

  const again = storeIn(dir)
  t.after(() => again.close())
  const loaded = await again.load()
  assert.equal(loaded.directives.a?.status, 'executing', 'the last stored step, not lost and not made up')
  loaded.directives.a!.status = 'succeeded'
  await again.save(loaded)
  assert.equal((await afterCrash(dir, t)).directives.a?.status, 'succeeded')
})

test('a crash between writing the compacted snapshot and starting the new journal: the old journal is not replayed over it', async (t) => {
  const dir = await tmp(t)
  const store = storeIn(dir, 1) // every save past the first compacts
  const state = await store.load()
  state.directives.a = record('a', 'executing')
  await store.save(state)
  await store.close()
  const oldJournal = await readFile(join(dir, 'state.json.journal'))

  const again = storeIn(dir, 1)
  const loaded = await again.load()
  loaded.directives.a!.status = 'succeeded'
  await again.save(loaded)
  await again.close()
  // as if the crash came after the new snapshot and before the journal was started afresh
  await writeFile(join(dir, 'state.json.journal'), oldJournal)
  assert.equal((await afterCrash(dir, t)).directives.a?.status, 'succeeded', 'never back to executing')
})

test('an append that fails (disk full) stores nothing; the next save writes the whole state, and a restart reads it', async (t) => {
  const dir = await tmp(t)
  const store = storeIn(dir)
  t.after(() => store.close())
  const state = await store.load()
  state.directives.a = record('a', 'received')
  await store.save(state)
  const handle = await import('node:fs/promises').then(fs => fs.open(join(dir, 'probe'), 'w'))
  const proto = Object.getPrototypeOf(handle) as { datasync: () => Promise<void> }
  await handle.close()
  const datasync = proto.datasync
  proto.datasync = async () => { throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' }) }
  state.directives.a.status = 'executing'
  try {
    await assert.rejects(store.save(state), /ENOSPC/)
  } finally {
    proto.datasync = datasync
  }
  const compactions = store.compactions
  await store.save(state)
  assert.equal(store.compactions, compactions + 1, 'written whole, not appended after a line that may be torn')
  state.directives.a.status = 'succeeded'
  await store.save(state)
  assert.equal((await afterCrash(dir, t)).directives.a?.status, 'succeeded')
})

test('a journal line that is not a change stops the start with STORE_CORRUPT, and nothing is written', async (t) => {
  const dir = await tmp(t)
  await storedAndClosed(dir, record('a', 'received'))
  await appendFile(join(dir, 'state.json.journal'), '[1,2]\n')
  const before = await readFile(join(dir, 'state.json.journal'), 'utf8')
  await assert.rejects(storeIn(dir).load(), (e: unknown) => e instanceof StormError && e.code === 'STORE_CORRUPT')
  assert.equal(await readFile(join(dir, 'state.json.journal'), 'utf8'), before)
})

test('a backup is the whole stored state, loadable as a state file on its own', async (t) => {
  const dir = await tmp(t)
  const store = storeIn(dir)
  t.after(() => store.close())
  const state = await store.load()
  state.directives.a = record('a', 'succeeded')
  state.ledger.push({ at: 2_000, kind: 'open', amount: 500_000, fee: 0 })
  await store.save(state)
  const path = await store.backup(5_000)
  assert.ok(path !== null)
  const restored = await tmp(t)
  await mkdir(restored, { recursive: true })
  await copyFile(path, join(restored, 'state.json'))
  const fresh = storeIn(restored)
  try {
    assert.deepEqual(await fresh.load(), state)
  } finally {
    await fresh.close()
  }
})

test('a directive on the journal store: `executing` is on disk before the node is touched, the outcome before the result is sent', async (t) => {
  const dir = await tmp(t)
  const store = storeIn(dir)
  t.after(() => store.close())
  const clock = new ManualClock()
  const network = SimNetwork.create({ seed: 'journal-runner', confirmations: 3, clock })
  const me = network.addNode('me', { onchain: 10_000_000 })
  const bob = network.addNode('bob', { onchain: 10_000_000 })
  const state = await store.load()
  const seen: Array<{ when: string, status: string | undefined }> = []
  const openChannels = me.openChannels.bind(me)
  me.openChannels = async (...a: Parameters<typeof me.openChannels>) => {
    seen.push({ when: 'node opens', status: (await afterCrash(dir, t)).directives[d.id]?.status })
    return openChannels(...a)
  }
  const pending: Array<Promise<void>> = []
  const runner = new DirectiveRunner({
    state,
    store,
    lightning: me,
    config: parseAgentConfig({ dataDir: dir }),
    clock,
    send: (type, body) => {
      if (type === 'result') pending.push(afterCrash(dir, t).then(s => { seen.push({ when: 'result sent', status: s.directives[(body as { directive: string }).directive]?.status }) }))
    },
    stormNodes: () => new Set([me.publicKey, bob.publicKey]),
    self: () => me.publicKey,
    notice: () => {},
    reportSoon: () => {}
  })
  const d = openChannel(clock.now(), bob.publicKey, 500_000)
  const synced = store.appends
  await runner.receive(d)
  await Promise.all(pending)
  assert.deepEqual(seen, [{ when: 'node opens', status: 'executing' }, { when: 'result sent', status: 'succeeded' }])
  assert.equal((await me.getPendingChannels()).length, 1)
  assert.equal(store.appends - synced, 2, 'two waits for the disk per directive: `executing`, then the outcome (the arrival rides on the first)')
})

test('a save that does not wait for the disk is still in the file: a kill -9 right after keeps it', async (t) => {
  const dir = await tmp(t)
  const store = storeIn(dir)
  t.after(() => store.close())
  const state = await store.load()
  state.directives.a = record('a', 'succeeded')
  state.directives.a.unacked = true
  await store.save(state)
  delete state.directives.a.unacked // the manager acknowledged the result
  const synced = store.appends
  await store.saveUnsynced(state)
  assert.equal(store.appends, synced, 'no fdatasync waited for')
  assert.equal((await afterCrash(dir, t)).directives.a?.unacked, undefined)
})

test('told which directive a step changed, the store writes that one (and the ledger), and a restart reads the same state', async (t) => {
  const dir = await tmp(t)
  const store = storeIn(dir)
  t.after(() => store.close())
  const state = await store.load()
  for (const id of ['a', 'b', 'c']) state.directives[id] = record(id, 'received')
  await store.save(state)
  state.directives.b!.status = 'succeeded'
  state.ledger.push({ at: 3_000, kind: 'open', amount: 500_000, fee: 0 })
  await store.saveRecords(state, ['b'])
  delete state.directives.c
  await store.saveRecords(state, ['c'])
  const lines = (await readFile(join(dir, 'state.json.journal'), 'utf8')).trim().split('\n').slice(-2).map(l => JSON.parse(l) as { set?: object, del?: string[], fields?: { ledger?: unknown[] } })
  assert.deepEqual(Object.keys(lines[0]!.set ?? {}), ['b'], 'only the directive that changed')
  assert.equal(lines[0]!.fields?.ledger?.length, 1, 'with the ledger, which changed too')
  assert.deepEqual(lines[1]!.del, ['c'])
  assert.deepEqual(await afterCrash(dir, t), state)
})
