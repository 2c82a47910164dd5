/**
 * The benches work: each runs at tiny sizes and returns figures of the right shape with sane
 * values. No timing is asserted (timings belong to `npm run bench`, not to tests).
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { BENCHES, LIQUIDITY, MEMORY, PLANNING, RECONNECT, REPORTS, ROUND_TRIP } from '../../bench/index.ts'
import type { Summary } from '../../bench/lib/stats.ts'
import { summarize, pairedRatio } from '../../bench/lib/stats.ts'
import { PLACEMENTS, type StormPicture } from '../../bench/liquidity/placement.ts'
import { PAIRWISE_NEUTRAL, STORM_CIRCULAR, stormGraph, imbalancedChannels } from '../../bench/liquidity/rebalancing.ts'
import { renderChart } from '../../bench/liquidity/chart.ts'
import { PNG } from 'pngjs'
import { buildStorm } from '../../bench/liquidity/sim_storm.ts'
import { scenario } from '../../bench/liquidity/workload.ts'
import { syntheticStorm } from '../../bench/support/synthetic_storm.ts'
import { StateSchema } from '../../src/manager/state/schema.ts'
import { ReportSchema } from '../../src/protocol/messages.ts'
import { defaultRules } from '../../src/manager/rules.ts'
import { createPrng } from '../../src/simnet/index.ts'

const quiet = (): void => {}

/** A summary of `n` samples with min ≤ median ≤ max, all finite and (for times) positive. */
function assertSummary (s: Summary, n: number, what: string, positive = true): void {
  assert.equal(s.n, n, `${what}: sample count`)
  for (const k of ['median', 'p95', 'min', 'max', 'mean'] as const) assert.ok(Number.isFinite(s[k]), `${what}.${k} is finite`)
  assert.ok(s.min <= s.median && s.median <= s.max && s.median <= s.p95 + 1e-12 && s.p95 <= s.max, `${what}: ordered`)
  if (positive) assert.ok(s.min > 0, `${what}: positive`)
}

const share = (x: number): boolean => Number.isFinite(x) && x >= 0 && x <= 1

test('summaries: median, nearest-rank p95, min, max, mean; paired ratios', () => {
  const cases = [
    { samples: [5], expected: { n: 1, median: 5, p95: 5, p99: 5, min: 5, max: 5, mean: 5 } },
    { samples: [3, 1, 2], expected: { n: 3, median: 2, p95: 3, p99: 3, min: 1, max: 3, mean: 2 } },
    { samples: [4, 1, 3, 2], expected: { n: 4, median: 2.5, p95: 4, p99: 4, min: 1, max: 4, mean: 2.5 } },
    { samples: Array.from({ length: 20 }, (_, i) => i + 1), expected: { n: 20, median: 10.5, p95: 19, p99: 20, min: 1, max: 20, mean: 10.5 } }
  ]
  for (const { samples, expected } of cases) assert.deepEqual(summarize(samples), expected, `samples ${samples.join(',')}`)
  assert.throws(() => summarize([]), /no samples/)
  assert.deepEqual(pairedRatio([2, 6], [1, 2]), summarize([2, 3]))
  assert.throws(() => pairedRatio([1], [1, 2]), /not paired/)
})

test('every placement keeps the planner\'s invariants on the same request', () => {
  const rules = defaultRules()
  const rng = createPrng('smoke')
  const n = 30
  const members = Array.from({ length: n }, (_, i) => `m${i}`)
  const picture: StormPicture = {
    members,
    indexOf: new Map(members.map((m, i) => [m, i])),
    nodeKeys: members.map((_, i) => '02' + i.toString(16).padStart(64, '0')),
    inbound: members.map((_, i) => (i % 7) * 100_000),
    channels: members.map((_, i) => i % 5),
    peers: members.map((_, i) => new Set(i === 3 ? [4, 5, 6] : [])),
    funds: members.map((_, i) => i % 2 === 0 ? 0 : 5_000_000),
    edges: [4, 5, 6].map(b => ({ a: 3, b, balA: 500_000, balB: 0 }))
  }
  for (const placement of PLACEMENTS) {
    for (const amount of [100_000, 450_001, 3_000_000, 50_000_000]) {
      const placed = placement.place({ member: 3, amount }, picture, rules, rng)
      assert.ok(placed !== null, `${placement.name} placed ${amount}`)
      assert.equal(placed.reduce((s, c) => s + c.capacity, 0), amount, `${placement.name}: capacities add up`)
      assert.ok(placed.length >= 1 && placed.length <= rules.maxChannelsPerAllocation)
      assert.equal(new Set(placed.map(c => c.peer)).size, placed.length, `${placement.name}: no peer twice`)
      for (const c of placed) {
        assert.notEqual(c.peer, 3, `${placement.name}: never itself`)
        assert.ok(![4, 5, 6].includes(c.peer), `${placement.name}: never an existing peer`)
        assert.ok(c.capacity >= rules.minChannelSize && c.capacity <= rules.maxChannelSize, `${placement.name}: size within the rules`)
      }
    }
    assert.equal(placement.place({ member: 3, amount: 99_999 }, picture, rules, rng), null, `${placement.name}: below the minimum is refused`)
  }
})

