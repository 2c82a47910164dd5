/**
 * A rebalance interrupted by a stormd crash, at each point: its payment hash is stored with
 * `executing` before the payment is sent, so on restart stormd asks the node how the payment
 * with that hash ended — and reports that, counts what it spent, and never pays it twice. The
 * same record decides when the payment call itself breaks off without a crash.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { runnerHarness, stored, summary, type Harness } from './runner_harness.ts'
import { rebalance } from './helpers.ts'
import type { DirectiveMessage } from '../../src/protocol/messages.ts'
import type { AgentDirective } from '../../src/agent/agent_state.ts'
import type { Preset } from './runner_harness.ts'
import { StormError } from '../../src/shared/errors.ts'

type Rebalance = Extract<DirectiveMessage, { kind: 'rebalance' }>

const AMOUNT = 10_000
/** What bob and carol charge to forward 10,000 sats at the network's default policy (1,000 msat + 1 ppm each). */
const FEE_MSAT = 2_020

/** me → bob → carol → me, and a rebalance around it. */
async function cycle ({ clock, network, me, bob, carol }: Preset, over: Parameters<typeof rebalance>[2] = {}): Promise<Rebalance> {
  const ab = network.openChannelNow(me.publicKey, bob.publicKey, 1_000_000, 600_000)
  network.openChannelNow(bob.publicKey, carol.publicKey, 1_000_000, 600_000)
  network.openChannelNow(carol.publicKey, me.publicKey, 1_000_000, 600_000)
  return rebalance(clock.now(), { amount: AMOUNT, outgoingChannel: ab.id, hops: [bob.publicKey, carol.publicKey], maxFee: 10 }, over) as Rebalance
}

/** The record stormd stores just before it sends: `executing`, with the payment's hash. */
function executing (d: DirectiveMessage, at: number, paymentHash: string): AgentDirective {
  return { ...stored(d, 'executing', at), paymentHash }
}

/** me's channel balances (msat) and the fees bob and carol earned. */
function money (h: Harness): { me: number, forwards: number } {
  return { me: h.network.localBalanceMsat(h.me.publicKey), forwards: h.network.localBalanceMsat(h.bob.publicKey) + h.network.localBalanceMsat(h.carol.publicKey) }
}

test('crash after the hash was stored, before sending: failed INTERRUPTED_NOT_SENT, nothing paid, nothing counted', async () => {
  let d!: Rebalance
  const h = await runnerHarness({}, async (p) => {
    d = await cycle(p)
    const prepared = await p.me.prepareCircular(d.params)
    p.state.directives[d.id] = executing(d, p.clock.now(), prepared.id)
  })
  const before = money(h)
  await h.runner.recover()
  assert.deepEqual(h.drain().map(m => m.body), [{ directive: d.id, outcome: 'failed', detail: {}, error: { code: 'INTERRUPTED_NOT_SENT', params: { kind: 'rebalance' } } }])
  assert.deepEqual(money(h), before, 'nothing was paid')
  assert.deepEqual(h.store.snapshot()?.ledger, [])
  assert.equal(h.runner.hasInFlight(), false)

  // delivered again: answered from the store, not run
  await h.runner.receive(d)
  assert.deepEqual(summary(h.drain()), ['result:failed'])
  assert.deepEqual(money(h), before)

  // and nothing holds the limits: the next rebalance runs at once
  const next = rebalance(h.clock.now(), { ...d.params })
  await h.runner.receive(next)
  assert.equal(h.saved(next.id)?.status, 'succeeded')
  assert.equal(money(h).me, before.me - FEE_MSAT)
})

test('crash after the payment succeeded, before its result was stored: succeeded with the real amount and fee, counted, not paid again', async () => {
  let d!: Rebalance
  let paymentId = ''
  const h = await runnerHarness({}, async (p) => {
    d = await cycle(p)
    const prepared = await p.me.prepareCircular(d.params)
    paymentId = prepared.id
    p.state.directives[d.id] = executing(d, p.clock.now(), prepared.id)
    // the node paid it; stormd died before storing the outcome
    await p.me.payCircular(prepared)
  })
  const after = money(h)
  await h.runner.recover()
  const detail = { paymentId, amount: AMOUNT, fee: 2, feeMsat: String(FEE_MSAT), hops: 3, recovered: true }
  assert.deepEqual(h.drain().map(m => m.body), [{ directive: d.id, outcome: 'succeeded', detail }])
  assert.deepEqual(h.saved(d.id)?.detail, detail)
  assert.deepEqual(money(h), after, 'not paid a second time')
  assert.deepEqual(h.store.snapshot()?.ledger.map(e => [e.kind, e.amount, e.fee]), [['rebalance', AMOUNT, 3]])

  // it counts against the owner's limits: the next rebalance within a minute is refused
  const next = rebalance(h.clock.now(), { ...d.params })
  await h.runner.receive(next)
  assert.equal(h.saved(next.id)?.error?.code, 'LIMIT_PAYMENT_TOO_SOON')
  assert.deepEqual(money(h), after)

  // a second restart has nothing left to do
  await h.restart()
  await h.runner.recover()
  assert.deepEqual(h.drain(), [])
  assert.equal(h.store.snapshot()?.ledger.length, 1)
})

