/**
 * What stormd tells the manager about its node: health for heartbeats, and channels, balances
 * and forwarding flow for reports. Only Storm-relevant shapes leave this file.
 */
import type { LightningNode, Channel, PendingChannel, Forward } from './lightning_port.ts'
import type { Health, Report, ChannelReport, PendingChannelReport, Flow } from '../protocol/messages.ts'
import { StormError } from '../shared/errors.ts'

/** LND's health: answering and synced to the chain. Never throws for an expected failure. */
export async function checkHealth (ln: LightningNode): Promise<Health> {
  try {
    const info = await ln.getInfo()
    return info.syncedToChain
      ? { healthy: true, blockHeight: info.blockHeight }
      : { healthy: false, reason: 'LN_NOT_SYNCED', blockHeight: info.blockHeight }
  } catch (e) {
    if (e instanceof StormError) return { healthy: false, reason: e.code }
    throw e
  }
}

/**
 * A full report; rejects with the port's StormError when the node does not answer. With
 * `reportFlow` false (the owner's privacy choice) forwards are not even read: the report says its
 * flow is private instead of carrying it.
 */
export async function buildReport (ln: LightningNode, flowFrom: number, now: number, reportFlow = true): Promise<Report> {
  const health = await checkHealth(ln)
  if (!health.healthy && health.reason !== 'LN_NOT_SYNCED') throw new StormError(health.reason ?? 'LN_UNAVAILABLE')
  const [balance, channels, pending, forwards] = await Promise.all([
    ln.getChainBalance(), ln.getChannels(), ln.getPendingChannels(), reportFlow ? ln.getForwards(flowFrom, now) : null
  ])
  const report: Report = {
    at: now,
    health,
    balance: { confirmed: balance.confirmed, unconfirmed: balance.unconfirmed },
    channels: channels.map(channelReport),
    pending: pending.map(pendingReport)
  }
  if (forwards === null) report.flowPrivate = true
  else report.flow = flow(forwards, flowFrom, now)
  return report
}

/** One channel as a report carries it (the simulated network's reports use it too). */
export function channelReport (c: Channel): ChannelReport {
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
}

function pendingReport (p: PendingChannel): PendingChannelReport {
  return { channelPoint: p.channelPoint, peer: p.peer, capacity: p.capacity, localBalance: p.localBalance, state: p.state, initiator: p.initiator }
}

/** Forwards summed per channel: what came in, what went out, and the fees earned going out. */
function flow (forwards: Forward[], from: number, to: number): Flow {
  const per = new Map<string, { inAmount: number, outAmount: number, forwards: number, feeMsat: bigint }>()
  const get = (id: string) => {
    let e = per.get(id)
    if (e === undefined) per.set(id, e = { inAmount: 0, outAmount: 0, forwards: 0, feeMsat: 0n })
    return e
  }
  for (const f of forwards) {
    get(f.inChannel).inAmount += f.amount
    const out = get(f.outChannel)
    out.outAmount += f.amount
    out.forwards++
    out.feeMsat += BigInt(f.feeMsat)
  }
  return {
    from,
    to,
    channels: [...per].map(([channel, e]) => ({ channel, inAmount: e.inAmount, outAmount: e.outAmount, forwards: e.forwards, feeMsat: e.feeMsat.toString() }))
  }
}