test('both rebalancers keep every member\'s funds and bring channels back toward their zone, paying fees (Storm\'s once forwards have earned them)', () => {
  const work = { rounds: 0, paymentsPerRound: 0, hubShare: 0.1, toHub: 0, fromHub: 0, minAmount: 1000, maxAmount: 1000, feeLimit: 0.01, roundSeconds: 3600 }
  const sc = scenario(3, { members: 10, fundedShare: 1, minBudget: 1_000_000, maxBudget: 2_000_000, maxRequests: 2 }, work)
  const rules = defaultRules()
  const fees = { baseFeeMsat: rules.defaultBaseFeeMsat, feeRatePpm: rules.defaultFeeRatePpm }
  for (const rebalancer of [PAIRWISE_NEUTRAL, STORM_CIRCULAR]) {
    const storm = buildStorm(sc, PLACEMENTS[0]!, rules)
    assert.ok(storm.channels.length > 0)
    const totals = () => storm.keys.map(k => storm.network.localBalanceMsat(k))
    const session = rebalancer.start(storm, rules, work)
    // members pay each other first: forwards earn the fees Storm's rebalancer weighs its own against
    const rng = createPrng('rebalancers-smoke')
    for (let k = 0; k < 300; k++) {
      const from = rng.int(storm.keys.length)
      const to = (from + 1 + rng.int(storm.keys.length - 1)) % storm.keys.length
      storm.network.payMulti(storm.keys[from]!, storm.keys[to]!, 20_000 + rng.int(200_000), { maxFee: 5_000 })
    }
    const before = totals()
    // every channel starts with all funds on the funder's side: all far outside the dead zone
    const imbalanced = imbalancedChannels(stormGraph(storm, 0, fees), rules.rebalancing.baseSettings)
    session.rebalance(1)
    const after = totals()
    assert.equal(after.reduce((x, y) => x + y, 0), before.reduce((x, y) => x + y, 0), `${rebalancer.name}: no sat leaves the Storm`)
    assert.ok(session.stats.payments > 0 && session.stats.fees > 0, `${rebalancer.name}: pays its fees`)
    const left = imbalancedChannels(stormGraph(storm, 0, fees), rules.rebalancing.baseSettings)
    assert.ok(left < imbalanced, `${rebalancer.name}: ${imbalanced} → ${left} channels out of their zone`)
    // nobody's funds went to anyone else: each member lost at most what it paid in fees
    after.forEach((x, i) => assert.ok(x >= before[i]! - session.stats.fees * 1000 - 1, `${rebalancer.name}: member ${i}`))
  }
})

test('the synthetic Storm is a valid manager state with valid reports', () => {
  const syn = syntheticStorm({ members: 25, channelsPerMember: 6 })
  StateSchema.parse(syn.state)
  assert.equal(Object.keys(syn.state.members).length, 25)
  assert.equal(syn.channels.length, 75)
  assert.equal(Object.keys(syn.state.directives).length, syn.channels.length, 'one directive per channel')
  let ends = 0
  syn.members.forEach((_, i) => { ends += ReportSchema.parse(syn.reportOf(i)).channels.length })
  assert.equal(ends, 2 * syn.channels.length, 'each channel reported by both ends')
})

