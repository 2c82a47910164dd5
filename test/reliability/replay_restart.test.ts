/**
 * Replay across a restart: an envelope the manager accepted is refused when it is sent again
 * after the manager restarted, though it is still inside its validity window — over a real
 * Hyperswarm link on a local testnet, the manager's link closed and opened again on the same
 * key and data folder.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { encode, generateKeyPair, localTestnet, ManagerLink, ReplayGuard, seal, SeqCounter } from '../../src/protocol/index.ts'
import type { KeyPair, LocalTestnet, Message } from '../../src/protocol/index.ts'
import { ManualClock, SYSTEM_CLOCK } from '../../src/shared/clock.ts'
import { RawPeer, Roster } from '../protocol/link_helpers.ts'
import { SAMPLE_BODIES } from '../protocol/sample_bodies.ts'
import { waitFor } from '../protocol/wait_for.ts'

let testnet: LocalTestnet
let dir: string
before(async () => {
  testnet = await localTestnet()
  dir = await mkdtemp(join(tmpdir(), 'storm-replay-'))
})
after(async () => {
  await testnet.destroy()
  await rm(dir, { recursive: true, force: true })
})

async function managerOn (keyPair: KeyPair, roster: Roster, replayFile?: string): Promise<ManagerLink> {
  const link = new ManagerLink({ keyPair, network: testnet.network, admit: roster.admit, ...(replayFile === undefined ? {} : { replayFile }) })
  await link.listen()
  return link
}

/** Sends `bytes` from a fresh connection of `peerKey` and says what the manager did with them. */
async function sendFrom (manager: ManagerLink, peerKey: KeyPair, bytes: Uint8Array): Promise<'accepted' | string> {
  const peer = new RawPeer(testnet.network, manager.publicKey, peerKey)
  try {
    await peer.connect()
    const accepted = waitFor<[string, Message]>(manager, 'message', 'the message', { timeoutMs: 20_000 }).then(() => 'accepted' as const)
    const refused = peer.exchange(bytes).then(r => r.ok && r.value.type === 'error' ? r.value.body.code : 'unexpected reply')
    const outcome = await Promise.race([accepted, refused])
    accepted.catch(() => {})
    return outcome
  } finally {
    await peer.destroy()
  }
}

async function replayAfterRestart (replayFile: string | undefined): Promise<{ first: string, again: string, fresh: string }> {
  const managerKey = generateKeyPair()
  const agent = generateKeyPair()
  const roster = new Roster()
  roster.set(agent, 'member')
  const seqs = new SeqCounter(SYSTEM_CLOCK)
  const hb = encode(seal(agent, { type: 'heartbeat', body: SAMPLE_BODIES.heartbeat, to: managerKey.publicKey.toString('hex'), seq: seqs.next(), now: Date.now(), ttlMs: 10 * 60_000 }))
  let manager = await managerOn(managerKey, roster, replayFile)
  let first: string
  try {
    first = await sendFrom(manager, agent, hb)
  } finally {
    await manager.close()
  }
  manager = await managerOn(managerKey, roster, replayFile)
  try {
    const again = await sendFrom(manager, agent, hb)
    const next = encode(seal(agent, { type: 'heartbeat', body: SAMPLE_BODIES.heartbeat, to: managerKey.publicKey.toString('hex'), seq: seqs.next(), now: Date.now() }))
    const fresh = await sendFrom(manager, agent, next)
    return { first, again, fresh }
  } finally {
    await manager.close()
  }
}

test('a peer sends again, right after the manager restarted, a heartbeat the manager already accepted: refused as REPLAYED; a new one is accepted', async () => {
  const outcome = await replayAfterRestart(join(dir, 'replay.log'))
  assert.deepEqual(outcome, { first: 'accepted', again: 'REPLAYED', fresh: 'accepted' })
})

test('without the guard\'s file (as before), the same replay after a restart would be accepted: the file is what closes it', async () => {
  const outcome = await replayAfterRestart(undefined)
  assert.deepEqual(outcome, { first: 'accepted', again: 'accepted', fresh: 'accepted' })
})

test('the guard\'s file: a torn last line (killed mid-write) is skipped, senders are kept across restarts, long-silent ones forgotten', async () => {
  const file = join(dir, 'guard.log')
  const clock = new ManualClock(1_000_000)
  const a = 'a'.repeat(64)
  const b = 'b'.repeat(64)
  const g1 = new ReplayGuard({ file, clock })
  assert.ok(g1.accept(a, 5))
  assert.ok(g1.accept(b, 7))
  clock.advance(11 * 60_000 + 1)
  assert.ok(g1.accept(a, 6))
  await writeFile(file, (await readFile(file, 'utf8')) + `${b} 99`, { flag: 'w' }) // torn: no time, no newline
  const g2 = new ReplayGuard({ file, clock })
  assert.equal(g2.accept(a, 6), false, 'a restart remembers a')
  assert.equal(g2.last(b), undefined, 'b was silent past any envelope\'s lifetime: forgotten, and the torn line ignored')
  assert.equal((await readFile(file, 'utf8')).trim().split('\n').length, 1, 'compacted to one line per sender')
})

test('the guard\'s file has each accepted line before accept returns, also after the guard let go of the file', async () => {
  const file = join(dir, 'lines.log')
  const clock = new ManualClock(2_000_000)
  const a = 'a'.repeat(64)
  const g = new ReplayGuard({ file, clock })
  assert.ok(g.accept(a, 1))
  assert.equal((await readFile(file, 'utf8')).trim(), `${a} 1 2000000`, 'on file before the envelope is handed on')
  assert.ok(g.accept(a, 2))
  g.close()
  assert.ok(g.accept(a, 3), 'a late envelope (a link closing) is still recorded')
  assert.equal(g.writeError, null)
  const again = new ReplayGuard({ file, clock })
  assert.equal(again.accept(a, 3), false, 'a restart remembers the last one')
  again.close()
})
