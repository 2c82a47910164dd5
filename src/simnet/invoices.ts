/**
 * Invoices and the payments that go through the port: a self-paying circular payment gets a
 * payment hash like LND's invoice-to-self, and an invoice is paid once, to its destination.
 */
import type { CircularPaymentRequest, Invoice, PaymentOutcome, Sats } from '../agent/lightning_port.ts'
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
  const record = core.nodes[dst]!.invoices.get(invoice.hash)
  const accept = (): boolean => record !== undefined && !record.paid && record.amount === invoice.amount
  const result = payments.pay(me, dst, invoice.amount, { maxFee, accept })
  if (result.ok && record !== undefined) record.paid = true
  return outcome(result, invoice.hash)
}

/** Pays `me` around a cycle through the port. Throws `StormError` with the payment's code. */
export function payCircular (core: SimCore, payments: Payments, me: number, request: CircularPaymentRequest): PaymentOutcome {
  return outcome(payments.payCircular(me, request), newPaymentHash(core))
}

function outcome (result: SimPayResult, id: string): PaymentOutcome {
  if (!result.ok) throw new StormError(result.code, { attempts: result.attempts })
  return { id, amount: result.amount, fee: result.fee, feeMsat: String(result.feeMsat), hops: result.hops }
}

function newPaymentHash (core: SimCore): string {
  const preimage = Buffer.from(core.rng.hex(32), 'hex')
  return Buffer.from(sha256(preimage)).toString('hex')
}