test('crash while the payment is in flight: stays executing, counts against the limits, and is reported as it ends', async () => {
  let d!: Rebalance
  const h = await runnerHarness({ maxTransactionsPerPeriod: 1 }, async (p) => {
    d = await cycle(p)
    const prepared = await p.me.prepareCircular(d.params)
    p.state.directives[d.id] = executing(d, p.clock.now(), prepared.id)
    // HTLCs out, no answer yet; then stormd died (the call's answer goes nowhere)
    p.network.holdPayments(p.me.publicKey, true)
    void p.me.payCircular(prepared).catch(() => {})
  })
  const before = money(h)
  await h.runner.recover()
  assert.equal(h.saved(d.id)?.status, 'executing')
  assert.deepEqual(h.drain(), [], 'neither succeeded nor failed yet')
  assert.equal(h.runner.hasInFlight(), true)

  // while its outcome is unknown it counts as spent: another rebalance today is refused
  h.clock.advance(120_000)
  const other = rebalance(h.clock.now(), { ...d.params }, { id: 'other' })
  await h.runner.receive(other)
  assert.equal(h.saved(other.id)?.error?.code, 'LIMIT_TRANSACTIONS_PER_PERIOD')
  h.drain()

  await h.runner.checkPayments()
  assert.equal(h.saved(d.id)?.status, 'executing', 'still in flight')

  h.network.holdPayments(h.me.publicKey, false)
  h.network.releasePayments(h.me.publicKey)
  assert.equal(money(h).me, before.me - FEE_MSAT)
  await h.runner.checkPayments()
  assert.deepEqual(summary(h.drain()), ['result:succeeded'])
  assert.equal(h.saved(d.id)?.detail?.amount, AMOUNT)
  assert.deepEqual(h.store.snapshot()?.ledger.map(e => [e.kind, e.amount, e.fee]), [['rebalance', AMOUNT, 3]])
  assert.equal(h.runner.hasInFlight(), false)
  assert.equal(money(h).me, before.me - FEE_MSAT, 'paid once')
})

test('an in-flight payment that fails back is reported failed and not counted', async () => {
  let d!: Rebalance
  const h = await runnerHarness({}, async (p) => {
    d = await cycle(p)
    const prepared = await p.me.prepareCircular(d.params)
    p.state.directives[d.id] = executing(d, p.clock.now(), prepared.id)
    p.network.holdPayments(p.me.publicKey, true)
    void p.me.payCircular(prepared).catch(() => {})
  })
  const before = money(h)
  await h.runner.recover()
  h.network.releasePayments(h.me.publicKey, 'fail')
  await h.runner.checkPayments()
  assert.deepEqual(h.saved(d.id)?.error?.code, 'LN_PAYMENT_FAILED')
  assert.deepEqual(h.store.snapshot()?.ledger, [])
  assert.deepEqual(money(h), before)
})

test('past the directive\'s expiry an in-flight payment is still checked, never called failed, and reported as it ends', async () => {
  let d!: Rebalance
  const h = await runnerHarness({}, async (p) => {
    d = await cycle(p, { expiresAt: p.clock.now() + 60_000 })
    const prepared = await p.me.prepareCircular(d.params)
    p.state.directives[d.id] = executing(d, p.clock.now(), prepared.id)
    p.network.holdPayments(p.me.publicKey, true)
    void p.me.payCircular(prepared).catch(() => {})
  })
  await h.runner.recover()
  h.clock.advance(3_600_000)
  await h.runner.checkPayments()
  await h.runner.checkPayments()
  assert.equal(h.saved(d.id)?.status, 'executing')
  assert.deepEqual(h.drain(), [])
  assert.deepEqual(h.notices.map(n => [n.type, n.directive.directive.id]), [['payment_in_flight', d.id]], 'the owner is told once')

  h.network.releasePayments(h.me.publicKey)
  await h.runner.checkPayments()
  assert.deepEqual(summary(h.drain()), ['result:succeeded'])
  assert.equal(h.store.snapshot()?.ledger.length, 1)
})

