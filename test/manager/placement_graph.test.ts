/**
 * Flow-aware placement on the Storm's graph: a member asks to add funds, and the planner picks its
 * peers from the channels, balances and flow. What must hold, whatever the graph: no peer twice,
 * never itself, an existing peer or an avoided member, the sizes within the rules and adding up to
 * the amount; a member with no channel gets one before anyone else; a single new channel removes
 * as many bridges as any channel could (checked by brute force on small graphs); receivers and
 * members short of inbound are preferred; one channel leaves the member's region.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { planAllocation, type CandidateChannel, type PeerCandidate } from '../../src/manager/planning/plan_allocation.ts'
import { adjacency, bridgeDepth, bridges, graphShape } from '../../src/manager/planning/graph_structure.ts'

const key = (i: number) => '02' + i.toString(16).padStart(64, '0')
const rules = { minChannelSize: 100_000, maxChannelSize: 1_000_000 }

/** A Storm of `n` members (member i is `m${i}`), channels between index pairs, balances even. */
function storm (n: number, pairs: ReadonlyArray<readonly [number, number]>): { candidates: PeerCandidate[], channels: CandidateChannel[] } {
  const degree = new Array<number>(n).fill(0)
  for (const [a, b] of pairs) { degree[a]!++; degree[b]!++ }
  return {
    candidates: Array.from({ length: n }, (_, i) => ({ member: `m${i}`, nodeKey: key(i), inbound: 0, channels: degree[i]! })),
    channels: pairs.map(([a, b]) => ({ a, b, balA: 500_000, balB: 500_000 }))
  }
}

/** Members with no channel, connected components of the others, bridges: what a new channel should lower, in that order. */
function shape (n: number, pairs: ReadonlyArray<readonly [number, number]>): [number, number, number] {
  const g = adjacency(n, pairs.map(p => p[0]), pairs.map(p => p[1]))
  const s = bridges(g, pairs.length)
  let isolated = 0
  const seen = new Uint8Array(n)
  let components = 0
  for (let x = 0; x < n; x++) {
    if (g.start[x + 1] === g.start[x]) { isolated++; continue }
    if (seen[x] === 1) continue
    components++
    const stack = [x]
    seen[x] = 1
    while (stack.length > 0) {
      const y = stack.pop()!
      for (let i = g.start[y]!; i < g.start[y + 1]!; i++) if (seen[g.to[i]!] === 0) { seen[g.to[i]!] = 1; stack.push(g.to[i]!) }
    }
  }
  return [isolated, components, s.bridge.reduce((a, b) => a + b, 0)]
}

const lexLess = (x: number[], y: number[]) => x[0]! !== y[0]! ? x[0]! < y[0]! : x[1]! !== y[1]! ? x[1]! < y[1]! : x[2]! < y[2]!

const graphs = fc.integer({ min: 2, max: 7 }).chain(n => fc.record({
  n: fc.constant(n),
  pairs: fc.uniqueArray(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)).filter(([a, b]) => a < b), { maxLength: 10, selector: ([a, b]) => a * 8 + b }),
  me: fc.nat(n - 1)
}))

test('brute force on small graphs: the one channel a member opens leaves no more isolated members, separate parts or bridges than any other choice would', () => {
  fc.assert(fc.property(graphs, ({ n, pairs, me }) => {
    const { candidates, channels } = storm(n, pairs)
    const existing = new Set<string>()
    for (const [a, b] of pairs) { if (a === me) existing.add(key(b)); if (b === me) existing.add(key(a)) }
    const r = planAllocation({ member: `m${me}`, amount: 100_000, candidates, channels, existingPeers: existing, ...rules, maxChannels: 1 })
    const choices = candidates.map((_, v) => v).filter(v => v !== me && !existing.has(key(v)))
    if (choices.length === 0) return assert.equal(r.ok ? 'ok' : r.error.code, 'NO_PEERS_AVAILABLE')
    assert.ok(r.ok)
    const picked = Number(r.value[0]!.peerMember.slice(1))
    const after = (v: number) => shape(n, [...pairs, [me, v] as const])
    const best = choices.map(after).reduce((x, y) => lexLess(y, x) ? y : x)
    assert.deepEqual(after(picked), best, `m${me} opened to m${picked}; the best choice leaves ${best.join('/')} isolated/parts/bridges`)
  }), { numRuns: 400, seed: 9 })
})

