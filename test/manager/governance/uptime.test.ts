/**
 * The uptime rating: samples of "connected and LND healthy" in hourly buckets outside the state,
 * a rolling 7-day rating 0–100, a warning and then a ban proposal for a member who stays down —
 * and nothing counted for excused windows, a manager outage, or a Storm-wide blackout.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { UptimeLedger, emptyUptime, BUCKET_MS, RATING_WINDOW_MS, UptimeDocSchema } from '../../../src/manager/governance/uptime/uptime_ledger.ts'
import { MemoryStore } from '../../../src/shared/json_store.ts'
import { govStorm, governance } from './helpers.ts'
import { MANAGER_KEY, type ManagerFixture } from '../../support/manager_fixture.ts'
import { StormManager } from '../../../src/manager/storm_manager.ts'
import { pairingKeyPair, publicKeyHex } from '../../../src/protocol/keys.ts'
import type { UptimeDoc } from '../../../src/manager/governance/uptime/uptime_ledger.ts'

const MINUTE = 60_000
const HOUR = 60 * MINUTE

test('rating arithmetic: the share of counted samples the member was up, over the last 7 days', () => {
  const t0 = Date.UTC(2026, 0, 1)
  const ledger = new UptimeLedger(emptyUptime(MINUTE))
  assert.equal(ledger.rating('a', t0).rating, 100, 'nothing counted yet: 100')
  for (let i = 0; i < 60; i++) ledger.record('a', t0 + i * MINUTE, i < 45)
  assert.deepEqual(ledger.rating('a', t0 + HOUR), { rating: 75, up: 45, down: 15, countedMs: HOUR })
  // one sample short of 2/3 rounds down, never up
  const b = new UptimeLedger(emptyUptime(MINUTE))
  for (let i = 0; i < 3; i++) b.record('b', t0 + i * MINUTE, i !== 0)
  assert.equal(b.rating('b', t0 + 3 * MINUTE).rating, 66)
  // a bad hour leaves the window 7 days later
  assert.equal(ledger.rating('a', t0 + RATING_WINDOW_MS + BUCKET_MS).rating, 100)
  ledger.prune(t0 + RATING_WINDOW_MS + BUCKET_MS)
  assert.deepEqual(ledger.doc.members, {})
  // the buckets are small: one entry per member per hour
  for (let i = 0; i < 600; i++) ledger.record('c', t0 + i * MINUTE, true)
  assert.equal(ledger.doc.members.c?.length, 10)
  assert.ok(UptimeDocSchema.safeParse(JSON.parse(JSON.stringify(ledger.doc))).success)
})

/** Moves the clock minute by minute, letting each scheduled tick finish. */
async function minutes (f: ManagerFixture, n: number): Promise<void> {
  for (let i = 0; i < n; i++) { f.clock.advance(MINUTE); await f.manager.whenIdle() }
}

test('a member who stays down is warned, then a ban is proposed; the others keep 100', async () => {
  const { f, alice, bob, mallory, events } = await govStorm({ governance: governance({ ratingMinHours: 2, ratingWarn: 90, ratingBan: 50, managerGraceMs: 0 }) })
  await minutes(f, 120)
  assert.equal(f.manager.uptimeOf(mallory.id).rating, 100)
  // mallory's LND is down (her agent says so), then her agent goes away altogether
  await f.fromAgent(mallory.agentKey, 'heartbeat', { at: f.clock.now(), health: { healthy: false, reason: 'LN_UNAVAILABLE' } })
  await minutes(f, 20)
  const warned = f.manager.uptimeOf(mallory.id).rating
  assert.ok(warned < 90 && warned >= 50, `rating ${warned}`)
  assert.equal(f.manager.state.members[mallory.id]?.rating, warned, 'the member record carries it for /members and getinfo')
  assert.equal(f.manager.getInfo(mallory.actor).rating, warned)
  assert.equal(events.filter(e => e.type === 'rating_warning').length, 1, 'warned once, not every minute')
  f.link.connected.delete(mallory.agentKey)
  await f.manager.onDisconnected(mallory.agentKey)
  await minutes(f, 150)
  assert.ok(f.manager.uptimeOf(mallory.id).rating < 50)
  const proposals = f.manager.openProposals()
  assert.equal(proposals.length, 1)
  assert.ok(proposals[0]?.kind === 'ban' && proposals[0].target === mallory.id && proposals[0].proposer === 'storm')
  assert.match(proposals[0].reason, /uptime rating \d+ is below 50/)
  for (const m of [alice, bob]) assert.equal(f.manager.uptimeOf(m.id).rating, 100)
})

