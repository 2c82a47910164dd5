/**
 * Plain invoice-and-pay, only between nodes of the same member (a fleet): stormd creates an
 * invoice when told, and pays one only to a node of its own member, for exactly what the
 * directive says, within the owner's payment limits; after a crash the node is asked how the
 * payment with the stored hash ended. bob's node is ours (the same member's), carol's is not.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { runnerHarness, stored } from './runner_harness.ts'
import { createInvoice, payInvoice } from './helpers.ts'
import { decodeInvoice } from '../../src/simnet/invoice_codec.ts'
import type { DirectiveMessage } from '../../src/protocol/messages.ts'

const LIMITS = { minTimeBetweenPayments: 0, maxTransactionSize: 50_000, maxFeePerPeriod: 1_000 }

test('the payee node creates the invoice; the payer node pays it; the amount arrives and counts against the limits', async () => {
  const h = await runnerHarness(LIMITS)
  h.network.openChannelNow(h.me.publicKey, h.bob.publicKey, 500_000)
  // our node as the payee: the invoice is ours, for the amount asked
  const ask = createInvoice(h.clock.now(), 30_000, h.bob.publicKey)
  await h.runner.receive(ask)
  const created = h.saved(ask.id)
  assert.equal(created?.status, 'succeeded')
  const mine = decodeInvoice(String(created?.detail?.request))
  assert.deepEqual(mine && [mine.destination, mine.amount], [h.me.publicKey, 30_000])

  // our node as the payer, of an invoice of bob's node (ours too)
  const invoice = await h.bob.createInvoice(40_000, 'move')
  const before = h.network.localBalanceMsat(h.bob.publicKey)
  const pay = payInvoice(h.clock.now(), { request: invoice.request, payee: h.bob.publicKey, amount: 40_000, maxFee: 50 })
  await h.runner.receive(pay)
  const paid = h.saved(pay.id)
  assert.equal(paid?.status, 'succeeded', JSON.stringify(paid?.error))
  assert.equal(paid?.paymentHash, invoice.id, 'the hash was stored before paying')
  assert.equal(paid?.detail?.paymentId, invoice.id)
  assert.equal(h.network.localBalanceMsat(h.bob.publicKey) - before, 40_000_000)
  assert.deepEqual(h.state.ledger.map(e => [e.kind, e.amount]), [['rebalance', 40_000]])

  // the owner's payment limits bite as for a rebalance
  const again = await h.bob.createInvoice(70_000, 'move')
  const over = payInvoice(h.clock.now(), { request: again.request, payee: h.bob.publicKey, amount: 70_000, maxFee: 50 })
  await h.runner.receive(over)
  assert.equal(h.saved(over.id)?.error?.code, 'LIMIT_TRANSACTION_SIZE')
})

test('never to another member: a payee outside our fleet, or an invoice that is not what the directive says, is refused and nothing is paid', async () => {
  const h = await runnerHarness(LIMITS)
  h.network.openChannelNow(h.me.publicKey, h.bob.publicKey, 500_000)
  h.network.openChannelNow(h.me.publicKey, h.carol.publicKey, 500_000)
  const carols = await h.carol.createInvoice(10_000, 'not ours')
  const toCarol = payInvoice(h.clock.now(), { request: carols.request, payee: h.carol.publicKey, amount: 10_000, maxFee: 50 })
  await h.runner.receive(toCarol)
  assert.equal(h.saved(toCarol.id)?.error?.code, 'PAYEE_NOT_OWN_NODE')
  // a directive that names bob but carries carol's invoice
  const disguised = payInvoice(h.clock.now(), { request: carols.request, payee: h.bob.publicKey, amount: 10_000, maxFee: 50 })
  await h.runner.receive(disguised)
  assert.equal(h.saved(disguised.id)?.error?.code, 'INVOICE_MISMATCH')
  // bob's invoice, but for more than the directive says
  const more = await h.bob.createInvoice(90_000, 'more')
  const inflated = payInvoice(h.clock.now(), { request: more.request, payee: h.bob.publicKey, amount: 10_000, maxFee: 50 })
  await h.runner.receive(inflated)
  assert.equal(h.saved(inflated.id)?.error?.code, 'INVOICE_MISMATCH')
  assert.equal((await h.me.getPayment(carols.id)).state, 'not_found')
  assert.equal((await h.me.getPayment(more.id)).state, 'not_found')
  assert.deepEqual(h.state.ledger, [])
})

test('a pay_invoice stored as executing: the node says it was paid, so it is reported succeeded once, not paid again', async () => {
  let d!: DirectiveMessage
  let hash = ''
  const h = await runnerHarness(LIMITS, async ({ clock, network, me, bob, state }) => {
    network.openChannelNow(me.publicKey, bob.publicKey, 500_000)
    const invoice = await bob.createInvoice(20_000, 'move')
    hash = invoice.id
    d = payInvoice(clock.now(), { request: invoice.request, payee: bob.publicKey, amount: 20_000, maxFee: 50 })
    state.directives[d.id] = { ...stored(d, 'executing', clock.now()), paymentHash: invoice.id }
    // paid, then stormd died before storing the outcome
    await me.payInvoice(invoice.request, 50)
  })
  await h.runner.recover()
  assert.equal(h.saved(d.id)?.status, 'succeeded', JSON.stringify(h.saved(d.id)))
  assert.equal(h.saved(d.id)?.detail?.paymentId, hash)
  assert.deepEqual(h.state.ledger.map(e => [e.kind, e.amount]), [['rebalance', 20_000]])
})
