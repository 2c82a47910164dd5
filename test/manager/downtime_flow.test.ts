/**
 * Planned downtime, as the manager sees it (reports and results played by the test, a manual
 * clock, the real scheduler): a member asks for two hours; the Storm holds it
 * (`do_not_disconnect`), stops placing liquidity on it, balances the OTHER members' drifted
 * channels with cycles that avoid it, and once that is paid says `safe_to_disconnect` with the
 * window. The window does not count against the rating; coming back late does, and is announced;
 * going away before it is safe is announced as leaving early; a window can be extended and
 * cancelled; everything survives a restart of the manager.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ManagerFixture, channelReport, outpoint, type TestMember } from '../support/manager_fixture.ts'
import type { StormEvent } from '../../src/manager/context.ts'
import { StormManager } from '../../src/manager/storm_manager.ts'
import type { MessageBody } from '../../src/protocol/messages.ts'
import { governance } from './governance/helpers.ts'
import { SqliteStateStore } from '../../src/manager/state/sqlite_state_store.ts'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const MINUTE = 60_000
const HOUR = 60 * MINUTE

interface Storm {
  f: ManagerFixture
  you: TestMember
  alice: TestMember
  bob: TestMember
  carol: TestMember
  dave: TestMember
  events: StormEvent[]
}

/**
 * you has a channel with each of alice, bob and carol; alice→bob→carol→alice have drifted the same
 * way round (each 85% on the sender's side); dave is paired with no channels yet.
 */
async function storm (): Promise<Storm> {
  // the rating counts from the first sample; no warnings or ban votes get in the way of the story
  const f = await ManagerFixture.start({ governance: governance({ managerGraceMs: 0, ratingMinHours: 0, ratingWarn: 0, ratingBan: 0 }) })
  const [you, alice, bob, carol, dave] = [await f.joinAndPair('you'), await f.joinAndPair('alice'), await f.joinAndPair('bob'), await f.joinAndPair('carol'), await f.joinAndPair('dave')]
  const plan: Array<[TestMember, TestMember, number]> = [
    [you, alice, 1_000_000], [you, bob, 1_000_000], [you, carol, 1_000_000],
    [alice, bob, 1_700_000], [bob, carol, 1_700_000], [carol, alice, 1_700_000]
  ]
  const lines = new Map<TestMember, Array<ReturnType<typeof channelReport>>>()
  plan.forEach(([a, b, local], i) => {
    const point = outpoint(200 + i)
    const id = `700x${i + 1}x0`
    lines.set(a, [...(lines.get(a) ?? []), { ...channelReport(point, b.nodeKey, 2_000_000, local, true), id }])
    lines.set(b, [...(lines.get(b) ?? []), { ...channelReport(point, a.nodeKey, 2_000_000, 2_000_000 - local, false), id }])
  })
  for (const m of [you, alice, bob, carol, dave]) await f.report(m.agentKey, 5_000_000, lines.get(m) ?? [])
  const events: StormEvent[] = []
  f.manager.on('event', e => events.push(e))
  return { f, you, alice, bob, carol, dave, events }
}

/** Moves the clock minute by minute, letting each scheduled tick finish. */
async function minutes (f: ManagerFixture, n: number): Promise<void> {
  for (let i = 0; i < n; i++) { f.clock.advance(MINUTE); await f.manager.whenIdle() }
}

function changes (events: StormEvent[]): string[] {
  return events.flatMap(e => e.type === 'downtime_changed' ? [e.change] : [])
}