test('liquidity: every strategy runs each seed beside both bounds; rates are shares; targets and chart', async () => {
  const config = LIQUIDITY.presets.tiny
  const r = await LIQUIDITY.run(config, quiet)
  const rules = defaultRules()
  const f = r.figures
  assert.deepEqual(f.storms.map(s => s.label), config.storms.map(s => s.label))
  for (const storm of f.storms) {
    assert.equal(storm.runs.length, config.seeds.length * 3 * 3, 'three placements × (none, pairwise, storm circular)')
    assert.equal(storm.bounds.length, config.seeds.length * 3, 'both bounds for each placement')
    for (const run of storm.runs) {
      assert.equal(run.payments, config.work.rounds * config.work.paymentsPerRound)
      assert.equal(run.members, storm.shape.members)
      assert.ok(run.succeeded <= run.payments && run.deliveredSats <= run.requestedSats)
      for (const x of [run.successRate, run.lastRoundSuccess, run.newcomerSuccess, run.volumeRate, run.twoWayShare, run.routedCapacityShare, ...run.perRound]) assert.ok(share(x), `${run.placement}/${run.rebalancing}: ${x}`)
      assert.equal(run.perRound.length, config.work.rounds)
      assert.ok(run.channels > 0 && run.capacity > 0 && run.attempts >= 1 && run.fees >= 0 && run.turnover >= 0 && run.rebalancedShare >= 0 && run.rebalanceFeeRatio >= 0)
      assert.equal(Object.values(run.failures).reduce((s, k) => s + k, 0), run.payments - run.succeeded, 'every failure has a code')
      assert.ok(run.succeeded <= run.maxFlowCovered && run.maxFlowCovered <= run.payments, 'the per-payment oracle covers every delivered payment')
      if (run.rebalancing === 'none') assert.deepEqual([run.rebalance.payments, run.rebalancedShare, run.paymentsPerRebalance], [0, 0, null])
      else if (run.rebalancing === 'pairwise') assert.ok(run.rebalance.payments > 0, `${run.placement}/${run.rebalancing} rebalanced`)
      // Storm's pays only what forwards earned it: within maxFeeShare of the routing fees earned
      else assert.ok(run.rebalance.fees <= rules.rebalancing.maxFeeShare * run.fees, `${run.placement}/${run.rebalancing}: ${run.rebalance.fees} sats of fees for ${run.fees} earned`)
    }
    for (const b of storm.bounds) {
      assert.ok(b.capacity.successRate >= b.oracle.successRate, 'the capacity bound is above the oracle')
      assert.equal(b.oracle.perRound.length, config.work.rounds)
    }
    // the same requests whatever the placement: the same capacity when every request was placed
    assert.ok(new Set(storm.runs.filter(x => x.unplaced === 0).map(x => x.capacity)).size <= 1)
    assert.ok(storm.ratios.length >= 6)
    for (const x of storm.ratios) assertSummary(x.metrics.successRate, config.seeds.length, 'success ratio')
    assert.ok(storm.targets.length >= 5 && storm.targets.every(t => Number.isFinite(t.measured.median)))
  }
  assert.equal(f.strategies.length, 9)
  const printed = r.tables.flatMap(t => t.rows.map(row => row.join(' ')))
  assert.ok(printed.some(line => line.includes('storm circular')))
  assert.ok(r.tables.some(t => t.title.includes('against the limit')))
  const png = PNG.sync.read(renderChart(f, config.work))
  assert.ok(png.width >= 480 && png.height >= 300)
})

test('planning: planner, random placement and addFunds are timed at each size', async () => {
  const config = PLANNING.presets.tiny
  const r = await PLANNING.run(config, quiet)
  assert.deepEqual(r.figures.sizes.map(s => s.members), config.sizes)
  for (const s of r.figures.sizes) {
    assertSummary(s.planner, config.samples, 'planner')
    assertSummary(s.random, config.samples, 'random')
    assertSummary(s.plannerVsRandom, config.samples, 'planner vs random')
    assertSummary(s.withCandidates.time, config.addFundsCalls, 'candidate list + plan')
    assert.ok(s.withCandidates.channels > 0)
    assert.deepEqual(Object.keys(s.addFunds).sort(), [...config.stores].sort())
    for (const kind of config.stores) {
      assertSummary(s.addFunds[kind]!, config.addFundsCalls, `addFunds ${kind}`)
      assert.ok(s.addFundsVsRandom[kind]! > 0)
    }
  }
})

