/**
 * A node's report as stormd would send it, read straight from the simulated network (no agent,
 * no link): for benches and tests that give the manager's planners what agents would report.
 */
import type { Report } from '../protocol/messages.ts'
import { channelReport } from '../agent/build_report.ts'
import type { SimNetwork } from './sim_network.ts'

/** The report stormd would build for `key` at `now`, without the flow. */
export function simReport (network: SimNetwork, key: string, now: number): Report {
  const channels = network.channelsOf(key).map(channelReport)
  const chain = network.chainBalanceOf(key)
  return { at: now, health: { healthy: true }, balance: { confirmed: chain.confirmed, unconfirmed: chain.unconfirmed }, channels, pending: [] }
}
