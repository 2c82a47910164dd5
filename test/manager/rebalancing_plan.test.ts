/**
 * The collective rebalancing planner, on graphs built on the simulated network: what it plans
 * for a drifted Storm, which limits stop it, and — property-tested on random Storms, with each
 * planned payment executed by the simulated network — that circulations conserve every member's
 * total less fees and that no payment breaks a limit, a balance or a reserve.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { SimNetwork, simReport } from '../../src/simnet/index.ts'
import { ManualClock } from '../../src/shared/clock.ts'
import { reconcileGraph, type StormGraph } from '../../src/manager/planning/storm_graph.ts'
import { outOfZone, planRebalancing, type RebalanceAttempt, type PlannedRebalance } from '../../src/manager/planning/plan_rebalancing.ts'
import { defaultRebalanceRules, type RebalanceRules } from '../../src/manager/planning/rebalance_rules.ts'

const FEES = { baseFeeMsat: '1000', feeRatePpm: 100 }
const NOW = 1_000_000_000

function network (): SimNetwork {
  return SimNetwork.create({ seed: 'rebalancing-plan', clock: new ManualClock(NOW), defaultPolicy: { ...FEES, cltvDelta: 80 } })
}

function graphOf (net: SimNetwork): StormGraph {
  return reconcileGraph(net.nodes().map((n, i) => ({ member: `m${i}`, key: n.publicKey, alias: n.alias, report: simReport(net, n.publicKey, NOW) })), FEES)
}

/** A, B, C with the channels A→B, B→C, C→A each holding `local` of 1,000,000 on the opener's side. */
function triangle (local: number) {
  const net = network()
  const [a, b, c] = ['A', 'B', 'C'].map(alias => net.addNode(alias))
  const ab = net.openChannelNow(a!.publicKey, b!.publicKey, 1_000_000, local)
  const bc = net.openChannelNow(b!.publicKey, c!.publicKey, 1_000_000, local)
  const ca = net.openChannelNow(c!.publicKey, a!.publicKey, 1_000_000, local)
  return { net, a: a!, b: b!, c: c!, ab, bc, ca }
}

function execute (net: SimNetwork, payments: PlannedRebalance[]): void {
  for (const p of payments) {
    const r = net.payCircular(p.payer, { amount: p.amount, outgoingChannel: p.outgoingChannel, hops: p.hops, maxFee: p.maxFee })
    assert.ok(r.ok, `planned payment failed: ${JSON.stringify(r)}`)
  }
}

test('a Storm drifted round a cycle is fixed by one circular payment that pays nothing to anyone but fees', () => {
  const { net, a, b, c, ab } = triangle(900_000)
  const plan = planRebalancing({ graph: graphOf(net), rules: defaultRebalanceRules(), now: NOW, history: [] })
  assert.equal(plan.imbalancedBefore, 3)
  assert.equal(plan.payments.length, 1, 'one payment fixes all three channels')
  const [p] = plan.payments
  assert.equal(p!.channels.length, 3)
  assert.equal(p!.fixes, 3)
  assert.equal(p!.amount, 400_000)
  assert.equal(plan.imbalancedAfter, 0)
  const before = [a, b, c].map(n => net.localBalanceMsat(n.publicKey))
  execute(net, plan.payments)
  const after = [a, b, c].map(n => net.localBalanceMsat(n.publicKey))
  const payer = [a, b, c].findIndex(n => n.publicKey === p!.payer)
  const paid = before[payer]! - after[payer]!
  assert.equal(paid, p!.feeMsat, 'the payer is poorer by exactly the planned fee')
  assert.equal(before.reduce((s, x) => s + x, 0), after.reduce((s, x) => s + x, 0), 'no sat leaves the Storm')
  for (const [i, n] of [a, b, c].entries()) if (i !== payer) assert.ok(after[i]! >= before[i]!, `${n.alias} only earns`)
  for (const n of [a, b, c]) for (const ch of net.channelsOf(n.publicKey)) assert.ok(!outOfZone(ch.localBalance, ch.capacity, { balancePoint: 0.5, deadzone: 0.1 }))
  const abNow = net.channelsOf(a.publicKey).find(x => x.id === ab.id)!.localBalance
  assert.ok(Math.abs(abNow - 500_000) <= Math.ceil(p!.feeMsat / 1000), `A→B back at its balance point, give or take the fee: ${abNow}`)
})

test('a balanced Storm, or one inside the dead zone, gets no payment', () => {
  for (const local of [500_000, 590_000, 410_000]) {
    const { net } = triangle(local)
    const plan = planRebalancing({ graph: graphOf(net), rules: defaultRebalanceRules(), now: NOW, history: [] })
    assert.deepEqual(plan.payments, [], `local ${local}`)
    assert.equal(plan.imbalancedBefore, 0)
  }
})

