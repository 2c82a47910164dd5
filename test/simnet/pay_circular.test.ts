import { test } from 'node:test'
import assert from 'node:assert/strict'
import { isStormError } from '../../src/shared/errors.ts'
import { channelTo, payCircular, snapshot, triangle } from './helpers.ts'

test('payCircular A→B→C→A lowers A\'s total balance by exactly the fee and shifts liquidity as planned', async () => {
  const { network, a, b, c, ab, bc, ca } = await triangle()
  const before = network.localBalanceMsat(a.publicKey)
  const outcome = await payCircular(a, { amount: 100_000, outgoingChannel: ab.id, hops: [b.publicKey, c.publicKey], maxFee: 203 })
  // C forwards 100,000 sats to A: 1,000 + 100,000 = 101,000 msat; B forwards 100,101,000 msat: 1,000 + 100,101 = 101,101 msat
  assert.equal(outcome.feeMsat, '202101')
  assert.deepEqual({ ...outcome, id: undefined }, { id: undefined, amount: 100_000, fee: 202, feeMsat: '202101', hops: [b.publicKey, c.publicKey, a.publicKey] })
  assert.match(outcome.id, /^[0-9a-f]{64}$/)
  assert.equal(network.localBalanceMsat(a.publicKey), before - 202_101)
  const views = [channelTo(network, a, b), channelTo(network, b, c), channelTo(network, c, a)]
  assert.deepEqual(views.map(v => v.id), [ab.id, bc.id, ca.id])
  assert.deepEqual(views.map(v => [v.localBalance, v.remoteBalance]), [
    [500_000 - 100_203, 500_000 + 100_202], // A's side loses amount + fees (100,202,101 msat)
    [500_000 - 100_101, 500_000 + 100_101], // B's side loses 100,101,000 msat
    [500_000 - 100_000, 500_000 + 100_000] // C's side loses the amount, which A gets back
  ])
  assert.deepEqual((await b.getForwards(0, Infinity)).map(f => [f.inChannel, f.outChannel, f.feeMsat]), [[ab.id, bc.id, '101101']])
  assert.deepEqual((await c.getForwards(0, Infinity)).map(f => [f.inChannel, f.outChannel, f.feeMsat]), [[bc.id, ca.id, '101000']])
})

test('payCircular with a max fee below the fee is refused and moves nothing', async () => {
  const { network, a, b, c, ab } = await triangle()
  const before = snapshot(network)
  await assert.rejects(
    payCircular(a, { amount: 100_000, outgoingChannel: ab.id, hops: [b.publicKey, c.publicKey], maxFee: 202 }),
    (e: unknown) => isStormError(e) && e.code === 'LN_FEE_TOO_HIGH')
  assert.deepEqual(snapshot(network), before)
  assert.deepEqual(await b.getForwards(0, Infinity), [])
})

test('payCircular takes the largest channel between two hops and falls back to the next when it fails', async () => {
  const { network, a, b, c, ab, bc } = await triangle()
  // larger, but all of it on C's side: B cannot forward through it (A cannot see that)
  const big = network.openChannelNow(c.publicKey, b.publicKey, 2_000_000)
  const result = network.payCircular(a.publicKey, { amount: 50_000, outgoingChannel: ab.id, hops: [b.publicKey, c.publicKey], maxFee: 1_000 })
  assert.equal(result.ok && result.attempts, 2)
  const byId = new Map(network.channelsOf(b.publicKey).map(ch => [ch.id, ch]))
  // C charges 1,000 + 50,000 msat to forward 50,000 sats to A, so B forwards 50,051,000 msat
  assert.equal(byId.get(bc.id)?.localBalance, 500_000 - 50_051, 'the fallback carried it')
  assert.equal(byId.get(big.id)?.localBalance, 0)
})

test('payCircular around two channels with the same peer (A→B→A)', async () => {
  const { network, a, b, ab } = await triangle()
  const back = network.openChannelNow(b.publicKey, a.publicKey, 1_000_000, 1_000_000)
  const result = network.payCircular(a.publicKey, { amount: 10_000, outgoingChannel: ab.id, hops: [b.publicKey], maxFee: 10 })
  // the new channel has the network's default policy (1,000 msat + 1 ppm): B charges 1,010 msat
  assert.deepEqual(result, { ok: true, amount: 10_000, fee: 1, feeMsat: 1_010, hops: [b.publicKey, a.publicKey], attempts: 1 })
  assert.equal(network.channelsOf(a.publicKey).find(ch => ch.id === back.id)?.localBalance, 10_000)
})

test('payCircular refuses malformed or impossible cycles, moving nothing', async () => {
  const { network, a, b, c, ab, bc } = await triangle()
  const before = snapshot(network)
  const base = { amount: 10_000, outgoingChannel: ab.id, hops: [b.publicKey, c.publicKey], maxFee: 100 }
  const cases = [
    { description: 'an unknown outgoing channel', request: { ...base, outgoingChannel: '999x1x0' }, code: 'LN_CHANNEL_NOT_FOUND' },
    { description: 'someone else\'s channel', request: { ...base, outgoingChannel: bc.id }, code: 'LN_CHANNEL_NOT_FOUND' },
    { description: 'a first hop that is not the channel\'s peer', request: { ...base, hops: [c.publicKey, b.publicKey] }, code: 'LN_INVALID_REQUEST' },
    { description: 'no hops', request: { ...base, hops: [] }, code: 'LN_INVALID_REQUEST' },
    { description: 'ourselves among the hops', request: { ...base, hops: [b.publicKey, a.publicKey, c.publicKey] }, code: 'LN_INVALID_REQUEST' },
    { description: 'a zero amount', request: { ...base, amount: 0 }, code: 'LN_INVALID_REQUEST' },
    { description: 'an unknown hop', request: { ...base, hops: [b.publicKey, '02' + '11'.repeat(32)] }, code: 'LN_NO_ROUTE' },
    { description: 'no second channel back from B', request: { ...base, hops: [b.publicKey] }, code: 'LN_NO_ROUTE' },
    { description: 'more than the outgoing channel holds', request: { ...base, amount: 495_000, maxFee: 10_000 }, code: 'LN_NO_ROUTE' }
  ]
  for (const c of cases) {
    await assert.rejects(payCircular(a, c.request), (e: unknown) => isStormError(e) && e.code === c.code, c.description)
  }
  assert.deepEqual(snapshot(network), before)
})
