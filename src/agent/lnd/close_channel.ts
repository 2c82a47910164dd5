/** Closing a channel, cooperatively or by force. */
import { closeChannel as lnCloseChannel } from 'lightning'
import type { CloseChannelRequest } from '../lightning_port.ts'
import type { LndContext } from './context.ts'
import { callLnd } from './errors.ts'
import { parseChannelPoint } from './responses/channel.ts'
import { invalid } from './validate.ts'

/** Blocks LND aims to confirm a cooperative closing transaction in. */
const CLOSE_TARGET_CONFS = 6

/**
 * Resolves once the closing transaction is broadcast. Errors: `LN_CHANNEL_NOT_FOUND`,
 * `LN_PEER_UNREACHABLE` (cooperative close with the peer offline), `LN_UNAVAILABLE`.
 */
export async function closeChannel ({ lnd }: LndContext, request: CloseChannelRequest): Promise<{ closingTxId: string }> {
  const outpoint = parseChannelPoint(request.channelPoint)
  if (outpoint === undefined) throw invalid('channelPoint must be txid:vout', { channelPoint: request.channelPoint })
  const closed = await callLnd('closeChannel', 'LN_INVALID_REQUEST', async () => request.force === true
    ? await lnCloseChannel({ lnd, ...outpoint, is_force_close: true })
    : await lnCloseChannel({ lnd, ...outpoint, target_confirmations: CLOSE_TARGET_CONFS }))
  return { closingTxId: closed.transaction_id }
}
