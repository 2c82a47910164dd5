/**
 * Invoices and the payments that go through the port: a self-paying circular payment gets a
 * payment hash like LND's invoice-to-self, and an invoice is paid once, to its destination.
 */
import type { CircularPaymentRequest, Invoice, PaymentOutcome, PaymentStatus, PreparedCircularPayment, Sats } from '../agent/lightning_port.ts'
import { sha256 } from '@noble/hashes/sha2.js'
import { StormError } from '../shared/errors.ts'
import type { SimCore } from './core.ts'
import { decodeInvoice, encodeInvoice } from './invoice_codec.ts'
import type { Payments, SimPayResult } from './pay.ts'

/** Creates an invoice payable to `me`. Throws `LN_INVALID_REQUEST` for a non-positive amount. */
export function createInvoice (core: SimCore, me: number, amount: Sats): Invoice {
  if (!Number.isSafeInteger(amount) || amount <= 0) throw new StormError('LN_INVALID_REQUEST', { field: 'amount' })
  const hash = newPaymentHash(core)
  const node = core.nodes[me]!
  node.invoices.set(hash, { amount, paid: false })
  return { id: hash, request: encodeInvoice({ destination: node.key, hash, amount }), amount }
}

/**
 * Pays a simulated request from `me`. Throws `StormError`: `LN_INVALID_REQUEST` (not a simulated
 * request, or our own), `LN_NO_ROUTE`, `LN_FEE_TOO_HIGH`, `LN_PAYMENT_FAILED` (the destination
 * does not know the invoice, or it is already paid).
 */
export function payInvoice (core: SimCore, payments: Payments, me: number, request: string, maxFee: Sats): PaymentOutcome {
  const invoice = decodeInvoice(request)
  if (invoice === null) throw new StormError('LN_INVALID_REQUEST', { field: 'request' })
  const dst = core.byKey.get(invoice.destination)
  if (dst === me) throw new StormError('LN_INVALID_REQUEST', { reason: 'paying our own invoice' })
  if (dst === undefined) throw new StormError('LN_NO_ROUTE', { destination: invoice.destination })
  assertPayable(core, me, invoice.hash)
  const record = core.nodes[dst]!.invoices.get(invoice.hash)
  const accept = (): boolean => record !== undefined && !record.paid && record.amount === invoice.amount
  const result = payments.pay(me, dst, invoice.amount, { maxFee, accept })
  if (result.ok && record !== undefined) record.paid = true
  // remembered by hash, as LND does, so the payer can ask how it ended (`getPayment`)
  const sent = core.nodes[me]!.payments
  if (result.ok) sent.set(invoice.hash, { state: 'succeeded', outcome: outcome(result, invoice.hash) })
  else if (result.attempts > 0 || sent.has(invoice.hash)) sent.set(invoice.hash, { state: 'failed' })
  return outcome(result, invoice.hash)
}

/**
 * Readies a circular payment: its payment hash, drawn from the network's seeded generator (the
 * simnet needs no payment secret; `secret` stays empty). Moves nothing; checks come when it is paid.
 */
export function prepareCircular (core: SimCore, request: CircularPaymentRequest): PreparedCircularPayment {
  const { amount, outgoingChannel, hops, maxFee } = request
  return { id: newPaymentHash(core), request: { amount, outgoingChannel, hops: Array.isArray(hops) ? [...hops] : hops, maxFee }, secret: '' }
}

/**
 * Refuses a hash already paid or in flight, as LND does: `LN_PAYMENT_FAILED`. A failed one may
 * be tried again.
 */
export function assertPayable (core: SimCore, me: number, id: string): void {
  const known = core.nodes[me]!.payments.get(id)
  if (known !== undefined && known.state !== 'failed') throw new StormError('LN_PAYMENT_FAILED', { reason: `payment ${known.state}` })
}

/** Pays `me` around a cycle through the port, recording the outcome by hash. Throws `StormError` with the payment's code. */
export function payCircular (core: SimCore, payments: Payments, me: number, prepared: PreparedCircularPayment): PaymentOutcome {
  assertPayable(core, me, prepared.id)
  return settleCircular(core, payments, me, prepared)
}

/**
 * Makes the payment now and records how it ended. A request refused before any route is tried
 * (malformed, node offline, unknown channel) leaves no new record — LND would not know it either;
 * any other failure is recorded `failed` (where LND might say "never sent": both are final).
 */
export function settleCircular (core: SimCore, payments: Payments, me: number, prepared: PreparedCircularPayment): PaymentOutcome {
  const result = payments.payCircular(me, prepared.request)
  const record = core.nodes[me]!.payments
  if (result.ok) record.set(prepared.id, { state: 'succeeded', outcome: outcome(result, prepared.id) })
  else if (result.attempts > 0 || record.has(prepared.id)) record.set(prepared.id, { state: 'failed' })
  return outcome(result, prepared.id)
}

/** What `me` knows of a payment by hash (a copy). */
export function paymentStatus (core: SimCore, me: number, id: string): PaymentStatus {
  const known = core.nodes[me]!.payments.get(id)
  if (known === undefined) return { state: 'not_found' }
  return known.state === 'succeeded' ? { state: 'succeeded', outcome: { ...known.outcome, hops: [...known.outcome.hops] } } : { state: known.state }
}

function outcome (result: SimPayResult, id: string): PaymentOutcome {
  if (!result.ok) throw new StormError(result.code, { attempts: result.attempts })
  return { id, amount: result.amount, fee: result.fee, feeMsat: String(result.feeMsat), hops: result.hops }
}

function newPaymentHash (core: SimCore): string {
  const preimage = Buffer.from(core.rng.hex(32), 'hex')
  return Buffer.from(sha256(preimage)).toString('hex')
}
