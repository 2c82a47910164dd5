/**
 * A circular payment: an invoice to ourselves, paid along a route we build — out by our channel
 * `outgoingChannel`, through `hops`, and back to us from the last hop. The invoice is created
 * first (`prepareCircular`), so its payment hash can be stored before anything is sent; the
 * route's fee is checked against `maxFee` before anything is sent.
 */
import { cancelHodlInvoice, createInvoice, getRouteThroughHops, payViaRoutes } from 'lightning'
import { StormError } from '../../shared/errors.ts'
import type { CircularPaymentRequest, PaymentOutcome, PreparedCircularPayment } from '../lightning_port.ts'
import type { LndContext } from './context.ts'
import { callLnd } from './errors.ts'
import { paymentOutcome } from './responses/payment.ts'
import { assertChannelId, assertPublicKey, assertSats, invalid } from './validate.ts'

/** The final CLTV delta of the invoice and of the route's last hop (they must agree). */
const FINAL_CLTV_DELTA = 80
/** Invoices to ourselves only live as long as the payment attempt. */
const INVOICE_TTL_MS = 10 * 60_000

/** Validates the request and creates the invoice to ourselves. Errors: `LN_INVALID_REQUEST`, `LN_PAYMENT_FAILED`. */
export async function prepareCircular (ctx: LndContext, request: CircularPaymentRequest): Promise<PreparedCircularPayment> {
  const { amount, outgoingChannel, hops, maxFee } = request
  assertSats(amount, 'amount')
  assertSats(maxFee, 'maxFee', 0)
  assertChannelId(outgoingChannel, 'outgoingChannel')
  if (hops.length === 0) throw invalid('a circular payment needs at least one hop')
  hops.forEach(h => assertPublicKey(h, 'hop'))
  const self = await ctx.selfKey()
  if (hops.includes(self)) throw invalid('hops must not include our own node')
  const { lnd } = ctx
  const invoice = await callLnd('createInvoice', 'LN_PAYMENT_FAILED', async () => await createInvoice({
    lnd,
    tokens: amount,
    cltv_delta: FINAL_CLTV_DELTA,
    description: 'storm circular rebalance',
    expires_at: new Date(ctx.clock.now() + INVOICE_TTL_MS).toISOString()
  }))
  if (invoice.payment === undefined) throw new StormError('LN_PAYMENT_FAILED', { method: 'createInvoice', detail: 'no payment secret' })
  return { id: invoice.id, request: { amount, outgoingChannel, hops: [...hops], maxFee }, secret: invoice.payment }
}

/**
 * Errors: `LN_FEE_TOO_HIGH` {fee, maxFee} (nothing was sent), `LN_NO_ROUTE` (a hop lacks
 * liquidity or a channel is unknown or disabled), `LN_CHANNEL_NOT_FOUND`, `LN_PAYMENT_FAILED`
 * (also for a hash already paid or in flight: LND pays a hash once), `LN_INVALID_REQUEST`.
 */
export async function payCircular (ctx: LndContext, prepared: PreparedCircularPayment): Promise<PaymentOutcome> {
  const { amount, outgoingChannel, hops, maxFee } = prepared.request
  const self = await ctx.selfKey()
  const { lnd } = ctx
  try {
    const { route } = await callLnd('getRouteThroughHops', 'LN_NO_ROUTE', async () => await getRouteThroughHops({
      lnd,
      public_keys: [...hops, self],
      outgoing_channel: outgoingChannel,
      tokens: amount,
      cltv_delta: FINAL_CLTV_DELTA,
      payment: prepared.secret,
      total_mtokens: (BigInt(amount) * 1000n).toString()
    }))
    if (BigInt(route.fee_mtokens) > BigInt(maxFee) * 1000n) {
      throw new StormError('LN_FEE_TOO_HIGH', { feeMsat: route.fee_mtokens, fee: route.safe_fee, maxFee })
    }
    const paid = await callLnd('payViaRoutes', 'LN_PAYMENT_FAILED', async () => await payViaRoutes({ lnd, id: prepared.id, routes: [route] }))
    return paymentOutcome(paid, amount, route.hops.map(h => h.public_key))
  } catch (e) {
    // the invoice would only expire; cancelling it says plainly that this payment is over (and an
    // HTLC still on its way to us for it is refused: it cannot succeed after we said it failed)
    await cancelHodlInvoice({ lnd, id: prepared.id }).catch(() => {})
    throw e
  }
}
