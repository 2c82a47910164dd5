/**
 * A crash between the state and the history leaves them consistent: a manager process killed
 * with SIGKILL right after storing a command (before its history entry is appended), or right
 * after appending it (before the store knows, or before the store wrote what it was told), restarts with the command in the state and its
 * entry in the signed history exactly once.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import crypto from 'hypercore-crypto'
import { SqliteStateStore } from '../../src/manager/state/sqlite_state_store.ts'
import { HypercoreHistory } from '../../src/manager/history.ts'
import { historyEntryVerifies } from '../../src/protocol/history_entry.ts'

const CHILD = fileURLToPath(new URL('./support/history_crash_child.ts', import.meta.url))
const keyPair = crypto.keyPair(Buffer.alloc(32, 5))

const KILLED = {
  'after-store': 'after storing a command, before its history entry',
  'after-append': 'after appending the history entry, before the store knew',
  'after-history': 'after the append, its bookkeeping left for the store\'s next transaction'
} as const

for (const point of ['after-store', 'after-append', 'after-history'] as const) {
  test(`a manager killed ${KILLED[point]} restarts with both, once`, async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'storm-crash-'))
    t.after(() => rm(dir, { recursive: true, force: true }))
    const child = spawnSync(process.execPath, [CHILD, dir, point], { encoding: 'utf8' })
    assert.equal(child.signal, 'SIGKILL', `the manager was killed: ${child.stdout} ${child.stderr}`)

    for (const restart of [1, 2]) {
      const store = new SqliteStateStore({ path: join(dir, 'state.db'), create: () => { throw new Error('the state must exist') } })
      const state = await store.load()
      const history = new HypercoreHistory({ dir: join(dir, 'history'), keyPair, outbox: store })
      await history.open()
      try {
        const bob = Object.values(state.members).find(m => m.chat.userId === 'bob')
        assert.ok(bob, 'the command is in the state')
        const entries = await Promise.all(Array.from({ length: history.length }, (_, i) => history.get(i)))
        // a public Storm admits at once: one entry per connect
        assert.deepEqual(entries.map(e => e.event), ['member_joined', 'member_joined'], `restart ${restart}: each entry once, in order`)
        assert.deepEqual(entries.map(e => e.index), [0, 1])
        assert.deepEqual(entries[1]!.members, [bob.id])
        assert.ok(entries.every(e => historyEntryVerifies(e, keyPair.publicKey.toString('hex'))))
        assert.deepEqual(store.pendingHistory(), [], 'the outbox is empty')
        assert.equal(store.historySeen(), 2)
      } finally {
        await history.close()
        store.close()
      }
    }
  })
}
