/**
 * Data loss: a state file that is damaged — empty, `null`, not JSON, the wrong type, the wrong
 * shape, written by a newer version — stops the manager and stormd with a clear sentence (English
 * and Spanish) naming the file and the newest backup that exists, and nothing is written: the
 * data folder is byte for byte what it was. Only a missing file starts afresh. Both keep backups
 * from the first start on, so the backup a message points at is really there.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, readFile, readdir, rm, writeFile, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { Locales } from '../../src/shared/i18n.ts'
import { StormError } from '../../src/shared/errors.ts'
import { ManualClock } from '../../src/shared/clock.ts'
import { SimNetwork } from '../../src/simnet/index.ts'
import { parseAgentConfig } from '../../src/agent/config.ts'
import { loadOrCreateKeyPair } from '../../src/protocol/index.ts'
import { defaultRules } from '../../src/manager/rules.ts'
import { freshState } from '../../src/manager/storm_manager.ts'
import { emptyAgentState } from '../../src/agent/agent_state.ts'
import { startManagerRuntime } from '../../src/app/manager_runtime.ts'
import { startAgentRuntime } from '../../src/app/agent_runtime.ts'

const LOCALES = Locales.load()
const rules = defaultRules({ group: 'Supercell' })
const NOW = Date.UTC(2026, 5, 1, 12)

/** Every file under `dir` with its bytes: what "touches nothing" compares. */
async function snapshot (dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  const walk = async (d: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = join(d, e.name)
      if (e.isDirectory()) await walk(p)
      else out[relative(dir, p)] = (await readFile(p)).toString('base64')
    }
  }
  await walk(dir)
  return out
}

