/** The planners' invariants, checked over many seeded random Storms. */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { planAllocation, type PeerCandidate } from '../../src/manager/planning/plan_allocation.ts'
import { planDeallocation } from '../../src/manager/planning/plan_deallocation.ts'
import { seededRandom } from '../../src/shared/ids.ts'

const KEY = (i: number) => '02' + i.toString(16).padStart(64, '0')

test('allocation plans keep every invariant', () => {
  const random = seededRandom(2026)
  let planned = 0
  for (let round = 0; round < 2000; round++) {
    const n = 1 + random(30)
    const candidates: PeerCandidate[] = Array.from({ length: n }, (_, i) => ({ member: `m${i}`, nodeKey: KEY(i), inbound: random(5) * 100_000, channels: random(6) }))
    const existing = new Set(candidates.filter(() => random(4) === 0).map(c => c.nodeKey))
    const min = 20_000 + random(200_000)
    const max = min + random(20_000_000)
    const input = { member: 'm0', amount: 1 + random(50_000_000), candidates, existingPeers: existing, minChannelSize: min, maxChannelSize: max, maxChannels: 1 + random(8) }
    const r = planAllocation(input)
    if (!r.ok) {
      assert.ok(['AMOUNT_BELOW_MIN_CHANNEL', 'NO_PEERS_AVAILABLE', 'AMOUNT_ABOVE_STORM_CAPACITY'].includes(r.error.code))
      continue
    }
    planned++
    const plan = r.value
    assert.equal(plan.reduce((s, c) => s + c.capacity, 0), input.amount, 'capacities add up to the amount')
    for (const c of plan) {
      assert.ok(c.capacity >= min && c.capacity <= max, 'within channel size limits')
      assert.notEqual(c.peerMember, 'm0', 'never the member itself')
      assert.ok(!existing.has(c.peer), 'never an existing peer')
      assert.ok(Number.isSafeInteger(c.capacity), 'whole sats')
    }
    assert.equal(new Set(plan.map(c => c.peer)).size, plan.length, 'no peer twice')
    assert.ok(plan.length <= input.maxChannels)
    assert.deepEqual(planAllocation(input), r, 'deterministic')
  }
  assert.ok(planned > 500, `enough plans were exercised (${planned})`)
})

test('allocation plans prefer the members with the least Storm liquidity', () => {
  const candidates = [
    { member: 'rich', nodeKey: KEY(1), inbound: 5_000_000, channels: 5 },
    { member: 'poor', nodeKey: KEY(2), inbound: 0, channels: 0 },
    { member: 'mid', nodeKey: KEY(3), inbound: 1_000_000, channels: 2 }
  ]
  const r = planAllocation({ member: 'me', amount: 400_000, candidates, existingPeers: new Set(), minChannelSize: 200_000, maxChannelSize: 1_000_000, maxChannels: 4 })
  assert.ok(r.ok)
  assert.deepEqual(r.value.map(c => c.peerMember), ['poor', 'mid'])
})

test('allocation errors', () => {
  const one = [{ member: 'a', nodeKey: KEY(1), inbound: 0, channels: 0 }]
  const base = { member: 'me', candidates: one, existingPeers: new Set<string>(), minChannelSize: 100_000, maxChannelSize: 1_000_000, maxChannels: 4 }
  const code = (r: ReturnType<typeof planAllocation>) => r.ok ? 'ok' : r.error.code
  assert.equal(code(planAllocation({ ...base, amount: 99_999 })), 'AMOUNT_BELOW_MIN_CHANNEL')
  assert.equal(code(planAllocation({ ...base, amount: 1_000_001 })), 'AMOUNT_ABOVE_STORM_CAPACITY')
  assert.equal(code(planAllocation({ ...base, amount: 500_000, existingPeers: new Set([KEY(1)]) })), 'NO_PEERS_AVAILABLE')
  assert.equal(code(planAllocation({ ...base, amount: 500_000, candidates: [] })), 'NO_PEERS_AVAILABLE')
})

test('deallocation plans cover the amount with few closes, deterministically', () => {
  const channels = [100_000, 250_000, 500_000, 2_000_000].map((capacity, i) => ({ channelPoint: `${'a'.repeat(63)}${i}:0`, peer: KEY(i), capacity }))
  const plan = (amount: number | 'all') => { const r = planDeallocation(channels, amount); assert.ok(r.ok); return r.value.map(c => c.capacity) }
  assert.deepEqual(plan(200_000), [250_000], 'the smallest channel that covers it')
  assert.deepEqual(plan(2_000_000), [2_000_000])
  assert.deepEqual(plan(2_300_000), [2_000_000, 500_000])
  assert.deepEqual(plan('all').sort((a, b) => a - b), [100_000, 250_000, 500_000, 2_000_000])
  const random = seededRandom(5)
  for (let i = 0; i < 500; i++) {
    const amount = 1 + random(2_850_000)
    const r = planDeallocation(channels, amount)
    assert.ok(r.ok)
    assert.ok(r.value.reduce((s, c) => s + c.capacity, 0) >= amount)
  }
  const over = planDeallocation(channels, 2_850_001)
  assert.equal(over.ok ? '' : over.error.code, 'REMOVE_MORE_THAN_ALLOCATED')
  const none = planDeallocation([], 1)
  assert.equal(none.ok ? '' : none.error.code, 'NOTHING_ALLOCATED')
})
