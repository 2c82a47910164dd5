/**
 * What placement sees for an `addfunds`: every member who can take a new channel — the Storm
 * liquidity pointing at it (channels others opened to it, and planned ones), its Storm channels,
 * rating, on-chain funds and flow (net sats received over Storm channels: its local balances less
 * what it funded) — and the Storm channels between them with both balances, each taken once (from
 * the end listed first, or from the only end that reported it).
 *
 * At 3,000 members a Storm's reports hold 60,000 channel entries; resolving each against the
 * members is most of the cost. So each report's channels are resolved once and kept, by the
 * report's identity, while the members stay the same: the picture of the next request only reads
 * the reports that changed. The memo changes nothing the picture says (tested against a fresh one).
 */
import { channelOpens } from '../../protocol/channel_opens.ts'
import type { Ctx } from '../context.ts'
import type { Observations } from '../observations.ts'
import type { ChannelReport } from '../../protocol/messages.ts'
import { activeMembers } from '../members/find_member.ts'
import { unfinishedDirectives } from '../state/indexes.ts'
import { untracked } from '../state/change_tracker.ts'
import type { CandidateChannel, PeerCandidate } from '../planning/plan_allocation.ts'

/** One report's Storm channels, resolved against one list of members. */
interface Resolved {
  version: number
  channels: number
  inbound: number
  received: number
  /** Candidate index of each channel's peer, -1 for a Storm member who is not a candidate. */
  peer: Int32Array
  balA: Float64Array
  balB: Float64Array
}

interface Memo {
  keys: string[]
  storm: string[]
  version: number
  byReport: WeakMap<readonly ChannelReport[], Resolved>
}

const memos = new WeakMap<Observations, Memo>()

export function placementPicture (ctx: Ctx): { candidates: PeerCandidate[], channels: CandidateChannel[] } {
  // read only: the members as stored, not through the store's change tracking (a proxy per object
  // read was most of this picture's cost on the SQLite store at 3,000 members)
  const members = activeMembers({ members: untracked(ctx.state.members) })
  const storm: string[] = []
  for (const m of members) if (m.node !== undefined) storm.push(m.node.publicKey)
  const planned = new Map<string, number>()
  for (const r of unfinishedDirectives(ctx.state)) {
    // one channel or a batch: every channel a directive will open points liquidity at its peer
    for (const o of channelOpens(r.directive)) planned.set(o.peer, (planned.get(o.peer) ?? 0) + o.capacity)
  }
  const candidates: PeerCandidate[] = []
  const reports: Array<readonly ChannelReport[]> = []
  const indexOfKey = new Map<string, number>()
  for (const m of members) {
    if (m.status !== 'active' || m.node === undefined || m.agentKey === undefined || indexOfKey.has(m.node.publicKey)) continue
    const report = ctx.observations.get(m.id).report
    const candidate: PeerCandidate = { member: m.id, nodeKey: m.node.publicKey, inbound: planned.get(m.node.publicKey) ?? 0, channels: 0, rating: m.rating, received: 0 }
    if (report !== undefined) candidate.funds = report.balance.confirmed
    const socket = m.node.uris[0]?.split('@')[1]
    if (socket !== undefined) candidate.socket = socket
    if (m.node.region !== undefined) candidate.region = m.node.region
    indexOfKey.set(m.node.publicKey, candidates.length)
    candidates.push(candidate)
    reports.push(report?.channels ?? [])
  }
  const memo = memoFor(ctx.observations, candidates, storm)
  const stormNodes = new Set(storm)
  const channels: CandidateChannel[] = []
  for (let a = 0; a < reports.length; a++) {
    const me = candidates[a]!
    let r = memo.byReport.get(reports[a]!)
    if (r === undefined || r.version !== memo.version) {
      r = resolve(reports[a]!, a, indexOfKey, stormNodes, memo.version)
      memo.byReport.set(reports[a]!, r)
    }
    me.channels = r.channels
    me.inbound += r.inbound
    me.received = r.received
    for (let k = 0; k < r.peer.length; k++) {
      const b = r.peer[k]!
      if (b >= 0 && (b > a || candidates[b]!.funds === undefined)) channels.push({ a, b, balA: r.balA[k]!, balB: r.balB[k]! })
    }
  }
  return { candidates, channels }
}

/** The memo of these observations, emptied (a new version) when the members are not the same. */
function memoFor (observations: Observations, candidates: readonly PeerCandidate[], storm: string[]): Memo {
  const keys = candidates.map(c => c.nodeKey)
  let memo = memos.get(observations)
  if (memo === undefined) {
    memo = { keys, storm, version: 0, byReport: new WeakMap() }
    memos.set(observations, memo)
    return memo
  }
  if (!same(memo.keys, keys) || !same(memo.storm, storm)) {
    memo.keys = keys
    memo.storm = storm
    memo.version++
  }
  return memo
}

function same (x: readonly string[], y: readonly string[]): boolean {
  if (x.length !== y.length) return false
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false
  return true
}

function resolve (list: readonly ChannelReport[], a: number, indexOfKey: ReadonlyMap<string, number>, stormNodes: ReadonlySet<string>, version: number): Resolved {
  const peer: number[] = []
  const balA: number[] = []
  const balB: number[] = []
  let inbound = 0
  let received = 0
  for (const c of list) {
    const b = indexOfKey.get(c.peer)
    if (b === undefined ? !stormNodes.has(c.peer) : b === a) continue
    if (!c.initiator) inbound += c.capacity
    received += c.localBalance - (c.initiator ? c.capacity : 0)
    peer.push(b ?? -1)
    balA.push(c.localBalance)
    balB.push(c.remoteBalance)
  }
  return { version, channels: peer.length, inbound, received, peer: Int32Array.from(peer), balA: Float64Array.from(balA), balB: Float64Array.from(balB) }
}
