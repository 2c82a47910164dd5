/**
 * A circular payment: an invoice to ourselves, paid along a route we build — out by our channel
 * `outgoingChannel`, through `hops`, and back to us from the last hop. The route's fee is
 * checked against `maxFee` before anything is sent.
 */
import { cancelHodlInvoice, createInvoice, getRouteThroughHops, payViaRoutes } from 'lightning'
import { StormError } from '../../shared/errors.ts'
import type { CircularPaymentRequest, PaymentOutcome } from '../lightning_port.ts'
import type { LndContext } from './context.ts'
import { callLnd } from './errors.ts'
import { paymentOutcome } from './responses/payment.ts'
import { assertChannelId, assertPublicKey, assertSats, invalid } from './validate.ts'

/** The final CLTV delta of the invoice and of the route's last hop (they must agree). */
const FINAL_CLTV_DELTA = 80
/** Invoices to ourselves only live as long as the payment attempt. */
const INVOICE_TTL_MS = 10 * 60_000

/**
 * Errors: `LN_FEE_TOO_HIGH` {fee, maxFee} (nothing was sent), `LN_NO_ROUTE` (a hop lacks
 * liquidity or a channel is unknown or disabled), `LN_CHANNEL_NOT_FOUND`, `LN_PAYMENT_FAILED`,
 * `LN_INVALID_REQUEST`.
 */
export async function payCircular (ctx: LndContext, request: CircularPaymentRequest): Promise<PaymentOutcome> {
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
  try {
    const { route } = await callLnd('getRouteThroughHops', 'LN_NO_ROUTE', async () => await getRouteThroughHops({
      lnd,
      public_keys: [...hops, self],
      outgoing_channel: outgoingChannel,
      tokens: amount,
      cltv_delta: FINAL_CLTV_DELTA,
      payment: invoice.payment,
      total_mtokens: (BigInt(amount) * 1000n).toString()
    }))
    if (BigInt(route.fee_mtokens) > BigInt(maxFee) * 1000n) {
      throw new StormError('LN_FEE_TOO_HIGH', { feeMsat: route.fee_mtokens, fee: route.safe_fee, maxFee })
    }
    const paid = await callLnd('payViaRoutes', 'LN_PAYMENT_FAILED', async () => await payViaRoutes({ lnd, id: invoice.id, routes: [route] }))
    return paymentOutcome(paid, amount, route.hops.map(h => h.public_key))
  } catch (e) {
    // the invoice would only expire; cancelling it says plainly that this payment is over
    await cancelHodlInvoice({ lnd, id: invoice.id }).catch(() => {})
    throw e
  }
}
