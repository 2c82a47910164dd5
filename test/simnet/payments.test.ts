import { test } from 'node:test'
import assert from 'node:assert/strict'
import { isStormError } from '../../src/shared/errors.ts'
import { decodeInvoice, encodeInvoice } from '../../src/simnet/index.ts'
import { channelTo, makeNetwork, record, snapshot } from './helpers.ts'

/** A line A-B-C-D of 1,000,000-sat channels, each opener holding `local`; B and C charge different fees. */
async function line (local = 1_000_000) {
  const { network, clock } = makeNetwork()
  const [a, b, c, d] = ['A', 'B', 'C', 'D'].map(alias => network.addNode(alias))
  network.openChannelNow(a!.publicKey, b!.publicKey, 1_000_000)
  network.openChannelNow(b!.publicKey, c!.publicKey, 1_000_000, local)
  network.openChannelNow(c!.publicKey, d!.publicKey, 1_000_000)
  await b!.setFees({ baseFeeMsat: '1000', feeRatePpm: 1000 })
  await c!.setFees({ baseFeeMsat: '2000', feeRatePpm: 500 })
  return { network, clock, a: a!, b: b!, c: c!, d: d! }
}

test('a payment A→B→C→D pays each hop its own fee on what it forwards and moves balances exactly', async () => {
  const { network, clock, a, b, c, d } = await line()
  const bEvents = record(b)
  clock.advance(5_000)
  const result = network.pay(a.publicKey, d.publicKey, 100_000)
  // C forwards 100,000 sats: 2,000 + 100,000,000 × 500 / 1e6 = 52,000 msat
  // B forwards 100,052,000 msat: 1,000 + 100,052,000 × 1,000 / 1e6 = 101,052 msat
  assert.deepEqual(result, { ok: true, amount: 100_000, fee: 153, feeMsat: 153_052, hops: [b.publicKey, c.publicKey, d.publicKey], attempts: 1 })
  assert.equal(network.localBalanceMsat(a.publicKey), 1_000_000_000 - 100_153_052)
  assert.equal(channelTo(network, a, b).localBalance, 899_846, 'sats views round msat down')
  assert.equal(channelTo(network, b, a).localBalance, 100_153)
  assert.deepEqual([channelTo(network, b, c).localBalance, channelTo(network, c, b).localBalance], [899_948, 100_052])
  assert.deepEqual([channelTo(network, c, d).localBalance, channelTo(network, d, c).localBalance], [900_000, 100_000])
  const at = clock.now()
  assert.deepEqual(await b.getForwards(at, at + 1), [{ at, inChannel: channelTo(network, a, b).id, outChannel: channelTo(network, b, c).id, amount: 100_052, feeMsat: '101052' }])
  assert.deepEqual((await c.getForwards(at, at + 1)).map(f => f.feeMsat), ['52000'])
  assert.deepEqual(await b.getForwards(0, at), [], 'before is exclusive')
  assert.deepEqual(await a.getForwards(0, Infinity), [], 'the sender forwards nothing')
  assert.deepEqual(bEvents.filter(e => e.type === 'forward').map(e => e.type === 'forward' && e.forward.feeMsat), ['101052'])
})

test('a hop without liquidity fails the whole payment and moves nothing', async () => {
  const { network, a, b, d } = await line(50_000)
  const before = snapshot(network)
  const result = network.pay(a.publicKey, d.publicKey, 100_000)
  assert.deepEqual(result, { ok: false, code: 'LN_NO_ROUTE', attempts: 2 })
  assert.deepEqual(snapshot(network), before)
  assert.deepEqual(await b.getForwards(0, Infinity), [])
})

test('the sender retries around a failing channel (mission control) and pays by the next cheapest route', async () => {
  const { network } = makeNetwork()
  const [a, cheap, dear, d] = ['A', 'cheap', 'dear', 'D'].map(alias => network.addNode(alias))
  network.openChannelNow(a!.publicKey, cheap!.publicKey, 1_000_000)
  network.openChannelNow(a!.publicKey, dear!.publicKey, 1_000_000)
  network.openChannelNow(cheap!.publicKey, d!.publicKey, 1_000_000, 20_000) // too little to forward
  network.openChannelNow(dear!.publicKey, d!.publicKey, 1_000_000)
  await dear!.setFees({ baseFeeMsat: '5000', feeRatePpm: 100 })
  const result = network.pay(a!.publicKey, d!.publicKey, 100_000, { maxFee: 100 })
  assert.deepEqual(result, { ok: true, amount: 100_000, fee: 15, feeMsat: 15_000, hops: [dear!.publicKey, d!.publicKey], attempts: 2 })
  assert.deepEqual(network.pay(a!.publicKey, d!.publicKey, 100_000, { maxAttempts: 1 }), { ok: false, code: 'LN_NO_ROUTE', attempts: 1 }, 'a fresh payment forgets the failure (and one attempt is not enough)')
})

