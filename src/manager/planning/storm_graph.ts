/**
 * The Storm's channel graph, reconciled from both ends' reports: the rebalancing planner's input.
 * Pure: a function of the members' nodes and their latest reports.
 *
 * A channel between two members is reported twice, by its short channel id. Each side's balance
 * comes from that side's own report (its `localBalance`), unless the two reports disagree — they
 * were taken at different times, around a payment — in which case both balances come from the
 * newer report. A channel only one end reported is taken from that report. A channel either end
 * reports inactive is inactive. Channels come in the order their first report lists them.
 */
import type { ChannelReport, Report } from '../../protocol/messages.ts'

/** A member's node, as the graph knows it. */
export interface GraphNode {
  member: string
  key: string
  /** The names rebalancing overrides may use for it: alias, member id, key (cache key first). */
  ids: string[]
}

/** One side's forwarding policy. */
export interface SidePolicy {
  baseMsat: number
  ppm: number
}

/** A Storm channel; `a` and `b` index `StormGraph.nodes`, balances in sats. */
export interface GraphChannel {
  id: string
  a: number
  b: number
  capacity: number
  balA: number
  balB: number
  /** What each side must keep (its local reserve). */
  reserveA: number
  reserveB: number
  feeA: SidePolicy
  feeB: SidePolicy
  active: boolean
}

export interface StormGraph {
  nodes: GraphNode[]
  channels: GraphChannel[]
  indexOfKey: Map<string, number>
}

/** A member's node and what it last reported. */
export interface NodeReport {
  member: string
  key: string
  alias?: string
  report?: Report
  receivedAt?: number
}

/** Reconciles the members' reports into one graph of Storm channels (both ends members). */
export function reconcileGraph (inputs: readonly NodeReport[], defaultFee: { baseFeeMsat: string, feeRatePpm: number }): StormGraph {
  const nodes: GraphNode[] = []
  const indexOfKey = new Map<string, number>()
  for (const n of inputs) {
    if (indexOfKey.has(n.key)) continue
    indexOfKey.set(n.key, nodes.length)
    nodes.push({ member: n.member, key: n.key, ids: [n.key, n.member, ...(n.alias === undefined || n.alias === '' ? [] : [n.alias])] })
  }
  const fallback: SidePolicy = { baseMsat: Number(defaultFee.baseFeeMsat), ppm: defaultFee.feeRatePpm }
  interface Seen { side: number, at: number, c: ChannelReport }
  const byId = new Map<string, Seen[]>()
  for (const n of inputs) {
    const side = indexOfKey.get(n.key)!
    for (const c of n.report?.channels ?? []) {
      if (!indexOfKey.has(c.peer) || c.peer === n.key) continue
      const list = byId.get(c.id)
      const seen = { side, at: n.receivedAt ?? n.report!.at, c }
      if (list === undefined) byId.set(c.id, [seen])
      else list.push(seen)
    }
  }
  const channels: GraphChannel[] = []
  for (const [id, seen] of byId) {
    const [first, second] = seen
    if (first === undefined) continue
    const a = first.side
    const b = indexOfKey.get(first.c.peer)!
    const other = second !== undefined && second.side === b && second.c.peer === nodes[a]!.key ? second : undefined
    const policy = (c: ChannelReport | undefined): SidePolicy => c?.baseFeeMsat === undefined || c.feeRatePpm === undefined
      ? fallback
      : { baseMsat: Number(c.baseFeeMsat), ppm: c.feeRatePpm }
    const ch: GraphChannel = {
      id,
      a,
      b,
      capacity: first.c.capacity,
      balA: first.c.localBalance,
      balB: first.c.remoteBalance,
      reserveA: first.c.localReserve,
      reserveB: first.c.remoteReserve,
      feeA: policy(first.c),
      feeB: policy(other?.c),
      active: first.c.active && (other?.c.active ?? true)
    }
    if (other !== undefined) {
      ch.reserveB = other.c.localReserve
      const agree = first.c.localBalance + other.c.localBalance <= first.c.capacity &&
        first.c.localBalance === other.c.remoteBalance && other.c.localBalance === first.c.remoteBalance
      if (agree || other.at <= first.at) {
        // each side's own word on its balance, or the newer report (this one)
        if (agree) ch.balB = other.c.localBalance
      } else {
        ch.balA = other.c.remoteBalance
        ch.balB = other.c.localBalance
      }
    }
    channels.push(ch)
  }
  return { nodes, channels, indexOfKey }
}
