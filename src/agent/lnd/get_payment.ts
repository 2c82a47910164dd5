/**
 * A payment we sent, looked up by hash (`lightning`'s getPayment, LND's TrackPaymentV2): settled,
 * failed, still in flight, or unknown to LND — which means it was never sent, since LND records
 * a payment before its first HTLC leaves.
 */
import { getPayment as lnGetPayment, type GetPaymentResult } from 'lightning'
import type { PaymentStatus } from '../lightning_port.ts'
import type { LndContext } from './context.ts'
import { lndError } from './errors.ts'
import { paymentOutcome } from './responses/payment.ts'
import { invalid } from './validate.ts'
import { StormError } from '../../shared/errors.ts'

/**
 * How long to wait for LND's answer. `getPayment` answers with the payment's first status update,
 * and LND sends none for a payment in flight whose HTLCs are not out yet (or all failed, the
 * payment not yet marked failed) until that changes: past this, it is "no answer yet".
 */
export const GET_PAYMENT_TIMEOUT_MS = 15_000

/** The `lightning` call this file makes; tests pass a fake (no LND runs in `npm test`). */
export interface PaymentCalls {
  getPayment: typeof lnGetPayment
}

const LIGHTNING: PaymentCalls = { getPayment: lnGetPayment }

/**
 * Errors: `LN_INVALID_REQUEST` (not a payment hash), `LN_UNAVAILABLE`, `LN_PERMISSION_DENIED`.
 * An answer that cannot be read (the status stream ended without one) or that does not come in
 * time is also `LN_UNAVAILABLE`: the caller treats it as no answer and asks again later, never as
 * "failed". (A late answer is dropped; `lightning` closes its stream when it comes.)
 */
export async function getPayment ({ lnd, clock }: LndContext, id: string, calls: PaymentCalls = LIGHTNING): Promise<PaymentStatus> {
  if (typeof id !== 'string' || !/^[0-9a-f]{64}$/.test(id)) throw invalid('not a payment hash')
  let res: GetPaymentResult
  let cancel = (): void => {}
  try {
    res = await Promise.race([
      calls.getPayment({ lnd, id }),
      new Promise<never>((_resolve, reject) => {
        cancel = clock.schedule(() => { reject(new StormError('LN_UNAVAILABLE', { method: 'getPayment', detail: 'no answer in time' })) }, GET_PAYMENT_TIMEOUT_MS)
      })
    ])
  } catch (e) {
    // TrackPaymentV2's "payment isn't initiated"
    if (Array.isArray(e) && e[0] === 404 && e[1] === 'SentPaymentNotFound') return { state: 'not_found' }
    throw lndError(e, 'getPayment', 'LN_UNAVAILABLE')
  } finally {
    cancel()
  }
  const paid = res.payment
  if (res.is_confirmed === true && paid !== undefined) {
    // `mtokens` is what left our node, fees included
    const amount = Number((BigInt(paid.mtokens) - BigInt(paid.fee_mtokens)) / 1000n)
    return { state: 'succeeded', outcome: paymentOutcome(paid, amount, paid.hops.map(h => h.public_key)) }
  }
  if (res.is_failed === true) return { state: 'failed' }
  return { state: 'in_flight' }
}
