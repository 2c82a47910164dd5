/**
 * The downtime bench works and measures what it says: four arms of the same seeded Storm and
 * workload, success before / during / after as shares, the same "before" in every arm (nothing
 * differs until the window), the Storm's arm really rebalancing (without the hub), and the same
 * figures for the same seed. No timing is asserted.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { DOWNTIME, runArm } from '../../bench/downtime.ts'
import { defaultRules } from '../../src/manager/rules.ts'

test('downtime bench: four arms per seed, shares in [0, 1], one "before" per seed, deterministic', async () => {
  const config = DOWNTIME.presets.tiny
  const r = await DOWNTIME.run(config, () => {})
  assert.equal(r.figures.runs.length, config.seeds.length * 4)
  for (const run of r.figures.runs) {
    for (const x of Object.values(run.success)) assert.ok(x >= 0 && x <= 1, `${run.arm}: ${x}`)
  }
  for (const seed of config.seeds) {
    const befores = new Set(r.figures.runs.filter(x => x.seed === seed).map(x => x.success.before))
    assert.equal(befores.size, 1, 'the arms are the same Storm and workload until the window')
    const nothing = r.figures.runs.find(x => x.seed === seed && x.arm === 'unplanned, no rebalancing')!
    assert.equal(nothing.rebalances, 0, 'doing nothing makes no payments of its own')
  }
  assert.equal(r.figures.summary.length, 4)
  assert.equal(r.tables[0]!.rows.length, 4)
  assert.ok(r.figures.duringRatio.min > 0)
  const rules = defaultRules()
  assert.deepEqual(runArm(1, 'Storm downtime', config, rules), runArm(1, 'Storm downtime', config, rules), 'same seed, same figures')
})

test('the hub really is gone during the window: in a star, the others pay each other only before and after', () => {
  const config = { ...DOWNTIME.presets.tiny, members: 5, ringDegree: 0, seeds: [1] }
  for (const arm of ['unplanned, no rebalancing', 'Storm downtime'] as const) {
    const r = runArm(1, arm, config, defaultRules())
    assert.ok(r.success.before > 0.5, `${arm} before: ${r.success.before}`)
    assert.equal(r.success.during, 0, `${arm}: nothing gets through an offline hub`)
    assert.ok(r.success.after > 0, `${arm}: back after the window`)
  }
  assert.ok(runArm(1, 'hub stays up', config, defaultRules()).success.during > 0.5)
})
