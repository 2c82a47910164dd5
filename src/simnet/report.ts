/**
 * A node's report as stormd would send it, read straight from the simulated network (no agent,
 * no link): for benches and tests that give the manager's planners what agents would report.
 */
import type { ChannelReport, Report } from '../protocol/messages.ts'
import type { SimNetwork } from './sim_network.ts'

/** The report stormd would build for `key` at `now`, without the flow. */
export function simReport (network: SimNetwork, key: string, now: number): Report {
  const channels: ChannelReport[] = network.channelsOf(key).map(c => {
    const r: ChannelReport = {
      id: c.id,
      channelPoint: c.channelPoint,
      peer: c.peer,
      capacity: c.capacity,
      localBalance: c.localBalance,
      remoteBalance: c.remoteBalance,
      localReserve: c.localReserve,
      remoteReserve: c.remoteReserve,
      active: c.active,
      initiator: c.initiator
    }
    if (c.policy !== undefined) {
      r.baseFeeMsat = c.policy.baseFeeMsat
      r.feeRatePpm = c.policy.feeRatePpm
    }
    return r
  })
  const chain = network.chainBalanceOf(key)
  return { at: now, health: { healthy: true }, balance: { confirmed: chain.confirmed, unconfirmed: chain.unconfirmed }, channels, pending: [] }
}