const RESERVE_CASES = [
  { description: 'down to the reserve exactly', amount: 490_000, ok: true },
  { description: 'one sat into the reserve', amount: 490_001, ok: false }
]

for (const c of RESERVE_CASES) {
  test(`a direct payment ${c.description} (reserve 10,000 of 1,000,000)`, () => {
    const { network } = makeNetwork()
    const a = network.addNode('A')
    const b = network.addNode('B')
    network.openChannelNow(a.publicKey, b.publicKey, 1_000_000, 500_000)
    const result = network.pay(a.publicKey, b.publicKey, c.amount)
    assert.equal(result.ok, c.ok)
    assert.equal(channelTo(network, a, b).localBalance, c.ok ? 500_000 - c.amount : 500_000)
  })
}

const LIMIT_CASES = [
  { description: 'a max fee below the route fee', options: { maxFee: 152 }, code: 'LN_FEE_TOO_HIGH' },
  { description: 'a max fee of exactly the route fee rounded up', options: { maxFee: 154 }, code: undefined },
  { description: 'a negative max fee', options: { maxFee: -1 }, code: 'LN_INVALID_REQUEST' }
]

for (const c of LIMIT_CASES) {
  test(`paying with ${c.description}`, async () => {
    const { network, a, d } = await line()
    const before = snapshot(network)
    const result = network.pay(a.publicKey, d.publicKey, 100_000, c.options)
    assert.equal(result.ok ? undefined : result.code, c.code)
    if (c.code !== undefined) assert.deepEqual(snapshot(network), before)
  })
}

test('private channels are used only by their ends and as the destination\'s route hints', () => {
  const cases = [
    { description: 'our own private channel', private: [0], ok: true },
    { description: 'the destination\'s private channel', private: [2], ok: true },
    { description: 'a private channel in the middle', private: [1], ok: false }
  ]
  for (const c of cases) {
    const { network } = makeNetwork()
    const nodes = ['A', 'B', 'C', 'D'].map(alias => network.addNode(alias))
    for (let i = 0; i < 3; i++) network.openChannelNow(nodes[i]!.publicKey, nodes[i + 1]!.publicKey, 1_000_000, 1_000_000, { private: c.private.includes(i) })
    assert.equal(network.pay(nodes[0]!.publicKey, nodes[3]!.publicKey, 10_000).ok, c.ok, c.description)
  }
})

test('an invoice is paid once, through the port, with LND-like outcomes', async () => {
  const { network, a, b, c, d } = await line()
  const invoice = await d.createInvoice(50_000, 'coffee')
  assert.match(invoice.request, /^lnsim1/)
  assert.deepEqual(decodeInvoice(invoice.request), { destination: d.publicKey, hash: invoice.id, amount: 50_000 })

  await assert.rejects(a.payInvoice(invoice.request, 50), (e: unknown) => isStormError(e) && e.code === 'LN_FEE_TOO_HIGH')
  const paid = await a.payInvoice(invoice.request, 100)
  // C: 2,000 + 25,000 = 27,000 msat; B: 1,000 + 50,027 = 51,027 msat
  assert.deepEqual(paid, { id: invoice.id, amount: 50_000, fee: 78, feeMsat: '78027', hops: [b.publicKey, c.publicKey, d.publicKey] })

  const before = snapshot(network)
  const tampered = invoice.request.replace('lnsim150000', 'lnsim150001')
  const refusals = [
    { description: 'paid twice', node: a, request: invoice.request, code: 'LN_PAYMENT_FAILED' },
    { description: 'tampered', node: a, request: tampered, code: 'LN_INVALID_REQUEST' },
    { description: 'a real BOLT 11', node: a, request: 'lnbc10u1pjexample', code: 'LN_INVALID_REQUEST' },
    { description: 'our own', node: d, request: (await d.createInvoice(1_000, '')).request, code: 'LN_INVALID_REQUEST' },
    { description: 'unknown to its destination', node: a, request: encodeInvoice({ destination: d.publicKey, hash: 'ab'.repeat(32), amount: 50_000 }), code: 'LN_PAYMENT_FAILED' },
    { description: 'to an unknown node', node: a, request: encodeInvoice({ destination: '03' + 'cd'.repeat(32), hash: 'ab'.repeat(32), amount: 50_000 }), code: 'LN_NO_ROUTE' }
  ]
  for (const r of refusals) {
    await assert.rejects(r.node.payInvoice(r.request, 1_000), (e: unknown) => isStormError(e) && e.code === r.code, r.description)
  }
  assert.deepEqual(snapshot(network), before)
  await assert.rejects(d.createInvoice(0, ''), (e: unknown) => isStormError(e) && e.code === 'LN_INVALID_REQUEST')
})