test('a drift with no cycle to send it round is left alone (no pairwise payment between owners)', () => {
  const net = network()
  const [a, b] = ['A', 'B'].map(alias => net.addNode(alias))
  net.openChannelNow(a!.publicKey, b!.publicKey, 1_000_000, 1_000_000)
  const plan = planRebalancing({ graph: graphOf(net), rules: defaultRebalanceRules(), now: NOW, history: [] })
  assert.equal(plan.imbalancedBefore, 1)
  assert.deepEqual(plan.payments, [])
})

const cases: Array<{ description: string, rules: Partial<RebalanceRules>, history?: (t: ReturnType<typeof triangle>) => RebalanceAttempt[], paused?: (t: ReturnType<typeof triangle>) => Map<string, number>, expected: (p: PlannedRebalance[], t: ReturnType<typeof triangle>) => void }> = [
  {
    description: 'a node override (by alias) of balancePoint moves where that node\'s channels settle',
    rules: { idSettings: [{ id: 'A', balancePoint: 0.7 }, { id: 'B:__ab__', balancePoint: 0.3 }, { id: 'C:__ca__', balancePoint: 0.3 }] },
    expected: (p, t) => {
      // A wants 0.7 of its channels (it holds 0.9 of A→B): the cycle moves A→B into A's zone, no further
      assert.equal(p.length, 1)
      assert.ok(p[0]!.channels.includes(t.ab.id))
      assert.ok(p[0]!.amount >= 100_000 && p[0]!.amount <= 300_000, `amount ${p[0]!.amount}`)
    }
  },
  {
    description: 'maxTransactionSize caps the amount',
    rules: { baseSettings: { ...defaultRebalanceRules().baseSettings, maxTransactionSize: 150_000 } },
    expected: p => { assert.equal(p.length, 1); assert.equal(p[0]!.amount, 150_000) }
  },
  {
    description: 'a channel override of maxTransactionSize caps every cycle through that channel',
    rules: { idSettings: [{ id: '__bc__', maxTransactionSize: 120_000 }] },
    expected: p => { assert.equal(p.length, 1); assert.equal(p[0]!.amount, 120_000) }
  },
  {
    description: 'a wide dead zone for one channel side (alias:channelId): that channel is not fixed, only carries the payment within its zone',
    rules: { idSettings: [{ id: 'B:__bc__', deadzone: 0.45 }, { id: 'C:__bc__', deadzone: 0.45 }] },
    expected: p => { assert.equal(p.length, 1); assert.equal(p[0]!.fixes, 2); assert.equal(p[0]!.channels.length, 3) }
  },
  {
    description: 'maxAmountPerPeriod already used up by every node stops the round',
    rules: {},
    history: t => [t.a, t.b, t.c].map(n => ({ at: NOW - 3600_000, payer: n.publicKey, amount: 5_000_000, fee: 10, sides: [], outcome: 'succeeded' as const })),
    expected: p => assert.deepEqual(p, [])
  },
  {
    description: 'a node that paid a minute ago is not the payer; the next node on the cycle pays',
    rules: { baseSettings: { ...defaultRebalanceRules().baseSettings, minTimeBetweenPayments: 600 } },
    history: t => [{ at: NOW - 60_000, payer: t.a.publicKey, amount: 10_000, fee: 1, sides: [], outcome: 'failed' }],
    expected: (p, t) => { assert.equal(p.length, 1); assert.notEqual(p[0]!.payer, t.a.publicKey) }
  },
  {
    description: 'maxTransactionsPerPeriod counts failed attempts too',
    rules: { baseSettings: { ...defaultRebalanceRules().baseSettings, maxTransactionsPerPeriod: 1 } },
    history: t => [t.a, t.b, t.c].map(n => ({ at: NOW - 3600_000, payer: n.publicKey, amount: 10_000, fee: 0, sides: [], outcome: 'failed' as const })),
    expected: p => assert.deepEqual(p, [])
  },
  {
    description: 'a channel with a payment still in flight is not planned again',
    rules: {},
    history: t => [{ at: NOW - 1000, payer: t.c.publicKey, amount: 10_000, fee: 1, sides: [{ node: t.a.publicKey, channel: t.ab.id }], outcome: 'in_flight' }],
    expected: p => assert.deepEqual(p, [])
  },
  {
    description: 'agents that refused for their own limits are not asked to pay until the refusal lapses',
    rules: {},
    paused: t => new Map([t.a, t.b, t.c].map(n => [n.publicKey, NOW + 60_000])),
    expected: p => assert.deepEqual(p, [])
  },
  {
    description: 'maxFeePpm below the cycle\'s fee refuses it',
    rules: { maxFeePpm: 50 },
    expected: p => assert.deepEqual(p, [])
  },
  {
    description: 'maxCycleLength 2 finds no triangle',
    rules: { maxCycleLength: 2 },
    expected: p => assert.deepEqual(p, [])
  }
]

