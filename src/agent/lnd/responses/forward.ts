/** `getForwards` and forward events → `Forward`. */
import type { GetForwardsResult } from 'lightning'
import type { Forward } from '../../lightning_port.ts'

export function forwardFromLnd (f: GetForwardsResult['forwards'][number]): Forward {
  return {
    at: Date.parse(f.created_at),
    inChannel: f.incoming_channel,
    outChannel: f.outgoing_channel,
    amount: f.tokens,
    feeMsat: f.fee_mtokens
  }
}