test('a member asks for 2h: held, routed around (placement and a rebalance that avoid it), then safe_to_disconnect; excused; late return recorded against the rating and announced', async () => {
  const { f, you, events } = await storm()
  const asked = await f.manager.downtime(you.actor, 2 * HOUR)
  assert.ok(asked.ok, JSON.stringify(asked))
  const d = asked.value
  assert.equal(d.status, 'preparing')
  // held: do_not_disconnect, nothing says it is safe yet
  assert.deepEqual(f.link.to(you.agentKey, 'directive').map(x => x.kind), ['do_not_disconnect'])
  // the other members' drifted cycle is rebalanced by a payment that never touches you's node
  assert.equal(d.rebalances.length, 1)
  const rebalance = f.manager.state.directives[d.rebalances[0]!]!
  assert.ok(rebalance.directive.kind === 'rebalance')
  assert.notEqual(rebalance.target, you.id)
  assert.ok(!rebalance.directive.params.hops.includes(you.nodeKey), 'the cycle avoids the member going down')
  // no new liquidity is placed on you: dave's addfunds goes to the others only; you's own waits
  const daves = await f.manager.addFunds(f.chatActor('dave'), 1_000_000)
  assert.ok(daves.ok)
  assert.ok(daves.value.channels.every(c => c.peerMember !== you.id))
  assert.equal(daves.value.channels.length, 3)
  const own = await f.manager.addFunds(you.actor, 500_000)
  assert.ok(!own.ok && own.error.code === 'DOWNTIME_UNDERWAY')
  // the Storm's usual rounds leave you out too while the downtime is under way
  const usual = await f.manager.rebalance()
  assert.ok(usual.ok)
  for (const p of usual.value.payments) assert.ok(p.payerMember !== you.id && !p.hops.includes(you.nodeKey))
  // the rebalance is paid: the window is granted at once
  const payer = f.manager.state.members[rebalance.target]!
  await f.fromAgent(payer.agentKey!, 'result', { directive: rebalance.directive.id, outcome: 'succeeded', detail: { fee: 1, feeMsat: 1000 } })
  const granted = f.manager.state.downtimes[d.id]!
  assert.equal(granted.status, 'granted')
  const safe = f.link.to(you.agentKey, 'directive').at(-1)!
  assert.ok(safe.kind === 'safe_to_disconnect')
  assert.deepEqual(safe.params, { windowStart: f.clock.now(), windowEnd: f.clock.now() + 2 * HOUR })
  assert.ok(f.link.to(you.agentKey, 'revoke').some(r => r.directive === d.hold && r.reason === 'lifted'), 'the hold is lifted')
  assert.deepEqual(f.manager.state.governance.excused[you.id], [{ from: f.clock.now(), to: f.clock.now() + 2 * HOUR, reason: `downtime ${d.id}` }])
  assert.equal(f.manager.getInfo(you.actor).downtime?.status, 'granted')

  // you's node goes down for the window: the rating does not move
  f.link.connected.delete(you.agentKey)
  await f.manager.onDisconnected(you.agentKey)
  await minutes(f, 119)
  assert.equal(f.manager.uptimeOf(you.id).rating, 100, 'the excused window counts against nobody')
  assert.deepEqual(changes(events), ['requested', 'granted'])
  // the window ends and you is not back: after the grace, overdue, announced
  await minutes(f, 10)
  assert.equal(f.manager.state.downtimes[d.id]!.status, 'overdue')
  assert.deepEqual(changes(events), ['requested', 'granted', 'overdue'])
  await minutes(f, 10)
  // back, 20 minutes late: recorded and announced, and the late minutes cost rating
  f.link.connected.add(you.agentKey)
  await f.fromAgent(you.agentKey, 'heartbeat', { at: f.clock.now(), health: { healthy: true, blockHeight: 100 } })
  await minutes(f, 1)
  const back = f.manager.state.downtimes[d.id]!
  assert.equal(back.status, 'done')
  assert.ok(back.lateMs! >= 19 * MINUTE && back.lateMs! <= 21 * MINUTE, `late by ${back.lateMs}`)
  assert.deepEqual(changes(events), ['requested', 'granted', 'overdue', 'back_late'])
  assert.ok(f.manager.uptimeOf(you.id).rating < 100, `rating ${f.manager.uptimeOf(you.id).rating}`)
  assert.ok(f.audit.entries.some(e => e.event === 'downtime_returned_late' && e.data.member === you.id))
  // and the Storm places liquidity on you again
  assert.equal(f.manager.getInfo(you.actor).downtime, undefined)
})

test('going offline before safe_to_disconnect is leaving early: announced, not excused, the hold lifted', async () => {
  const { f, you, events } = await storm()
  const asked = await f.manager.downtime(you.actor, HOUR)
  assert.ok(asked.ok && asked.value.status === 'preparing')
  f.link.connected.delete(you.agentKey)
  await f.manager.onDisconnected(you.agentKey)
  const d = f.manager.state.downtimes[asked.value.id]!
  assert.equal(d.status, 'left_early')
  assert.deepEqual(changes(events), ['requested', 'left_early'])
  assert.equal(f.manager.state.governance.excused[you.id], undefined, 'nothing excused')
  assert.equal(f.manager.state.directives[d.hold!]!.status, 'succeeded', 'the hold is over')
  await minutes(f, 30)
  assert.ok(f.manager.uptimeOf(you.id).rating < 100, 'the time away counts')
  assert.ok(f.link.to(you.agentKey, 'directive').every(x => x.kind !== 'safe_to_disconnect'), 'never told it was safe')
})