test('stormd stores the hash itself before sending: a crash during its own payment is recovered from the node', async () => {
  let d!: Rebalance
  const h = await runnerHarness({}, async (p) => { d = await cycle(p) })
  const before = money(h)
  h.network.holdPayments(h.me.publicKey, true)
  // the payment goes out and stormd dies waiting for its answer: that process never hears it
  const send = h.me.payCircular.bind(h.me)
  h.me.payCircular = (prepared) => { void send(prepared).catch(() => {}); return new Promise(() => {}) }
  void h.runner.receive(d)
  for (let i = 0; i < 20 && h.saved(d.id)?.status !== 'executing'; i++) await new Promise(resolve => setImmediate(resolve))
  const hash = h.saved(d.id)?.paymentHash
  assert.match(hash ?? '', /^[0-9a-f]{64}$/)
  assert.deepEqual(await h.me.getPayment(hash!), { state: 'in_flight' })

  Reflect.deleteProperty(h.me, 'payCircular')
  await h.restart()
  await h.runner.recover()
  assert.equal(h.saved(d.id)?.status, 'executing')
  h.network.holdPayments(h.me.publicKey, false)
  h.network.releasePayments(h.me.publicKey)
  await h.runner.checkPayments()
  assert.deepEqual(summary(h.drain()), ['result:succeeded'])
  assert.equal(h.saved(d.id)?.detail?.paymentId, hash)
  assert.equal(money(h).me, before.me - FEE_MSAT, 'paid once')
  assert.equal(h.store.snapshot()?.ledger.length, 1)
})

test('a rebalance run without a crash stores its hash and ends as before; the node refuses to pay the same hash twice', async () => {
  let d!: Rebalance
  const h = await runnerHarness({}, async (p) => { d = await cycle(p) })
  const before = money(h)
  await h.runner.receive(d)
  const rec = h.saved(d.id)!
  assert.equal(rec.status, 'succeeded')
  assert.equal(rec.detail?.paymentId, rec.paymentHash)
  assert.equal(rec.detail?.recovered, undefined)
  assert.deepEqual(await h.me.getPayment(rec.paymentHash!), { state: 'succeeded', outcome: { id: rec.paymentHash, amount: AMOUNT, fee: 2, feeMsat: String(FEE_MSAT), hops: [h.bob.publicKey, h.carol.publicKey, h.me.publicKey] } })
  await assert.rejects(h.me.payCircular({ id: rec.paymentHash!, request: d.params, secret: '' }), { code: 'LN_PAYMENT_FAILED' })
  assert.equal(money(h).me, before.me - FEE_MSAT)
})

test('a payment that fails is reported with its own error, and the node knows it failed', async () => {
  let d!: Rebalance
  const h = await runnerHarness({}, async (p) => {
    d = await cycle(p)
    d = { ...d, params: { ...d.params, amount: 900_000 } }
  })
  await h.runner.receive(d)
  const rec = h.saved(d.id)!
  assert.equal(rec.error?.code, 'LN_NO_ROUTE')
  assert.deepEqual(await h.me.getPayment(rec.paymentHash!), { state: 'failed' })
  assert.deepEqual(h.store.snapshot()?.ledger, [])
})

test('when the node does not answer at recovery, a rebalance with a stored hash stays executing until it does', async () => {
  let d!: Rebalance
  const h = await runnerHarness({}, async (p) => {
    d = await cycle(p)
    const prepared = await p.me.prepareCircular(d.params)
    p.state.directives[d.id] = executing(d, p.clock.now(), prepared.id)
    await p.me.payCircular(prepared)
  })
  h.network.setOnline(h.me.publicKey, false)
  await h.runner.recover()
  assert.equal(h.saved(d.id)?.status, 'executing')
  assert.deepEqual(h.drain(), [])
  h.network.setOnline(h.me.publicKey, true)
  await h.runner.checkPayments()
  assert.deepEqual(summary(h.drain()), ['result:succeeded'])
})

test('a payment call that breaks off after the payment went through is not reported failed: the node\'s record decides', async () => {
  let d!: Rebalance
  const h = await runnerHarness({}, async (p) => { d = await cycle(p) })
  const before = money(h)
  // the node pays, then stops answering before the call returns
  const send = h.me.payCircular.bind(h.me)
  h.me.payCircular = async (prepared) => {
    await send(prepared)
    h.network.setOnline(h.me.publicKey, false)
    throw new StormError('LN_UNAVAILABLE', {})
  }
  await h.runner.receive(d)
  Reflect.deleteProperty(h.me, 'payCircular')
  assert.equal(h.saved(d.id)?.status, 'executing', 'not called failed while the node cannot say')
  assert.equal(h.runner.hasInFlight(), true)

  h.network.setOnline(h.me.publicKey, true)
  await h.runner.checkPayments()
  assert.equal(h.saved(d.id)?.status, 'succeeded')
  assert.deepEqual(h.store.snapshot()?.ledger.map(e => [e.kind, e.amount, e.fee]), [['rebalance', AMOUNT, 3]])
  assert.equal(money(h).me, before.me - FEE_MSAT, 'paid once')
})
