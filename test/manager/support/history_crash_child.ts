/**
 * A manager process that is killed (SIGKILL, as by kill -9 or a power cut) at one point between
 * storing a use case's state and finishing its history append: `after-store` (the state and its
 * outbox are stored, nothing is in the Hypercore) or `after-append` (the Hypercore has the
 * entries, the outbox still holds them) or `after-history` (the append done and its bookkeeping
 * told to the store, which writes it with its next transaction: never, here). Args: DATA_DIR CRASH_POINT.
 */
import { join } from 'node:path'
import crypto from 'hypercore-crypto'
import { StormManager, freshState } from '../../../src/manager/storm_manager.ts'
import { SqliteStateStore } from '../../../src/manager/state/sqlite_state_store.ts'
import { HypercoreHistory, type HistoryOutbox } from '../../../src/manager/history.ts'
import { defaultRules } from '../../../src/manager/rules.ts'
import { ManualClock } from '../../../src/shared/clock.ts'

const [dir, point] = process.argv.slice(2) as [string, 'after-store' | 'after-append' | 'after-history']
const rules = defaultRules({ group: 'Supercell', visibility: 'public' })
const clock = new ManualClock(Date.UTC(2026, 5, 1))
const keyPair = crypto.keyPair(Buffer.alloc(32, 5))
const store = new SqliteStateStore({ path: join(dir, 'state.db'), create: () => freshState(rules, clock.now()) })
const die = (): never => { process.kill(process.pid, 'SIGKILL'); throw new Error('unreachable') }
const outbox: HistoryOutbox = {
  pendingHistory: () => store.pendingHistory(),
  historySeen: () => store.historySeen(),
  historyAppended: (seq, length) => (point === 'after-append' && process.env.STORM_ARMED === '1' ? die() : store.historyAppended(seq, length))
}
const history = new HypercoreHistory({ dir: join(dir, 'history'), keyPair, outbox })
const manager = new StormManager({
  store,
  audit: {
    append: async (entries) => {
      if (point === 'after-store' && process.env.STORM_ARMED === '1') die()
      await history.append(entries)
      if (point === 'after-history' && process.env.STORM_ARMED === '1') die()
    }
  },
  link: { send: () => 'm', isConnected: () => false, drop: () => {} },
  clock,
  rules,
  managerKey: keyPair.publicKey.toString('hex'),
  pairingKeyOf: () => 'ab'.repeat(32),
  verifySignature: () => false
})
await manager.start()
await history.open()
// a first member joins normally, then the one whose command dies halfway
await manager.connect({ kind: 'chat', platform: 'test', userId: 'alice', name: '@alice', isAdmin: false })
process.env.STORM_ARMED = '1'
await manager.connect({ kind: 'chat', platform: 'test', userId: 'bob', name: '@bob', isAdmin: false })
process.stdout.write('not killed\n')
