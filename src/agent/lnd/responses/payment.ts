/** Payment results → `PaymentOutcome`. */
import type { PaymentOutcome, Sats } from '../../lightning_port.ts'

/** What `payViaRoutes` and `payViaPaymentRequest` both return, as far as Storm reads it. */
export interface LndPaid {
  id: string
  fee: number
  fee_mtokens: string
  tokens: number
}

export function paymentOutcome (paid: LndPaid, amount: Sats, hops: string[]): PaymentOutcome {
  return { id: paid.id, amount, fee: paid.fee, feeMsat: paid.fee_mtokens, hops }
}
