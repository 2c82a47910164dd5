/** Plain invoices: only between one owner's own nodes (paying another owner moves money). */
import { createInvoice as lnCreateInvoice, decodePaymentRequest, payViaPaymentRequest } from 'lightning'
import type { Invoice, PaymentOutcome, Sats } from '../lightning_port.ts'
import type { LndContext } from './context.ts'
import { callLnd } from './errors.ts'
import { paymentOutcome } from './responses/payment.ts'
import { assertSats, invalid } from './validate.ts'

/** How long LND may look for a route before giving up. */
const PATHFINDING_TIMEOUT_MS = 60_000

export async function createInvoice ({ lnd }: LndContext, amount: Sats, memo: string): Promise<Invoice> {
  assertSats(amount, 'amount')
  const invoice = await callLnd('createInvoice', 'LN_INVALID_REQUEST', async () => await lnCreateInvoice({ lnd, tokens: amount, description: memo }))
  return { id: invoice.id, request: invoice.request, amount }
}

/** What a BOLT 11 request asks, by LND's decoding. Errors: `LN_INVALID_REQUEST`. */
export async function decodeInvoice ({ lnd }: LndContext, request: string): Promise<{ id: string, destination: string, amount: Sats }> {
  if (!/^ln[a-z0-9]+$/i.test(request)) throw invalid('not a BOLT 11 payment request')
  const d = await callLnd('decodePaymentRequest', 'LN_INVALID_REQUEST', async () => await decodePaymentRequest({ lnd, request }))
  return { id: d.id, destination: d.destination, amount: d.tokens }
}

/** Errors: `LN_NO_ROUTE`, `LN_FEE_TOO_HIGH`, `LN_PAYMENT_FAILED`, `LN_INVALID_REQUEST`. */
export async function payInvoice ({ lnd }: LndContext, request: string, maxFee: Sats): Promise<PaymentOutcome> {
  assertSats(maxFee, 'maxFee', 0)
  if (!/^ln[a-z0-9]+$/i.test(request)) throw invalid('not a BOLT 11 payment request')
  const paid = await callLnd('payViaPaymentRequest', 'LN_PAYMENT_FAILED', async () => await payViaPaymentRequest({
    lnd,
    request,
    max_fee: maxFee,
    pathfinding_timeout: PATHFINDING_TIMEOUT_MS
  }))
  // `mtokens` is what left our node, fees included
  const amount = Number((BigInt(paid.mtokens) - BigInt(paid.fee_mtokens)) / 1000n)
  return paymentOutcome(paid, amount, paid.hops.map(h => h.public_key))
}
