/**
 * Placement for addfunds: a member whose uptime rating is low is not chosen while others can
 * take the channel, yet is used rather than leaving the request unplaced; and, property-tested,
 * no plan ever names a peer twice, the member itself, or a peer it already has.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { planAllocation, type PeerCandidate } from '../../src/manager/planning/plan_allocation.ts'

const key = (i: number) => '02' + i.toString(16).padStart(64, '0')
const base = { member: 'me', existingPeers: new Set<string>(), minChannelSize: 100_000, maxChannelSize: 1_000_000, maxChannels: 2, minRating: 90 }

test('a low-rated member is passed over while well-rated ones can take the channels', () => {
  const candidates: PeerCandidate[] = [
    { member: 'flaky', nodeKey: key(1), inbound: 0, channels: 0, rating: 40 },
    { member: 'solid', nodeKey: key(2), inbound: 5_000_000, channels: 9, rating: 99 },
    { member: 'fresh', nodeKey: key(3), inbound: 1_000_000, channels: 3 }
  ]
  const r = planAllocation({ ...base, amount: 400_000, candidates })
  assert.ok(r.ok)
  assert.deepEqual(r.value.map(c => c.peerMember).sort(), ['fresh', 'solid'], 'least inbound would have picked flaky first; its rating keeps it out')
})

test('a low-rated member is still used when nobody else is left: no request goes unplaced for it', () => {
  const r = planAllocation({ ...base, amount: 200_000, candidates: [{ member: 'flaky', nodeKey: key(1), inbound: 0, channels: 0, rating: 10 }] })
  assert.ok(r.ok)
  assert.deepEqual(r.value.map(c => c.peerMember), ['flaky'])
})

test('property: a plan never names a peer twice, the member itself or an existing peer, and adds up to the amount', () => {
  fc.assert(fc.property(
    fc.array(fc.record({ i: fc.nat(30), inbound: fc.nat(10_000_000), channels: fc.nat(20), rating: fc.integer({ min: 0, max: 100 }) }), { maxLength: 40 }),
    fc.array(fc.nat(30), { maxLength: 10 }),
    fc.integer({ min: 1, max: 5_000_000 }),
    fc.integer({ min: 1, max: 6 }),
    (cands, existing, amount, maxChannels) => {
      const candidates: PeerCandidate[] = cands.map(c => ({ member: c.i === 0 ? 'me' : `m${c.i}`, nodeKey: key(c.i), inbound: c.inbound, channels: c.channels, rating: c.rating }))
      const existingPeers = new Set(existing.map(key))
      const r = planAllocation({ ...base, amount, candidates, existingPeers, maxChannels })
      if (!r.ok) return
      const peers = r.value.map(c => c.peer)
      assert.equal(new Set(peers).size, peers.length, 'no peer twice')
      assert.ok(!peers.includes(key(0)), 'never the member itself')
      assert.ok(peers.every(p => !existingPeers.has(p)), 'never an existing peer')
      assert.ok(r.value.length <= maxChannels)
      assert.equal(r.value.reduce((s, c) => s + c.capacity, 0), amount)
      assert.ok(r.value.every(c => c.capacity >= base.minChannelSize && c.capacity <= base.maxChannelSize))
    }
  ), { numRuns: 300, seed: 11 })
})
