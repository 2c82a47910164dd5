/**
 * The flow history lives outside the state and is written in buckets: reports within one hour
 * cost no write, the first report of the next hour stores the closed one, stopping stores the
 * rest, and a new manager process reads the same history back.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { MemoryStore } from '../../src/shared/json_store.ts'
import { Observations } from '../../src/manager/observations.ts'
import { FlowRecorder } from '../../src/manager/flow_recorder.ts'
import { emptyFlowHistory, type FlowHistoryDoc } from '../../src/manager/flow_history.ts'
import type { Report } from '../../src/protocol/messages.ts'

const PEER = '03'.padEnd(66, 'b')
const HOUR = 3_600_000
const T0 = Date.UTC(2026, 0, 1)

function report (from: number, to: number): Report {
  return {
    at: to,
    health: { healthy: true },
    balance: { confirmed: 0, unconfirmed: 0 },
    channels: [{ id: '7x7x7', channelPoint: 'ab'.repeat(32) + ':0', peer: PEER, capacity: 1_000_000, localBalance: 1, remoteBalance: 1, localReserve: 0, remoteReserve: 0, active: true, initiator: true }],
    pending: [],
    flow: { from, to, channels: [{ channel: '7x7x7', inAmount: 0, outAmount: 1000, forwards: 1, feeMsat: '1500' }] }
  }
}

test('reports within an hour cost no write; the next hour and the stop store it; a restart reads it back', async () => {
  const store = new MemoryStore<FlowHistoryDoc>(() => emptyFlowHistory())
  const observations = new Observations()
  const recorder = new FlowRecorder({ store, observations, stormNodes: () => new Set([PEER]) })
  await recorder.start()
  const saved = store.saves
  for (let i = 0; i < 10; i++) observations.reported('m1', report(T0 + i * 60_000, T0 + (i + 1) * 60_000), T0 + (i + 1) * 60_000)
  assert.equal(store.saves, saved, 'ten reports in one hour: no write')
  observations.reported('m1', report(T0 + 10 * 60_000, T0 + HOUR + 60_000), T0 + HOUR + 60_000)
  await recorder.save() // waits for the save the new hour started (and has nothing more to add)
  assert.equal(store.saves, saved + 1, 'one write when the hour turned')
  observations.reported('m1', report(T0 + HOUR + 60_000, T0 + HOUR + 120_000), T0 + HOUR + 120_000)
  await recorder.close()
  assert.equal(store.saves, saved + 2, 'and one on stopping')

  observations.reported('m1', report(T0 + HOUR + 120_000, T0 + HOUR + 180_000), T0 + HOUR + 180_000)
  const again = new FlowRecorder({ store, observations: new Observations(), stormNodes: () => new Set([PEER]) })
  await again.start()
  const series = again.history.series(T0, T0 + 2 * HOUR)
  assert.deepEqual(series.map(b => [b.start, b.forwards, b.feeMsat]), [[T0, 10, '15000'], [T0 + HOUR, 2, '3000']],
    'a report after the stop is not recorded; the rest survives the restart')
  assert.equal(again.history.coveredSince, T0)
})