test('property: on any graph, with any avoid set, a plan names no peer twice, not itself, no existing or avoided peer, and sizes within the rules add up to the amount', () => {
  fc.assert(fc.property(graphs, fc.array(fc.nat(6)), fc.integer({ min: 1, max: 3_500_000 }), fc.integer({ min: 1, max: 4 }), fc.array(fc.nat(2_000_000), { minLength: 7, maxLength: 7 }),
    ({ n, pairs, me }, avoided, amount, maxChannels, inbound) => {
      const { candidates, channels } = storm(n, pairs)
      candidates.forEach((c, i) => { c.inbound = inbound[i]!; c.received = inbound[6 - i]! - 1_000_000 })
      const avoid = new Set(avoided.filter(i => i < n).map(i => i % 2 === 0 ? `m${i}` : key(i)))
      const existing = new Set(pairs.filter(([a]) => a === me).map(([, b]) => key(b)))
      const r = planAllocation({ member: `m${me}`, amount, candidates, channels, existingPeers: existing, avoid, ...rules, maxChannels })
      if (!r.ok) return
      const peers = r.value.map(c => c.peer)
      assert.equal(new Set(peers).size, peers.length, 'no peer twice')
      assert.ok(!peers.includes(key(me)), 'never the member itself')
      assert.ok(peers.every(p => !existing.has(p)), 'never an existing peer')
      assert.ok(r.value.every(c => !avoid.has(c.peer) && !avoid.has(c.peerMember)), 'never an avoided member')
      assert.ok(r.value.length <= maxChannels)
      assert.equal(r.value.reduce((s, c) => s + c.capacity, 0), amount, 'the amount, exactly')
      assert.ok(r.value.every(c => c.capacity >= rules.minChannelSize && c.capacity <= rules.maxChannelSize), 'each size within the rules')
    }), { numRuns: 400, seed: 5 })
})

test('a member in a ring closes the bridge to a member hanging off it rather than opening to the far side of the ring', () => {
  // ring m0…m5, and m6 hangs off m1 by one channel (a bridge); m0 already has m1 and m5
  const { candidates, channels } = storm(7, [[0, 1], [1, 2], [2, 3], [3, 4], [4, 5], [5, 0], [1, 6]])
  const r = planAllocation({ member: 'm0', amount: 100_000, candidates, channels, existingPeers: new Set([key(1), key(5)]), ...rules, maxChannels: 1 })
  assert.ok(r.ok)
  assert.deepEqual(r.value.map(c => c.peerMember), ['m6'], 'm3 is farther (3 hops, not 2) but m0–m3 would leave the bridge m1–m6')
})

test('members with no channel get one first, newcomers without funds before those who can open their own', () => {
  // a ring of six members with channels; m6 and m7 have none, m7 has no funds of its own
  const pairs = [[0, 1], [1, 2], [2, 3], [3, 4], [4, 5], [5, 0]] as const
  const { candidates, channels } = storm(8, pairs)
  candidates[6]!.funds = 3_000_000
  candidates[7]!.funds = 0
  const one = planAllocation({ member: 'm0', amount: 100_000, candidates, channels, existingPeers: new Set([key(1), key(5)]), ...rules, maxChannels: 1 })
  assert.ok(one.ok)
  assert.deepEqual(one.value.map(c => c.peerMember), ['m7'])
  const two = planAllocation({ member: 'm0', amount: 400_000, candidates, channels, existingPeers: new Set([key(1), key(5)]), ...rules, maxChannels: 2 })
  assert.ok(two.ok)
  assert.deepEqual(two.value.map(c => c.peerMember).sort(), ['m6', 'm7'], 'nobody left without a channel')
})

test('an avoided member is never chosen, even when it is the only one without a channel', () => {
  const { candidates, channels } = storm(4, [[0, 1], [1, 2]])
  const r = planAllocation({ member: 'm0', amount: 200_000, candidates, channels, existingPeers: new Set([key(1)]), avoid: new Set(['m3']), ...rules, maxChannels: 1 })
  assert.ok(r.ok)
  assert.deepEqual(r.value.map(c => c.peerMember), ['m2'])
  const none = planAllocation({ member: 'm0', amount: 200_000, candidates, channels, existingPeers: new Set([key(1)]), avoid: new Set(['m3', key(2)]), ...rules, maxChannels: 1 })
  assert.equal(none.ok ? 'ok' : none.error.code, 'NO_PEERS_AVAILABLE', 'avoided by member id or by node key')
})