test('extend and cancel: the excused window grows with a new safe_to_disconnect, then ends when cancelled; a restart keeps it all', async () => {
  const { f, you, events } = await storm()
  const asked = await f.manager.downtime(you.actor, HOUR)
  assert.ok(asked.ok)
  // the rebalance still has to be paid: extend while preparing lengthens the planned window
  const extendedEarly = await f.manager.extendDowntime(you.actor, 30 * MINUTE)
  assert.ok(extendedEarly.ok && extendedEarly.value.durationMs === 90 * MINUTE && extendedEarly.value.status === 'preparing')
  // nobody pays the rebalance: the preparation times out (30 minutes by default) and grants anyway
  await minutes(f, 31)
  const d = f.manager.state.downtimes[asked.value.id]!
  assert.equal(d.status, 'granted')
  const from = d.grantedAt!
  assert.deepEqual(f.manager.state.governance.excused[you.id], [{ from, to: from + 90 * MINUTE, reason: `downtime ${d.id}` }])
  const extended = await f.manager.extendDowntime(you.actor, HOUR)
  assert.ok(extended.ok)
  assert.deepEqual(f.manager.state.governance.excused[you.id], [{ from, to: from + 150 * MINUTE, reason: `downtime ${d.id}` }])
  const safes = f.link.to(you.agentKey, 'directive').filter(x => x.kind === 'safe_to_disconnect') as Array<{ params: MessageBody<'directive'>['params'] }>
  assert.equal(safes.length, 2)
  assert.deepEqual(safes[1]!.params, { windowStart: from, windowEnd: from + 150 * MINUTE })
  // too long overall is refused (6h by default), and changes nothing
  const tooLong = await f.manager.extendDowntime(you.actor, 4 * HOUR)
  assert.ok(!tooLong.ok && tooLong.error.code === 'DOWNTIME_TOO_LONG')
  assert.equal(f.manager.state.downtimes[d.id]!.durationMs, 150 * MINUTE)

  // a restart of the manager: the window is still there, still excused, still routed around
  f.manager.stop()
  const again = new StormManager({
    store: f.store, audit: f.audit, link: f.link, clock: f.clock, rules: f.rules, managerKey: 'ab'.repeat(32),
    pairingKeyOf: () => '', verifySignature: () => false
  })
  again.on('event', e => events.push(e))
  await again.start()
  assert.equal(again.state.downtimes[d.id]!.status, 'granted')
  assert.deepEqual(again.state.governance.excused[you.id], [{ from, to: from + 150 * MINUTE, reason: `downtime ${d.id}` }])

  f.clock.advance(10 * MINUTE)
  const cancelled = await again.cancelDowntime(you.actor)
  assert.ok(cancelled.ok && cancelled.value.status === 'cancelled')
  assert.deepEqual(again.state.governance.excused[you.id], [{ from, to: f.clock.now(), reason: `downtime ${d.id}` }], 'the excused time ends now')
  assert.deepEqual(changes(events), ['requested', 'extended', 'granted', 'extended', 'cancelled'])
  again.stop()
})

test('rules with planned downtime turned off (maxPerPeriod 0) refuse it and change nothing', async () => {
  const f = await ManagerFixture.start({ downtime: { maxDurationMs: HOUR, maxPerPeriod: 0, periodMs: 7 * 24 * HOUR, maxConcurrent: 1, prepareTimeoutMs: 0, lateGraceMs: 0 } })
  const you = await f.joinAndPair('you')
  const sent = f.link.sent.length
  const r = await f.manager.downtime(you.actor, HOUR)
  assert.ok(!r.ok && r.error.code === 'DOWNTIME_OFF')
  assert.deepEqual(f.manager.state.downtimes, {})
  assert.equal(f.link.sent.length, sent)
})

test('a member whose node is already down cannot plan around it: DOWNTIME_NODE_DOWN', async () => {
  const f = await ManagerFixture.start()
  const you = await f.joinAndPair('you')
  await f.fromAgent(you.agentKey, 'heartbeat', { at: f.clock.now(), health: { healthy: false, reason: 'LN_UNAVAILABLE' } })
  const r = await f.manager.downtime(you.actor, HOUR)
  assert.ok(!r.ok && r.error.code === 'DOWNTIME_NODE_DOWN')
  assert.deepEqual(f.manager.state.downtimes, {})
})

test('on the SQLite store a window under way is stored with its use case: a fresh process reads it back, excused', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'storm-downtime-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  const path = join(dir, 'state.db')
  let store: SqliteStateStore | undefined
  const f = await ManagerFixture.start({}, { store: (create) => (store = new SqliteStateStore({ path, create })) })
  const you = await f.joinAndPair('you')
  const asked = await f.manager.downtime(you.actor, HOUR)
  assert.ok(asked.ok && asked.value.status === 'granted', 'nothing to prepare around: granted at once')
  // the process ends; a fresh one opens the database
  f.manager.stop()
  store!.close()
  const fresh = new SqliteStateStore({ path, create: () => { throw new Error('must not create') } })
  t.after(() => fresh.close())
  const state = await fresh.load()
  assert.deepEqual(state.downtimes[asked.value.id], asked.value)
  assert.deepEqual(state.governance.excused[you.id], [{ from: asked.value.grantedAt, to: asked.value.grantedAt! + HOUR, reason: `downtime ${asked.value.id}` }])
})