test('an excused window does not count, a manager outage does not count, a Storm-wide blackout does not count', async () => {
  const { f, alice, bob, carol, mallory } = await govStorm({ governance: governance({ managerGraceMs: 5 * MINUTE }) })
  await minutes(f, 60)
  // bob is excused for two hours of planned maintenance and goes away
  assert.ok((await f.manager.excuse(bob.id, f.clock.now(), f.clock.now() + 2 * HOUR, 'lnd upgrade')).ok)
  f.link.connected.delete(bob.agentKey)
  await minutes(f, 119)
  assert.equal(f.manager.uptimeOf(bob.id).rating, 100, 'excused: not counted')
  f.link.connected.add(bob.agentKey)
  await minutes(f, 1)
  const counted = f.manager.uptimeOf(bob.id)
  assert.equal(counted.down, 0)

  // everyone drops at once (the manager's own network): a blackout counts against nobody
  for (const m of [alice, bob, carol, mallory]) f.link.connected.delete(m.agentKey)
  await minutes(f, 30)
  for (const m of [alice, bob, carol, mallory]) assert.equal(f.manager.uptimeOf(m.id).rating, 100, 'blackout')
  assert.deepEqual(f.manager.uptimeOf(bob.id), counted, 'not a sample was counted')
  for (const m of [alice, bob, carol, mallory]) f.link.connected.add(m.agentKey)
  await minutes(f, 1)
  assert.equal(f.manager.uptimeOf(alice.id).rating, 100)
})

test('a manager outage: no samples while it is down, and agents get the grace to reconnect after it starts', async () => {
  const uptimeStore = new MemoryStore(() => emptyUptime(MINUTE))
  const { f, alice, bob, carol, mallory } = await govStorm({ governance: governance({ managerGraceMs: 5 * MINUTE }) })
  const first = managerOn(f, uptimeStore)
  f.manager.stop()
  await first.start()
  await minutesOf(f, first, 150)
  const before = first.uptimeOf(alice.id)
  assert.equal(before.down, 0)
  // the manager crashes: the buckets of the hours that are over are stored, never per sample
  first.stop()
  const stored = uptimeStore.snapshot()!
  assert.ok((stored.members[alice.id]?.length ?? 0) >= 2)
  assert.ok(uptimeStore.saves <= 3, `stored ${uptimeStore.saves} times in 150 samples`)

  // three hours without a manager; it comes back, alice and bob reconnect at once, carol and
  // mallory take four minutes (half the Storm down: not a blackout — only the grace covers it)
  f.clock.advance(3 * HOUR)
  for (const m of [carol, mallory]) f.link.connected.delete(m.agentKey)
  const second = managerOn(f, uptimeStore)
  await second.start()
  await minutesOf(f, second, 4)
  for (const m of [carol, mallory]) f.link.connected.add(m.agentKey)
  await minutesOf(f, second, 60)
  for (const m of [alice, bob, carol, mallory]) {
    const r = second.uptimeOf(m.id)
    assert.equal(r.rating, 100, `${m.name}: the outage and the reconnect are not held against them`)
    assert.equal(r.down, 0)
    assert.ok(r.up > 60, 'the samples from before the outage were kept')
  }
  second.stop()
})

function managerOn (f: ManagerFixture, uptimeStore: MemoryStore<UptimeDoc>): StormManager {
  return new StormManager({
    store: f.store,
    audit: f.audit,
    link: f.link,
    clock: f.clock,
    rules: f.rules,
    managerKey: MANAGER_KEY,
    pairingKeyOf: (code) => publicKeyHex(pairingKeyPair(MANAGER_KEY, code)),
    verifySignature: () => false,
    uptimeStore
  })
}

async function minutesOf (f: ManagerFixture, m: StormManager, n: number): Promise<void> {
  for (let i = 0; i < n; i++) { f.clock.advance(MINUTE); await m.whenIdle() }
}
