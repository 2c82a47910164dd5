/**
 * The bench's limits are limits: the max-flow it uses agrees with a brute-force min-cut on small
 * graphs, and whenever the simulated network's router delivers a payment, the oracle's max-flow
 * on the same balances covers it.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { FlowGraph } from '../../bench/liquidity/max_flow.ts'
import { SimNetwork } from '../../src/simnet/index.ts'
import { ManualClock } from '../../src/shared/clock.ts'

const graphs = fc.integer({ min: 2, max: 7 }).chain(n => fc.record({
  n: fc.constant(n),
  channels: fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1), fc.nat(1_000), fc.nat(1_000)), { maxLength: 14 })
    .map(cs => cs.filter(([a, b]) => a !== b))
}))

test('max-flow equals the brute-force min-cut on every small graph', () => {
  fc.assert(fc.property(graphs, fc.nat(6), fc.nat(6), ({ n, channels }, s, t) => {
    const src = s % n
    const dst = t % n
    fc.pre(src !== dst)
    const g = new FlowGraph(n, channels.map(([a, b]) => [a, b] as const))
    const room = new Float64Array(channels.flatMap(([, , ab, ba]) => [ab, ba]))
    const flow = g.maxFlow(src, dst, room.slice())
    // every cut: a set holding src and not dst; its capacity is what its arcs can send out of it
    let best = Infinity
    for (let mask = 0; mask < 1 << n; mask++) {
      if ((mask >> src & 1) === 0 || (mask >> dst & 1) === 1) continue
      let cut = 0
      channels.forEach(([a, b, ab, ba]) => {
        const ia = (mask >> a & 1) === 1
        const ib = (mask >> b & 1) === 1
        if (ia && !ib) cut += ab
        if (ib && !ia) cut += ba
      })
      best = Math.min(best, cut)
    }
    assert.equal(flow, best)
    // asked for less, it stops there
    assert.equal(g.maxFlow(src, dst, room.slice(), Math.floor(best / 2)), Math.floor(best / 2))
  }), { numRuns: 300, seed: 4 })
})

test('the oracle is an upper bound: a payment the router delivers fits in the max-flow of the balances it found', () => {
  fc.assert(fc.property(
    fc.integer({ min: 3, max: 7 }),
    fc.array(fc.tuple(fc.nat(6), fc.nat(6), fc.integer({ min: 100_000, max: 2_000_000 }), fc.double({ min: 0, max: 1, noNaN: true })), { minLength: 2, maxLength: 14 }),
    fc.array(fc.tuple(fc.nat(6), fc.nat(6), fc.integer({ min: 1_000, max: 1_500_000 })), { minLength: 1, maxLength: 8 }),
    (n, specs, payments) => {
      const net = SimNetwork.create({ seed: 'oracle-bound', clock: new ManualClock() })
      const nodes = Array.from({ length: n }, (_, i) => net.addNode(`N${i}`))
      const ends: Array<[number, number]> = []
      const pairs = new Set<string>()
      for (const [x, y, capacity, share] of specs) {
        const a = x % n
        const b = y % n
        if (a === b || pairs.has(`${Math.min(a, b)}-${Math.max(a, b)}`)) continue
        pairs.add(`${Math.min(a, b)}-${Math.max(a, b)}`)
        net.openChannelNow(nodes[a]!.publicKey, nodes[b]!.publicKey, capacity, Math.round(capacity * share))
        ends.push([a, b])
      }
      const g = new FlowGraph(n, ends)
      for (const [x, y, amount] of payments) {
        const from = x % n
        const to = y % n
        if (from === to) continue
        // the balances of the moment, less reserves, as the oracle sees them
        const room = new Float64Array(2 * ends.length)
        ends.forEach(([a, b], c) => {
          const view = net.channelsOf(nodes[a]!.publicKey).find(v => v.peer === nodes[b]!.publicKey)!
          room[2 * c] = Math.max(0, view.localBalance - view.localReserve)
          room[2 * c + 1] = Math.max(0, view.remoteBalance - view.remoteReserve)
        })
        const bound = g.maxFlow(from, to, room, Infinity)
        const r = net.payMulti(nodes[from]!.publicKey, nodes[to]!.publicKey, amount, { maxFee: amount })
        if (r.ok) assert.ok(bound >= amount, `delivered ${amount} with a max-flow of ${bound}`)
      }
    }
  ), { numRuns: 150, seed: 5 })
})
