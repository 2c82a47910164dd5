/**
 * Rebalancing weighed against what it earns: once members report their forwarding flow, a circular
 * payment is planned only when the routing fees the liquidity it restores is expected to earn
 * cover its fee by `minGainRatio`, and the fees of a window's rebalancing stay within `maxFeeShare`
 * of the fees members earned in it (rebalancing forwards taken out). Graphs are built on the
 * simulated network; the flow is what the members' reports would carry.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { SimNetwork, simReport } from '../../src/simnet/index.ts'
import { ManualClock } from '../../src/shared/clock.ts'
import { reconcileGraph, type NodeReport, type StormGraph } from '../../src/manager/planning/storm_graph.ts'
import { planRebalancing, type RebalanceAttempt } from '../../src/manager/planning/plan_rebalancing.ts'
import { sideKey, type ObservedFlow } from '../../src/manager/planning/rebalance_economics.ts'
import { defaultRebalanceRules } from '../../src/manager/planning/rebalance_rules.ts'
import { observedFlow } from '../../src/manager/use_cases/plan_rebalancing.ts'

const FEES = { baseFeeMsat: '1000', feeRatePpm: 100 }
const NOW = 1_000_000_000
const DAY = 86_400_000

/** `count` triangles X→Y→Z→X, each channel 900,000 of 1,000,000 on its opener's side. */
function triangles (count: number) {
  const net = SimNetwork.create({ seed: 'rebalancing-economics', clock: new ManualClock(NOW), defaultPolicy: { ...FEES, cltvDelta: 80 } })
  const out = []
  for (let t = 0; t < count; t++) {
    const [x, y, z] = ['X', 'Y', 'Z'].map(n => net.addNode(`${n}${t}`))
    const xy = net.openChannelNow(x!.publicKey, y!.publicKey, 1_000_000, 900_000)
    const yz = net.openChannelNow(y!.publicKey, z!.publicKey, 1_000_000, 900_000)
    const zx = net.openChannelNow(z!.publicKey, x!.publicKey, 1_000_000, 900_000)
    // the sides a payment round the triangle gives more to send: each channel's drained side
    const restored = [sideKey(y!.publicKey, xy.id), sideKey(z!.publicKey, yz.id), sideKey(x!.publicKey, zx.id)]
    const drifting = [sideKey(x!.publicKey, xy.id), sideKey(y!.publicKey, yz.id), sideKey(z!.publicKey, zx.id)]
    out.push({ restored, drifting, channels: [xy.id, yz.id, zx.id], payer: [x!, y!, z!] })
  }
  const graph: StormGraph = reconcileGraph(net.nodes().map((n, i) => ({ member: `m${i}`, key: n.publicKey, alias: n.alias, report: simReport(net, n.publicKey, NOW) })), FEES)
  return { net, graph, triangles: out }
}

/** A day's flow: each listed side forwarded `amount` sats and earned `feeMsat`. */
function flow (...groups: Array<{ sides: string[], amount: number, feeMsat: number }>): ObservedFlow {
  const sides = new Map<string, { amount: number, feeMsat: number }>()
  for (const g of groups) for (const s of g.sides) sides.set(s, { amount: g.amount, feeMsat: g.feeMsat })
  return { windowMs: DAY, sides }
}

test('a drifted cycle whose drained sides forward a lot is rebalanced: its expected earnings cover the fee', () => {
  const { graph, triangles: [t] } = triangles(1)
  // each drained side forwarded 1,000,000 sats a day at 300 msat per sat: 400,000 restored sats
  // earn 120,000 msat on each of the three channels, against a fee of about 82,000 msat
  const plan = planRebalancing({ graph, rules: defaultRebalanceRules(), now: NOW, history: [], flow: flow({ sides: t!.restored, amount: 1_000_000, feeMsat: 300_000 }) })
  assert.equal(plan.payments.length, 1)
  const [p] = plan.payments
  assert.equal(p!.amount, 400_000)
  assert.equal(p!.gainMsat, 3 * 120_000)
  assert.ok(p!.gainMsat >= 1.5 * p!.feeMsat, `gain ${p!.gainMsat} against fee ${p!.feeMsat}`)
})

test('a rebalance that costs more than its liquidity can earn is not planned, however far the channels drifted', () => {
  const { graph, triangles: [t] } = triangles(1)
  // the drained sides forwarded 100,000 sats a day: the 400,000 sats restored would earn 3 × 30,000
  // msat, less than 1.5 × the ~82,000 msat fee; the drifting sides earned plenty, so the fee cap
  // is not what stops it
  const observed = flow({ sides: t!.restored, amount: 100_000, feeMsat: 30_000 }, { sides: t!.drifting, amount: 10_000_000, feeMsat: 3_000_000 })
  const plan = planRebalancing({ graph, rules: defaultRebalanceRules(), now: NOW, history: [], flow: observed })
  assert.deepEqual(plan.payments, [])
  assert.equal(plan.imbalancedBefore, 3)
  assert.equal(plan.imbalancedAfter, 3, 'nothing moves')
  // sides that forwarded nothing are expected to earn nothing: not planned either
  const idle = planRebalancing({ graph, rules: defaultRebalanceRules(), now: NOW, history: [], flow: flow({ sides: t!.drifting, amount: 10_000_000, feeMsat: 3_000_000 }) })
  assert.deepEqual(idle.payments, [])
  // the same Storm with minGainRatio 0 is rebalanced: the rule is what stopped it
  const off = planRebalancing({ graph, rules: defaultRebalanceRules({ minGainRatio: 0 }), now: NOW, history: [], flow: observed })
  assert.equal(off.payments.length, 1)
})