async function tmp (t: { after: (fn: () => Promise<void>) => void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'storm-damaged-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  return dir
}

/** The damaged contents a state file has been found with. */
function damages (valid: Record<string, unknown>) {
  return [
    { description: 'null', text: 'null', code: 'STORE_CORRUPT', reason: /null/ },
    { description: 'an empty file (a crash mid-write by another tool)', text: '', code: 'STORE_CORRUPT', reason: /empty/ },
    { description: 'only whitespace', text: '\n  \n', code: 'STORE_CORRUPT', reason: /empty/ },
    { description: 'half a JSON document', text: JSON.stringify(valid).slice(0, 40), code: 'STORE_CORRUPT', reason: /JSON|Unexpected|Unterminated/ },
    { description: 'a number', text: '0', code: 'STORE_CORRUPT', reason: /number/ },
    { description: 'false', text: 'false', code: 'STORE_CORRUPT', reason: /boolean/ },
    { description: 'a string', text: '"state"', code: 'STORE_CORRUPT', reason: /string/ },
    { description: 'an array', text: '[]', code: 'STORE_CORRUPT', reason: /array/ },
    { description: 'an object without a version', text: '{}', code: 'STORE_CORRUPT', reason: /version/ },
    { description: 'a field of the wrong type', text: JSON.stringify({ ...valid, directives: [] }), code: 'STORE_CORRUPT', reason: /directives/ },
    { description: 'a newer version', text: JSON.stringify({ ...valid, version: 99 }), code: 'STORE_TOO_NEW', reason: undefined }
  ]
}

/** Checks the refusal: code, file, backup named; said in English and Spanish with the file's name. */
function assertRefusal (e: unknown, code: string, path: string, latest: string, reason: RegExp | undefined): true {
  assert.ok(e instanceof StormError, String(e))
  assert.equal(e.code, code)
  assert.equal(e.params.path, path)
  assert.equal(e.params.latest, latest)
  if (reason !== undefined) assert.match(String(e.params.reason), reason)
  for (const lang of ['en', 'es']) {
    const text = LOCALES.translator(lang).error(e)
    assert.ok(text.includes(path), `${lang}: ${text}`)
    if (latest !== 'none') assert.ok(text.includes(latest), `${lang} names the backup: ${text}`)
    assert.doesNotMatch(text, /\{\$|undefined/, `${lang}: no placeholder left: ${text}`)
  }
  return true
}

test('a manager whose state file was damaged refuses to start, says which file and which backup, and writes nothing', async (t) => {
  for (const c of damages(freshState(rules, NOW))) {
    await t.test(c.description, async (t) => {
      const dir = await tmp(t)
      await loadOrCreateKeyPair(join(dir, 'manager.key'))
      const path = join(dir, 'state.json')
      await writeFile(path, c.text)
      const before = await snapshot(dir)
      await assert.rejects(
        startManagerRuntime({ dataDir: dir, rules, locales: LOCALES, clock: new ManualClock(NOW), backupSchedule: null }),
        (e: unknown) => assertRefusal(e, c.code, path, 'none', c.reason)
      )
      assert.deepEqual(await snapshot(dir), before, 'the data folder is untouched')
    })
  }
})

test('stormd whose state file became null refuses to start instead of forgetting its pairing, and points at its backup', async (t) => {
  const dir = await tmp(t)
  const clock = new ManualClock(NOW)
  const node = SimNetwork.create({ seed: 'damaged', clock }).addNode('alice', { onchain: 1_000_000 })
  const config = parseAgentConfig({ node: 'simnet', network: 'simnet', dataDir: dir })
  const path = join(dir, 'state.json')
  // a paired stormd with a spending ledger and an executed directive, as it was yesterday
  const paired = {
    ...emptyAgentState(),
    pairing: { managerKey: 'ab'.repeat(32), memberId: 'm1', group: 'Supercell', node: node.publicKey, pairedAt: NOW - 86_400_000 },
    ledger: [{ at: NOW - 3_600_000, kind: 'open' as const, amount: 500_000, fee: 0 }]
  }
  await writeFile(path, JSON.stringify(paired))
  const first = await startAgentRuntime({ config, lightning: node, clock, backupSchedule: null })
  assert.deepEqual(first.agent.pairing, paired.pairing)
  await first.close()
  const backups = await readdir(join(dir, 'backups'))
  assert.equal(backups.length, 1, 'stormd backed its state up when it started')
  const backup = join(dir, 'backups', backups[0]!)
  assert.deepEqual(JSON.parse(await readFile(backup, 'utf8')), paired, 'the backup holds the pairing and the ledger')

  for (const c of damages(paired)) {
    await t.test(c.description, async () => {
      await writeFile(path, c.text)
      const before = await snapshot(dir)
      clock.advance(60_000)
      await assert.rejects(
        startAgentRuntime({ config, lightning: node, clock, backupSchedule: null }),
        (e: unknown) => assertRefusal(e, c.code, path, backup, c.reason)
      )
      assert.deepEqual(await snapshot(dir), before, 'the data folder, backups included, is untouched')
    })
  }

  // the owner follows the message: copies the backup over the file, and stormd is paired again
  await writeFile(path, await readFile(backup))
  const restored = await startAgentRuntime({ config, lightning: node, clock, backupSchedule: null })
  assert.deepEqual(restored.agent.pairing, paired.pairing)
  assert.deepEqual(restored.agent.state.ledger, paired.ledger)
  await restored.close()
})

test('only a missing state file starts afresh, and the fresh state is on disk before anything runs', async (t) => {
  const dir = await tmp(t)
  const clock = new ManualClock(NOW)
  const node = SimNetwork.create({ seed: 'fresh', clock }).addNode('bob', { onchain: 1_000_000 })
  const r = await startAgentRuntime({ config: parseAgentConfig({ node: 'simnet', network: 'simnet', dataDir: dir }), lightning: node, clock, backupSchedule: null })
  await r.close()
  assert.deepEqual(JSON.parse(await readFile(join(dir, 'state.json'), 'utf8')), emptyAgentState())
  assert.equal((await stat(join(dir, 'state.json'))).mode & 0o077, 0, 'only its owner can read it')
})

test('backups keep the newest ones only, for the manager and for stormd alike', async (t) => {
  const dir = await tmp(t)
  const clock = new ManualClock(NOW)
  const node = SimNetwork.create({ seed: 'keep', clock }).addNode('carol', { onchain: 1_000_000 })
  const config = parseAgentConfig({ node: 'simnet', network: 'simnet', dataDir: dir, backupsKept: '3' })
  for (let day = 0; day < 5; day++) {
    const r = await startAgentRuntime({ config, lightning: node, clock, backupSchedule: null })
    await r.close()
    clock.advance(86_400_000)
  }
  const kept = (await readdir(join(dir, 'backups'))).sort()
  assert.equal(kept.length, 3)
  assert.match(kept[2]!, /2026-06-05/, 'the newest is kept')
  assert.match(kept[0]!, /2026-06-03/, 'the two oldest are gone')
})
