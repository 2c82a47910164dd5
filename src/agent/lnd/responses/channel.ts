/** `getChannels` / `getPendingChannels` / channel events → the port's channel shapes. */
import type { GetChannelsResult, GetPendingChannelsResult } from 'lightning'
import type { Channel, FeePolicy, PendingChannel } from '../../lightning_port.ts'

type LndChannel = GetChannelsResult['channels'][number]
type LndPendingChannel = GetPendingChannelsResult['pending_channels'][number]

/** `txid:vout`, the port's channel point. */
export function channelPoint (c: { transaction_id: string, transaction_vout: number }): string {
  return `${c.transaction_id}:${c.transaction_vout}`
}

/** A channel point split for `lightning`; undefined when malformed. */
export function parseChannelPoint (point: string): { transaction_id: string, transaction_vout: number } | undefined {
  const m = /^([0-9a-f]{64}):(\d{1,5})$/i.exec(point)
  return m === null ? undefined : { transaction_id: m[1]!.toLowerCase(), transaction_vout: Number(m[2]) }
}

export function channelFromLnd (c: LndChannel, policy: FeePolicy | undefined): Channel {
  return {
    id: c.id,
    channelPoint: channelPoint(c),
    peer: c.partner_public_key,
    capacity: c.capacity,
    localBalance: c.local_balance,
    remoteBalance: c.remote_balance,
    localReserve: c.local_reserve,
    remoteReserve: c.remote_reserve,
    active: c.is_active,
    private: c.is_private,
    initiator: !c.is_partner_initiated,
    ...(policy === undefined ? {} : { policy: { baseFeeMsat: policy.baseFeeMsat, feeRatePpm: policy.feeRatePpm, cltvDelta: policy.cltvDelta } })
  }
}

export function pendingChannelFromLnd (c: LndPendingChannel): PendingChannel {
  return {
    channelPoint: channelPoint(c),
    peer: c.partner_public_key,
    capacity: c.capacity,
    localBalance: c.local_balance,
    state: pendingState(c),
    initiator: c.is_partner_initiated !== true
  }
}

/**
 * LND lists a closing channel as "waiting close" until its closing transaction confirms, then,
 * for a force close, as timelocked until our output can be swept.
 */
function pendingState (c: LndPendingChannel): PendingChannel['state'] {
  if (c.is_opening) return 'opening'
  if (c.is_timelocked) return 'force_closing'
  return 'waiting_close'
}
