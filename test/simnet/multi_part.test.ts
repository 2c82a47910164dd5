/**
 * The simulated network routes like LND where the bench needs it: a payment too large for any
 * one route goes through in parts, and parts that cannot all arrive are all failed back; a
 * node can pay itself out by one channel and back by a route the router picks.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { makeNetwork, snapshot } from './helpers.ts'

/** A with 600,000 sats toward D through B and through C; B→D and C→D carry 1,000,000 each. */
function diamond () {
  const { network } = makeNetwork()
  const [a, b, c, d] = ['A', 'B', 'C', 'D'].map(alias => network.addNode(alias))
  network.openChannelNow(a!.publicKey, b!.publicKey, 1_000_000, 600_000)
  network.openChannelNow(a!.publicKey, c!.publicKey, 1_000_000, 600_000)
  network.openChannelNow(b!.publicKey, d!.publicKey, 1_000_000, 1_000_000)
  network.openChannelNow(c!.publicKey, d!.publicKey, 1_000_000, 1_000_000)
  return { network, a: a!, b: b!, c: c!, d: d! }
}

test('a payment larger than any one route is delivered in parts', () => {
  const { network, a, d } = diamond()
  assert.equal(network.pay(a.publicKey, d.publicKey, 1_000_000).ok, false, 'no single route carries it')
  const before = network.localBalanceMsat(d.publicKey)
  const r = network.payMulti(a.publicKey, d.publicKey, 1_000_000, { maxFee: 1_000 })
  assert.ok(r.ok, JSON.stringify(r))
  assert.ok(r.parts >= 2)
  assert.equal(network.localBalanceMsat(d.publicKey) - before, 1_000_000_000, 'D received exactly the amount')
})

test('when the parts cannot all arrive, every part is failed back and nothing moves', () => {
  const { network, a, d } = diamond()
  const before = snapshot(network)
  const r = network.payMulti(a.publicKey, d.publicKey, 1_500_000, { maxFee: 10_000 })
  assert.equal(r.ok, false)
  assert.deepEqual(snapshot(network), before)
})

test('paying oneself out by one channel and back by another: only the fee is spent, the first channel is not the way back', () => {
  const { network } = makeNetwork()
  const [a, b, c] = ['A', 'B', 'C'].map(alias => network.addNode(alias))
  const ab = network.openChannelNow(a!.publicKey, b!.publicKey, 1_000_000, 900_000)
  network.openChannelNow(b!.publicKey, c!.publicKey, 1_000_000, 900_000)
  network.openChannelNow(c!.publicKey, a!.publicKey, 1_000_000, 900_000)
  const before = network.localBalanceMsat(a!.publicKey)
  const r = network.payOut(a!.publicKey, ab.id, 300_000, { maxFee: 100 })
  assert.ok(r.ok, JSON.stringify(r))
  assert.deepEqual(r.hops, [b!.publicKey, c!.publicKey, a!.publicKey])
  assert.equal(before - network.localBalanceMsat(a!.publicKey), r.feeMsat)
  assert.equal(network.channelsOf(a!.publicKey).find(x => x.id === ab.id)!.localBalance, 600_000 - Math.ceil(r.feeMsat / 1000), 'the amount and the fee left by A→B')
  // with no other way back there is no route
  const { network: n2 } = makeNetwork()
  const [x, y] = ['X', 'Y'].map(alias => n2.addNode(alias))
  const xy = n2.openChannelNow(x!.publicKey, y!.publicKey, 1_000_000, 900_000)
  const none = n2.payOut(x!.publicKey, xy.id, 100_000, { maxFee: 100 })
  assert.deepEqual([none.ok, none.ok ? '' : none.code], [false, 'LN_NO_ROUTE'])
})
