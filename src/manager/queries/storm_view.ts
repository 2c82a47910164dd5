/**
 * The whole Storm in one view (what the dashboard shows a member), and one member's own part.
 */
import type { ReadSource } from './read_source.ts'
import { membersView } from './members.ts'
import { channelGraph } from './channel_graph.ts'
import { feesView } from './fees_and_votes.ts'
import { pendingView } from './pending.ts'
import { earningsView, flowView } from './flow.ts'
import type { StormView } from './views.ts'

export interface StormViewOptions {
  /** The period flow and earnings are measured over, ms (default 7 days). */
  flowPeriodMs?: number
  /** The least time the flow history must cover for rates to be given, ms (default an hour). */
  minCoverageMs?: number
}

export function stormView (src: ReadSource, o: StormViewOptions = {}): StormView {
  const members = membersView(src)
  const graph = channelGraph(src)
  const flow = flowView(src, o.flowPeriodMs, o.minCoverageMs)
  return {
    group: src.state.group,
    at: src.now,
    members,
    graph,
    fees: feesView(src, members),
    pending: pendingView(src),
    flow,
    earnings: earningsView(flow, graph.capacity)
  }
}