test('reports: reports per second through zod, ed25519, the manager and the whole receive path, persisted', async () => {
  const config = REPORTS.presets.tiny
  const r = await REPORTS.run(config, quiet)
  const f = r.figures
  assert.equal(f.members, config.members)
  assert.ok(f.channelsPerReport > 0 && f.bodyBytes > 100)
  for (const [name, s] of Object.entries({ zod: f.zodParse, verify: f.verify, open: f.open, openCpu: f.openCpu, manager: f.manager, receive: f.receivePath, managerCpu: f.managerCpu, receiveCpu: f.receivePathCpu, verifyCpu: f.verifyCpu, mvz: f.managerVsZod, rvz: f.receivePathVsZod, rvv: f.receivePathVsVerify })) {
    assertSummary(s, config.samples - 1, name)
  }
  // persisted: every member reported once before the rounds, then once per round, each on disk, in grouped transactions
  assert.equal(f.store.stored, config.members)
  assert.equal(f.store.rows, config.members + 2 * config.reportsPerRound * config.samples, 'each report of the warm-up, the manager and the receive path rounds written')
  assert.ok(f.store.batches >= 1 && f.store.batches <= 1 + 2 * config.samples && f.store.syncs >= 1)
})

test('reconnect: a restarted stormd and a restarted manager (graceful, then SIGKILLed) are each found again, in separate processes', async () => {
  const r = await RECONNECT.run(RECONNECT.presets.tiny, quiet)
  const f = r.figures
  for (const s of [f.firstConnect, f.stormdRestart, f.managerGraceful, f.managerCrash, f.managerCrashFromKill]) {
    assert.equal(s.n, 1)
    assert.ok(Number.isFinite(s.median) && s.median >= 0)
  }
  assert.ok(f.managerCrashFromKill.median >= f.managerCrash.median, 'from the kill includes the new manager starting')
  assert.equal(r.tables[0]!.rows.length, 5)
})

test('round trip: directives answered over the real link, and the raw echo', async () => {
  const config = ROUND_TRIP.presets.tiny
  const r = await ROUND_TRIP.run(config, quiet)
  assertSummary(r.figures.link, config.roundTrips, 'link')
  assertSummary(r.figures.raw, config.roundTrips, 'raw')
  assertSummary(r.figures.linkVsRaw, Math.ceil(config.roundTrips / config.block), 'link vs raw')
  assert.ok(r.figures.directiveBytes > 300)
})

test('memory: heap and JSON sizes at N members', async () => {
  const config = MEMORY.presets.tiny
  const r = await MEMORY.run(config, quiet)
  const f = r.figures
  assert.equal(f.members, config.members)
  assert.ok(f.channels > 0 && f.directives === f.channels)
  assert.ok(f.jsonState > 0 && f.jsonReports > 0 && f.jsonTotal === f.jsonState + f.jsonReports)
  // without --expose-gc (the test runner) heap deltas include garbage: only their shape is checked
  for (const s of [f.heapTotal, f.heapState, f.heapObservations]) assertSummary(s, config.samples, 'heap', false)
  assert.ok(Number.isFinite(f.bytesPerMember) && Number.isFinite(f.heapVsJson))
})

test('npm run bench: names select benches, results go to the JSON file, bad names are refused', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'storm-bench-test-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  const out = join(dir, 'results.json')
  const run = promisify(execFile)
  const node = process.execPath
  const script = join(import.meta.dirname, '..', '..', 'bench', 'run.ts')
  const { stdout } = await run(node, [script, 'memory', 'liquidity', '--tiny', '--out', out])
  assert.match(stdout, /== liquidity/)
  assert.match(stdout, /ratios, subject ÷ baseline/)
  const json = JSON.parse(await readFile(out, 'utf8'))
  assert.deepEqual(json.results.map((x: { name: string }) => x.name), ['liquidity', 'memory'], 'in the registry\'s order')
  assert.equal(json.environment.gcExposed, true, 'restarted itself with --expose-gc')
  assert.equal(json.environment.preset, 'tiny')
  assert.deepEqual(json.failed, [])
  assert.equal(json.results[1].figures.collected, true)
  await assert.rejects(run(node, [script, 'nosuchbench', '--out', out]), (e: { code: number, stderr: string }) => e.code === 2 && /unknown bench: nosuchbench/.test(e.stderr))
  assert.deepEqual(BENCHES.map(b => b.name), ['liquidity', 'exit', 'planning', 'reports', 'roundtrip', 'reconnect', 'memory', 'connections', 'downtime'])
})