test('without a reported flow the round follows the balances alone (the fee rules cannot apply)', () => {
  const { graph } = triangles(1)
  const plan = planRebalancing({ graph, rules: defaultRebalanceRules(), now: NOW, history: [] })
  assert.equal(plan.payments.length, 1)
  assert.equal(plan.payments[0]!.gainMsat, 0)
})

test('the fees of a window\'s rebalancing stay within maxFeeShare of the fees earned in it, rebalancing fees taken out', () => {
  const { graph, triangles: ts } = triangles(4)
  const sides = ts.flatMap(t => t.restored)
  // 12 drained sides each earned 300,000 msat: 3,600,000 msat in all; a 10 % share is 360,000
  // msat, room for four payments of ~83 sats but not for those plus what was paid already
  const observed = flow({ sides, amount: 1_000_000, feeMsat: 300_000 })
  const all = planRebalancing({ graph, rules: defaultRebalanceRules(), now: NOW, history: [], flow: observed })
  assert.equal(all.payments.length, 4, 'the cap leaves room for every triangle')
  const spent = all.payments.reduce((s, p) => s + p.maxFee * 1000, 0)
  assert.ok(spent <= 0.1 * 3_600_000, `${spent} msat planned`)
  // 200 sats of rebalancing fees paid in the window: the room is 10 % of (3,600,000 − 200,000)
  // msat less those 200,000 msat, 140,000 msat: one payment fits, not two
  const paid: RebalanceAttempt = { at: NOW - 3_600_000, payer: ts[0]!.payer[0]!.publicKey, amount: 50_000, fee: 200, sides: [], outcome: 'succeeded' }
  for (const rules of [defaultRebalanceRules(), defaultRebalanceRules({ maxFeeShare: 0.05 })]) {
    const capped = planRebalancing({ graph, rules, now: NOW, history: [paid], flow: observed })
    const room = rules.maxFeeShare * (3_600_000 - 200_000) - 200_000
    const planned = capped.payments.reduce((s, p) => s + p.maxFee * 1000, 0)
    assert.ok(planned <= Math.max(0, room), `maxFeeShare ${rules.maxFeeShare}: ${planned} msat planned, room ${room}`)
    assert.equal(capped.payments.length, rules.maxFeeShare === 0.1 ? 1 : 0)
  }
  // maxFeeShare 0: no cap
  assert.equal(planRebalancing({ graph, rules: defaultRebalanceRules({ maxFeeShare: 0 }), now: NOW, history: [paid], flow: observed }).payments.length, 4)
  // a failed attempt paid nothing: it does not use the room
  const failed = planRebalancing({ graph, rules: defaultRebalanceRules(), now: NOW, history: [{ ...paid, outcome: 'failed' }], flow: observed })
  assert.equal(failed.payments.length, 4)
})

test('the manager reads the flow from the latest reports, each window scaled to the longest; a member that keeps its flow private adds nothing', () => {
  const report = (from: number, to: number, channels: Array<[string, number, string]>): NodeReport['report'] => ({
    at: to, health: { healthy: true }, balance: { confirmed: 0, unconfirmed: 0 }, channels: [], pending: [],
    flow: { from, to, channels: channels.map(([channel, outAmount, feeMsat]) => ({ channel, inAmount: 0, outAmount, forwards: 1, feeMsat })) }
  })
  const hour = 3_600_000
  const flowOf = observedFlow([
    { member: 'a', key: 'ka', report: report(NOW - hour, NOW, [['1x1x0', 10_000, '2000']]) },
    { member: 'b', key: 'kb', report: report(NOW - hour / 4, NOW, [['2x1x0', 1_000, '100']]) },
    { member: 'c', key: 'kc', report: { at: NOW, health: { healthy: true }, balance: { confirmed: 0, unconfirmed: 0 }, channels: [], pending: [], flowPrivate: true } }
  ])
  assert.ok(flowOf !== undefined)
  assert.equal(flowOf.windowMs, hour)
  assert.deepEqual(flowOf.sides.get(sideKey('ka', '1x1x0')), { amount: 10_000, feeMsat: 2000 })
  assert.deepEqual(flowOf.sides.get(sideKey('kb', '2x1x0')), { amount: 4_000, feeMsat: 400 })
  assert.equal(flowOf.sides.size, 2)
  assert.equal(observedFlow([{ member: 'c', key: 'kc' }]), undefined, 'no flow reported: no flow')
})