test('flow: a member whose inbound is used up receiving payments gets the new channel, and a larger one than if it had not', () => {
  // a complete Storm of five: structure gives no reason to prefer anyone
  const pairs: Array<[number, number]> = []
  for (let a = 0; a < 5; a++) for (let b = a + 1; b < 5; b++) pairs.push([a, b])
  const { candidates, channels } = storm(6, pairs)
  for (const c of candidates) c.inbound = 2_000_000
  candidates[5]!.channels = 0
  candidates[5]!.inbound = 0
  candidates[4]!.received = 1_800_000 // it took in almost all that points at it
  const input = { member: 'm0', amount: 1_000_000, candidates, channels: channels.filter(e => e.a !== 0 || e.b > 2), existingPeers: new Set([key(1), key(2)]), ...rules, maxChannels: 2 }
  const r = planAllocation(input)
  assert.ok(r.ok)
  const size = Object.fromEntries(r.value.map(c => [c.peerMember, c.capacity]))
  assert.deepEqual(Object.keys(size).sort(), ['m4', 'm5'], 'the receiver m4 rather than m3; m5 has no channel')
  assert.equal(size.m4! + size.m5!, 1_000_000)
  candidates[4]!.received = 0
  const still = planAllocation(input)
  assert.ok(still.ok)
  assert.deepEqual(still.value.map(c => c.peerMember).sort(), ['m3', 'm5'], 'without its flow, m4 is no different from m3')
  candidates[4]!.received = 1_800_000
  candidates[3]!.received = 1_800_000
  const both = planAllocation(input)
  assert.ok(both.ok)
  const m3 = both.value.find(c => c.peerMember === 'm3')!.capacity
  assert.ok(m3 > still.value.find(c => c.peerMember === 'm3')!.capacity, `a receiver's channel (${m3} sats) is larger than the same member's without the flow`)
})

test('region: same region first, but one of a member\'s channels goes outside it', () => {
  const { candidates, channels } = storm(5, [])
  const regions = ['eu', 'eu', 'eu', 'eu', 'us']
  candidates.forEach((c, i) => { c.region = regions[i]! })
  const one = planAllocation({ member: 'm0', amount: 100_000, candidates, channels, existingPeers: new Set(), ...rules, maxChannels: 1 })
  assert.ok(one.ok)
  assert.equal(candidates.find(c => c.member === one.value[0]!.peerMember)!.region, 'eu', 'one channel: the nearest')
  const three = planAllocation({ member: 'm0', amount: 300_000, candidates, channels, existingPeers: new Set(), ...rules, maxChannels: 3 })
  assert.ok(three.ok)
  assert.deepEqual(three.value.map(c => candidates.find(x => x.member === c.peerMember)!.region).sort(), ['eu', 'eu', 'us'], 'one leaves the region')
})

test('placement is deterministic: the same picture gives the same plan', () => {
  const { candidates, channels } = storm(7, [[0, 1], [1, 2], [2, 3], [4, 5]])
  const input = { member: 'm1', amount: 900_000, candidates, channels, existingPeers: new Set([key(0), key(2)]), ...rules, maxChannels: 3 }
  assert.deepEqual(planAllocation(input), planAllocation(input))
})

test('property: the kept graph shape is the one computed afresh, whatever channels opened or closed since, and bridge depths walk the bridge tree', () => {
  fc.assert(fc.property(
    fc.array(fc.array(fc.tuple(fc.nat(11), fc.nat(11)), { maxLength: 30 }), { minLength: 1, maxLength: 6 }),
    (graphs) => {
      for (const pairs of graphs) {
        const a = Int32Array.from(pairs.map(p => p[0]))
        const b = Int32Array.from(pairs.map(p => p[1]))
        const kept = graphShape(12, a, b)
        const g = adjacency(12, a, b)
        const s = bridges(g, pairs.length)
        assert.deepEqual(kept.g, g)
        assert.deepEqual(kept.structure.bridge, s.bridge)
        assert.deepEqual(kept.structure.component, s.component)
        // bridges between node 0's component and each other: counted on a path, node by node
        const depth = bridgeDepth(kept.structure, 0)
        const hops = new Int32Array(12).fill(-1)
        hops[0] = 0
        const queue = [0]
        for (let h = 0; h < queue.length; h++) {
          const x = queue[h]!
          for (let i = g.start[x]!; i < g.start[x + 1]!; i++) {
            const y = g.to[i]!
            if (hops[y] !== -1) continue
            hops[y] = hops[x]! + s.bridge[g.edge[i]!]!
            queue.push(y)
          }
        }
        for (let x = 0; x < 12; x++) assert.equal(depth[s.component[x]!], hops[x], `node ${x}`)
      }
    }
  ), { numRuns: 200 })
})
