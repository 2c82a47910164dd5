/**
 * The connections bench works at tiny size: the manager runs as its own process, measures itself
 * without connections and then with every agent connected over the real link, and the figures
 * have the right shape. No size or time is asserted.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { CONNECTIONS } from '../../bench/index.ts'

test('connections bench (tiny): a baseline without connections and a reading with all agents connected, same run', { timeout: 180_000 }, async () => {
  const r = await CONNECTIONS.run(CONNECTIONS.presets.tiny, () => {})
  const f = r.figures
  assert.equal(f.members, 20)
  assert.equal(f.connected, 20, 'every agent is connected when the second reading is taken')
  for (const side of [f.baseline, f.withConnections]) {
    assert.equal(side.rss.n, CONNECTIONS.presets.tiny.readings)
    assert.ok(side.rss.min > 0 && side.rss.min <= side.rss.median && side.rss.median <= side.rss.max)
    assert.ok(side.heap.median > 0 && side.heap.median < side.rss.median, 'the heap is part of the process')
    assert.ok(side.arrayBuffers.median <= side.external.median, 'Node counts array buffers within external memory: added once, not twice')
  }
  assert.ok(Number.isFinite(f.rssPerConnection) && Number.isFinite(f.heapPerConnection))
  assert.equal(r.tables[0]!.rows.length, 6)
})