for (const c of cases) {
  test(`limits: ${c.description}`, () => {
    const t = triangle(900_000)
    const raw = JSON.parse(JSON.stringify(c.rules).replaceAll('__bc__', t.bc.id).replaceAll('__ab__', t.ab.id).replaceAll('__ca__', t.ca.id)) as Partial<RebalanceRules>
    const plan = planRebalancing({
      graph: graphOf(t.net),
      rules: defaultRebalanceRules(raw),
      now: NOW,
      history: c.history?.(t) ?? [],
      ...(c.paused === undefined ? {} : { paused: c.paused(t) })
    })
    c.expected(plan.payments, t)
  })
}

test('property: on random Storms every planned payment succeeds, conserves each member\'s total less fees and keeps every limit', () => {
  fc.assert(fc.property(
    fc.integer({ min: 3, max: 9 }),
    fc.array(fc.tuple(fc.nat(8), fc.nat(8), fc.integer({ min: 100_000, max: 3_000_000 }), fc.double({ min: 0, max: 1, noNaN: true })), { minLength: 3, maxLength: 24 }),
    fc.integer({ min: 20_000, max: 1_000_000 }),
    fc.constantFrom(0, 0.05, 0.1, 0.2),
    (n, specs, maxTx, deadzone) => {
      const net = network()
      const nodes = Array.from({ length: n }, (_, i) => net.addNode(`N${i}`))
      const pairs = new Set<string>()
      for (const [x, y, capacity, share] of specs) {
        const i = x % n
        const j = y % n
        if (i === j || pairs.has(`${Math.min(i, j)}-${Math.max(i, j)}`)) continue
        pairs.add(`${Math.min(i, j)}-${Math.max(i, j)}`)
        net.openChannelNow(nodes[i]!.publicKey, nodes[j]!.publicKey, capacity, Math.round(capacity * share))
      }
      const rules = defaultRebalanceRules({ baseSettings: { ...defaultRebalanceRules().baseSettings, maxTransactionSize: maxTx, deadzone }, maxFeePpm: 5_000 })
      const graph = graphOf(net)
      const plan = planRebalancing({ graph, rules, now: NOW, history: [] })
      const before = nodes.map(x => net.localBalanceMsat(x.publicKey))
      const beforeChannels = nodes.map(x => net.channelsOf(x.publicKey))
      const payers = new Set<string>()
      for (const p of plan.payments) {
        assert.ok(p.amount <= maxTx && p.amount >= rules.minAmount, 'amount within maxTransactionSize and minAmount')
        assert.ok(!payers.has(p.payer), 'one payment per payer per round (minTimeBetweenPayments)')
        payers.add(p.payer)
        assert.ok(p.feeMsat <= rules.maxFeePpm * p.amount / 1000)
        assert.equal(new Set(p.channels).size, p.channels.length, 'a channel at most once per cycle')
      }
      const fees = new Map<string, number>()
      for (const p of plan.payments) {
        const r = net.payCircular(p.payer, { amount: p.amount, outgoingChannel: p.outgoingChannel, hops: p.hops, maxFee: p.maxFee })
        assert.ok(r.ok, `planned payment failed: ${JSON.stringify(r)}`)
        fees.set(p.payer, (fees.get(p.payer) ?? 0) + r.feeMsat)
      }
      const after = nodes.map(x => net.localBalanceMsat(x.publicKey))
      assert.equal(after.reduce((s, x) => s + x, 0), before.reduce((s, x) => s + x, 0), 'the Storm\'s total is conserved')
      nodes.forEach((x, i) => {
        const paid = fees.get(x.publicKey) ?? 0
        assert.ok(after[i]! >= before[i]! - paid, `${x.alias} lost no more than the fees it paid`)
        const was = new Map(beforeChannels[i]!.map(ch => [ch.id, ch.localBalance]))
        for (const ch of net.channelsOf(x.publicKey)) assert.ok(ch.localBalance >= ch.localReserve || ch.localBalance >= was.get(ch.id)!, 'no side sent into its reserve')
      })
      // what was fixed stays fixed: no channel is pushed out of its zone by the round
      const now = graphOf(net)
      const outside = now.channels.filter(ch => outOfZone(ch.balA, ch.capacity, { balancePoint: 0.5, deadzone })).length
      assert.ok(outside <= plan.imbalancedBefore, `imbalanced ${plan.imbalancedBefore} → ${outside}`)
    }
  ), { numRuns: 150, seed: 9 })
})
