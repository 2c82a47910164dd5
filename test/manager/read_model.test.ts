/**
 * The read model: what every reader (dashboard, public summary, later the chat renderers) sees of
 * a Storm, built from the state, the agents' reports and the flow history — and what it must not
 * claim: a rating nobody computed, flow nobody reported, the same forwards twice.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ManagerFixture, channelReport, outpoint } from '../support/manager_fixture.ts'
import { FlowHistory } from '../../src/manager/flow_history.ts'
import {
  channelGraph, membersView, feesView, stormView, pendingView, publicSummary, StormSummarySchema, summaryJsonSchema,
  StormViewSchema, type ReadSource
} from '../../src/manager/queries/index.ts'
import type { Report } from '../../src/protocol/messages.ts'
import { defaultRebalanceRules } from '../../src/manager/planning/rebalance_rules.ts'

const HOUR = 3_600_000

async function storm () {
  const f = await ManagerFixture.start()
  const alice = await f.joinAndPair('alice')
  const bob = await f.joinAndPair('bob')
  const carol = await f.joinAndPair('carol')
  // alice opened 1,000,000 to bob (900k on her side) and 500,000 to carol (half each side)
  const ab = { ...channelReport(outpoint(1), bob.nodeKey, 1_000_000, 900_000), id: '100x1x0' }
  const ac = { ...channelReport(outpoint(2), carol.nodeKey, 500_000, 250_000), id: '100x2x0' }
  await f.report(alice.agentKey, 1_000_000, [ab, ac])
  const src = (flow?: FlowHistory): ReadSource => ({
    state: f.manager.state, observations: f.manager.observations, rules: f.manager.rules, now: f.clock.now(), ...(flow === undefined ? {} : { flow })
  })
  return { f, alice, bob, carol, ab, ac, src }
}

test('the graph shows each member once and each channel once, coloured against the balance point', async () => {
  const { f, alice, bob, carol, ab, src } = await storm()
  // bob reports the same channel later, from his side: 150k on alice's side now
  f.clock.advance(1000)
  await f.report(bob.agentKey, 0, [{ ...ab, peer: alice.nodeKey, initiator: false, localBalance: 850_000, remoteBalance: 150_000 }])

  const g = channelGraph(src())
  assert.deepEqual(g.nodes.map(n => n.name), ['@alice', '@bob', '@carol'])
  assert.equal(g.channels.length, 2, 'a channel both ends report is shown once')
  const toBob = g.channels.find(c => c.b === bob.id)!
  assert.equal(toBob.a, alice.id, 'a is the side that opened it')
  assert.ok(toBob.balance.known)
  assert.equal(toBob.balance.value.a, 150_000, 'the newer report wins')
  assert.equal(toBob.balance.value.zone, 'b_heavy')
  assert.ok(Math.abs(toBob.balance.value.deviation - (0.15 - 0.5)) < 1e-9)
  const toCarol = g.channels.find(c => c.b === carol.id)!
  assert.ok(toCarol.balance.known && toCarol.balance.value.zone === 'balanced')
  assert.deepEqual(g.balance, { balancePoint: 0.5, deadzone: 0.1, source: 'tightrope_default' })
  assert.equal(g.capacity, 1_500_000)
})

test('a member\'s own balance point (the rebalancing rules\' idSettings) colours its side of a channel', async () => {
  const f = await ManagerFixture.start({ rebalancing: defaultRebalanceRules({ idSettings: [{ id: 'alice', balancePoint: 0.8 }] }) })
  const alice = await f.joinAndPair('alice')
  const carol = await f.joinAndPair('carol')
  await f.report(alice.agentKey, 0, [{ ...channelReport(outpoint(2), carol.nodeKey, 500_000, 250_000), id: '100x2x0' }])
  const g = channelGraph({ state: f.manager.state, observations: f.manager.observations, rules: f.manager.rules, now: f.clock.now() })
  const c = g.channels[0]!
  assert.ok(c.balance.known)
  assert.equal(c.balance.value.settings.balancePoint, 0.8, 'alice wants 80% on her side')
  assert.equal(c.balance.value.zone, 'b_heavy', 'half is too little for her')
})

test('members carry stake from reports and the rating governance keeps; open proposals are listed', async () => {
  const { f, alice, bob, src } = await storm()
  const rows = membersView(src())
  const a = rows.find(r => r.id === alice.id)!
  assert.equal(a.stake, 1_500_000)
  assert.equal(a.stakeBasis, 'reported')
  assert.equal(a.stakeShare, 1)
  assert.equal(a.channels, 2)
  assert.equal(a.online, true)
  assert.deepEqual(a.healthy, { known: true, value: true })
  assert.deepEqual(a.rating, { known: true, value: 100 })
  assert.equal(rows.find(r => r.id === bob.id)!.stake, 0, 'a channel opened to bob is alice\'s stake')
  f.manager.state.members[bob.id]!.rating = 42
  assert.deepEqual(membersView(src()).find(r => r.id === bob.id)!.rating, { known: true, value: 42 })

  // a state without governance's section (an older manager's) has no rating to show, only a default
  const s = src()
  const { governance: _g, ...older } = s.state
  const withoutGov: ReadSource = { ...s, state: older as typeof s.state }
  assert.deepEqual(membersView(withoutGov).find(r => r.id === alice.id)!.rating, { known: false, reason: 'not_yet_available' })
  assert.deepEqual(pendingView(withoutGov).proposals, { known: false, reason: 'not_yet_available' })
  assert.deepEqual(pendingView(src()).proposals, { known: true, value: [] })
})

test('fee votes are grouped by choice and weighed by stake', async () => {
  const { f, alice, bob, src } = await storm()
  // governance records standing votes on the member; here the test stands in for it
  f.manager.state.members[alice.id]!.feeVote = { baseFeeMsat: '2000', feeRatePpm: 300, at: 1 }
  f.manager.state.members[bob.id]!.feeVote = { baseFeeMsat: '2000', feeRatePpm: 300, at: 1 }
  const v = feesView(src(), membersView(src()))
  assert.deepEqual(v.consensus, { baseFeeMsat: '1000', feeRatePpm: 100, decidedAt: null })
  assert.equal(v.votes.voters, 2)
  assert.deepEqual(v.votes.distribution, [{ baseFeeMsat: '2000', feeRatePpm: 300, voters: 2, stake: 1_500_000, share: 1 }])
})

test('a fee vote cast through the manager shows in the distribution, and decides the consensus', async () => {
  const { f, alice, src } = await storm()
  const r = await f.manager.voteFee(alice.actor, { baseFeeMsat: '2500', feeRatePpm: 2250 })
  assert.ok(r.ok, JSON.stringify(!r.ok && r.error.code))
  const v = feesView(src(), membersView(src()))
  assert.deepEqual(v.votes.distribution.map(d => [d.baseFeeMsat, d.feeRatePpm, d.voters, d.share]), [['2500', 2250, 1, 1]])
  // alice holds all the stake: her vote is the quorum, the round is decided at once
  assert.deepEqual(v.consensus, { baseFeeMsat: '2500', feeRatePpm: 2250, decidedAt: f.clock.now() })
  assert.deepEqual(pendingView(src()).proposals, { known: true, value: [] }, 'no round left open')
})

test('flow goes into hourly buckets once: overlapping and whole-history windows are skipped, not counted twice', () => {
  const storm = new Set(['02'.padEnd(66, 'a')])
  const report = (from: number, to: number, fee: string, channel = '1x1x1'): Report => ({
    at: to,
    health: { healthy: true },
    balance: { confirmed: 0, unconfirmed: 0 },
    channels: [{ id: '1x1x1', channelPoint: outpoint(9), peer: '02'.padEnd(66, 'a'), capacity: 1_000_000, localBalance: 500_000, remoteBalance: 500_000, localReserve: 0, remoteReserve: 0, active: true, initiator: true }],
    pending: [],
    flow: { from, to, channels: [{ channel, inAmount: 0, outAmount: 10_000, forwards: 2, feeMsat: fee }] }
  })
  const h = new FlowHistory()
  const t0 = Date.UTC(2026, 0, 1)
  assert.equal(h.record('m1', report(0, t0, '5000'), storm), 'skipped', 'a first window from the node\'s beginning cannot be placed in time')
  assert.equal(h.record('m1', report(t0, t0 + 60_000, '5000'), storm), 'counted')
  assert.equal(h.record('m1', report(t0, t0 + 60_000, '5000'), storm), 'skipped', 'the same window again')
  assert.equal(h.record('m1', report(t0 + 60_000, t0 + HOUR + 1, '7000'), storm), 'counted')
  assert.equal(h.record('m1', report(t0 + HOUR + 1, t0 + HOUR + 2, '9000', '2x2x2'), storm), 'counted', 'counted as a report, with no Storm forwards')
  const s = h.series(t0, t0 + 2 * HOUR)
  assert.deepEqual(s, [
    { start: t0, forwards: 2, amount: 10_000, feeMsat: '5000', reports: 1 },
    { start: t0 + HOUR, forwards: 2, amount: 10_000, feeMsat: '7000', reports: 2 }
  ])
  assert.equal(h.skipped, 2)
  // it survives a round trip through its document
  assert.deepEqual(new FlowHistory(h.toDoc()).series(t0, t0 + 2 * HOUR), s)
})

test('earnings per 1M sats per day follow the formula shown; without flow they are unknown, not zero', async () => {
  const { f, alice, bob, ab, ac, src } = await storm()
  const empty = stormView(src())
  assert.deepEqual(empty.earnings.perMillionPerDay, { known: false, reason: 'no_data' })
  assert.deepEqual(empty.flow.forwardsPerSecond, { known: false, reason: 'no_data' })

  const history = new FlowHistory()
  const start = f.clock.now()
  const nodes = new Set([bob.nodeKey])
  const flowReport = (from: number, to: number): Report => ({
    at: to, health: { healthy: true }, balance: { confirmed: 0, unconfirmed: 0 }, channels: [ab, ac], pending: [],
    flow: { from, to, channels: [{ channel: ab.id, inAmount: 0, outAmount: 1_000_000, forwards: 100, feeMsat: '1500000' }] }
  })
  // a day of reports: 1,500 sats of fees in each of two half-day windows
  history.record(alice.id, flowReport(start, start + 12 * HOUR), nodes)
  history.record(alice.id, flowReport(start + 12 * HOUR, start + 24 * HOUR), nodes)
  f.clock.advance(24 * HOUR)
  const v = stormView(src(history))
  assert.equal(v.flow.totals.fees, 3000)
  assert.equal(v.earnings.capacity, 1_500_000)
  assert.ok(Math.abs(v.earnings.days - 1) < 0.05, `covered ${v.earnings.days} days`)
  assert.ok(v.earnings.perMillionPerDay.known)
  // 3,000 sats ÷ ~1 day ÷ 1.5 = ~2,000
  assert.ok(Math.abs(v.earnings.perMillionPerDay.value - 3000 / v.earnings.days / 1.5) < 1e-6)
  assert.ok(v.flow.forwardsPerSecond.known && v.flow.forwardsPerSecond.value > 0)
  StormViewSchema.parse(v)

  const summary = publicSummary(v, 7 * 86_400_000)
  StormSummarySchema.parse(summary)
  assert.equal(summary.members, 3)
  assert.equal(summary.channels, 2)
  assert.deepEqual(summary.ratingDistribution?.buckets.at(-1), { from: 90, to: 100, members: 3 })
  assert.equal(summary.ratingDistribution?.unrated, 0)
  assert.ok(summary.expectedEarningsPer1MSatsPerDay !== null && summary.expectedEarningsPer1MSatsPerDay > 1900)
  assert.doesNotMatch(JSON.stringify(summary), /alice|bob|[0-9a-f]{66}/, 'no names, no node keys')
  const schema = summaryJsonSchema()
  assert.equal(schema.$id, 'storm-summary/1')
  assert.ok(Array.isArray(schema.required) && (schema.required as string[]).includes('expectedEarningsPer1MSatsPerDay'))
})
