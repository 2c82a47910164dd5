/**
 * The Storm's channel graph: members' nodes and the channels between them, each with its
 * balance against the balance point, from the members' latest reports. A channel both ends
 * report is shown once, with the balances of the newer report.
 */
import type { ChannelReport, PendingChannelReport } from '../../protocol/messages.ts'
import type { ReadSource } from './read_source.ts'
import { sideSettings, stormBalance, stormNodes } from './read_source.ts'
import { known, unknown, type BalanceSettings, type ChannelBalance, type ChannelGraph, type GraphChannel, type GraphNode } from './views.ts'

export function channelGraph (src: ReadSource): ChannelGraph {
  const byNode = stormNodes(src.state)
  const balance = stormBalance(src.rules)
  const settingsOf = src.balanceSettings ?? sideSettings(src.state, src.rules)
  const channels = new Map<string, GraphChannel>()
  const capacityOf = new Map<string, number>()
  const members = [...byNode.values()].sort((a, b) => a.requestedAt - b.requestedAt || a.id.localeCompare(b.id))
  for (const m of members) {
    const o = src.observations.get(m.id)
    const report = o.report
    if (report === undefined) continue
    const at = o.reportReceivedAt ?? null
    for (const c of report.channels) {
      const peer = byNode.get(c.peer)
      if (peer === undefined || peer.id === m.id) continue
      const seen = channels.get(c.channelPoint)
      if (seen !== undefined && (seen.reportedAt ?? 0) >= (at ?? 0)) continue
      channels.set(c.channelPoint, openChannel(c, m.id, peer.id, at, settingsOf))
    }
    for (const p of report.pending) {
      const peer = byNode.get(p.peer)
      if (peer === undefined || peer.id === m.id || channels.has(p.channelPoint)) continue
      channels.set(p.channelPoint, pendingChannel(p, m.id, peer.id, at))
    }
  }
  for (const c of channels.values()) {
    capacityOf.set(c.a, (capacityOf.get(c.a) ?? 0) + c.capacity)
    capacityOf.set(c.b, (capacityOf.get(c.b) ?? 0) + c.capacity)
  }
  const nodes: GraphNode[] = members.map(m => ({
    id: m.id,
    name: m.chat.name,
    status: m.status,
    online: src.observations.get(m.id).connectedSince !== undefined,
    capacity: capacityOf.get(m.id) ?? 0
  }))
  const list = [...channels.values()].sort((x, y) => x.a.localeCompare(y.a) || x.b.localeCompare(y.b) || x.id.localeCompare(y.id))
  return {
    nodes,
    channels: list,
    balance,
    capacity: list.filter(c => c.state === 'active' || c.state === 'inactive').reduce((s, c) => s + c.capacity, 0)
  }
}

/** Where a side's share sits against its settings. */
export function balanceOf (a: number, b: number, settings: BalanceSettings): ChannelBalance | null {
  const total = a + b
  if (total <= 0) return null
  const aShare = a / total
  const deviation = aShare - settings.balancePoint
  const zone = Math.abs(deviation) <= settings.deadzone ? 'balanced' : deviation > 0 ? 'a_heavy' : 'b_heavy'
  return { a, b, aShare, settings, deviation, zone }
}

function openChannel (c: ChannelReport, reporter: string, peer: string, at: number | null,
  settingsOf: (member: string, channel: string) => BalanceSettings): GraphChannel {
  // `a` is the side that opened (funded) the channel
  const [a, b, aSats, bSats] = c.initiator
    ? [reporter, peer, c.localBalance, c.remoteBalance]
    : [peer, reporter, c.remoteBalance, c.localBalance]
  const bal = balanceOf(aSats, bSats, settingsOf(a, c.id))
  return {
    id: c.id,
    a,
    b,
    capacity: c.capacity,
    state: c.active ? 'active' : 'inactive',
    balance: bal === null ? unknown('not_reported') : known(bal),
    reportedAt: at
  }
}

function pendingChannel (p: PendingChannelReport, reporter: string, peer: string, at: number | null): GraphChannel {
  const [a, b] = p.initiator ? [reporter, peer] : [peer, reporter]
  return {
    id: p.channelPoint,
    a,
    b,
    capacity: p.capacity,
    state: p.state === 'opening' ? 'opening' : 'closing',
    balance: unknown('not_reported'),
    reportedAt: at
  }
}
