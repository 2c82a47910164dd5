/**
 * The exit bench runs at tiny sizes and measures what it says: on the same seeded Storm and
 * workload, the graceful exit keeps the remaining members' payments going while it is under way
 * (the bridges are still open), where closing everything at once does not; a lifted newcomer can
 * receive, one that is not lifted cannot. No timing is asserted.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { EXIT } from '../../bench/index.ts'

test('exit bench: graceful vs close-all on the same seeds, and a newcomer lifted or not', async () => {
  const r = await EXIT.run(EXIT.presets.tiny, () => {})
  const f = r.figures
  for (const s of [f.graceful.before, f.graceful.during, f.graceful.after, f.abrupt.before, f.abrupt.during, f.abrupt.after]) {
    assert.equal(s.n, EXIT.presets.tiny.seeds.length)
    assert.ok(s.min >= 0 && s.max <= 1)
  }
  assert.equal(f.graceful.before.median, f.abrupt.before.median, 'the same Storm and workload before the exit')
  assert.ok(f.cutOff.min >= 1, 'the leaving member is a bridge for someone in every seed')
  assert.ok(f.graceful.during.min > f.abrupt.during.max, 'nobody is cut off while a graceful exit is under way')
  assert.ok(f.graceful.after.median >= f.abrupt.after.median)
  assert.equal(f.onboarding.receiveWithout.max, 0, 'no channel, nothing received')
  assert.ok(f.onboarding.receiveWith.min > 0.5)
  assert.equal(r.tables.length, 2)
})
