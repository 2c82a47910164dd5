/**
 * What placement sees for an `addfunds`: every member who can take a new channel — the Storm
 * liquidity pointing at it (channels others opened to it, and planned ones), its Storm channels,
 * rating, on-chain funds and flow (net sats received over Storm channels: its local balances less
 * what it funded) — and the Storm channels between them with both balances, each taken once (from
 * the end listed first, or from the only end that reported it).
 *
 * A member is one vertex however many nodes it pairs (a company's fleet): its figures add up the
 * reports of all its nodes, a channel from any of its nodes is its channel, and a channel between
 * two of its own nodes is no Storm channel for placement (it connects the member to itself). Peers
 * are opened to at the member's first node; `nodeKeys` lists all of them.
 *
 * At 3,000 members a Storm's reports hold 60,000 channel entries; resolving each against the
 * members is most of the cost. So each report's channels are resolved once and kept, by the
 * report's identity, while the members stay the same; and the list of channels is kept whole
 * while no report changed (a new list otherwise, made of the kept channels). The memo changes
 * nothing the picture says (tested against a fresh one after a series of changes).
 */
import { channelOpens } from '../../protocol/channel_opens.ts'
import type { Ctx } from '../context.ts'
import type { Observations } from '../observations.ts'
import type { ChannelReport } from '../../protocol/messages.ts'
import { activeMembers } from '../members/find_member.ts'
import { nodesOf, observationKey } from '../members/member_nodes.ts'
import { unfinishedDirectives } from '../state/indexes.ts'
import { untracked } from '../state/change_tracker.ts'
import type { Member } from '../state/schema.ts'
import type { CandidateChannel, PeerCandidate } from '../planning/plan_allocation.ts'
import { edgeColumns, type EdgeColumns } from '../planning/plan_placement.ts'

/** One report's Storm channels, resolved against one list of members. */
interface Resolved {
  version: number
  channels: number
  inbound: number
  received: number
  /** Candidate index of each channel's peer (-1: a Storm member who is not a candidate), and its node. */
  peer: Int32Array
  peerNode: Int32Array
  /** The channel as placement sees it, from this side (undefined for a peer that is not a candidate). */
  edge: Array<CandidateChannel | undefined>
}

/** A candidate: the member and its nodes (the one opened to first), where each is observed. */
interface Place {
  member: Member
  nodes: Array<{ key: string, observed: string }>
  socket?: string
}

interface Layout {
  members: Member[]
  signature: Signature[]
  /** Every Storm node key, numbered. */
  storm: string[]
  nodeIndex: Map<string, number>
  /** Candidate of each candidate's node key. */
  indexOfKey: Map<string, number>
  places: Place[]
  /** Candidate of each candidate node, in the order of `places`' nodes. */
  owner: number[]
}

interface Memo {
  /** Each candidate's node keys, joined; then every Storm node key: what a resolution depends on. */
  keys: string[]
  storm: string[]
  version: number
  byReport: WeakMap<readonly ChannelReport[], Resolved>
  layout?: Layout
  base?: Base
  /** The active members as last listed, with the members record and its version then (`Ctx.membersVersion`). */
  active?: { record: object, version: number, list: Member[] }
}

/** The candidates' figures from their reports, as of `reports` reports observed. */
interface Base {
  layout: Layout
  version: number
  reports: number
  /** Each candidate node's channel list (in `layout.owner`'s order); 1 for each Storm node that reported. */
  lists: Array<readonly ChannelReport[]>
  reported: Uint8Array
  /** Per candidate: its first node's on-chain funds (NaN: no report), Storm channels, inbound, received. */
  funds: Float64Array
  channels: Int32Array
  inbound: Float64Array
  received: Float64Array
  edges: CandidateChannel[]
  /** Where each list's channels start in `edges` (and the last one ends). */
  offsets: Int32Array
  columns: EdgeColumns
}

const memos = new WeakMap<Observations, Memo>()
const NO_CHANNELS: readonly ChannelReport[] = Object.freeze([])
const NO_COLUMNS: EdgeColumns = edgeColumns([])

export interface PlacementPicture {
  candidates: PeerCandidate[]
  channels: CandidateChannel[]
  /** The channels as columns, kept with them (placement reads these, not the channels, per request). */
  columns: EdgeColumns
}

export function placementPicture (ctx: Pick<Ctx, 'state' | 'observations' | 'membersVersion'>): PlacementPicture {
  // read only: the members as stored, not through the store's change tracking (a proxy per object
  // read was most of this picture's cost on the SQLite store at 3,000 members)
  const record = untracked(ctx.state.members)
  const memo = memoFor(ctx.observations)
  // no member written since the last picture (the manager counts the writes): the same members
  // and layout, without a scan of every member (about 1.5 ms at 3,000)
  const version = ctx.membersVersion?.()
  const seen = memo.active
  const unchanged = version !== undefined && seen !== undefined && seen.record === record && seen.version === version && memo.layout?.members === seen.list
  const members = unchanged ? seen.list : activeMembers({ members: record })
  const layout = unchanged ? memo.layout! : layoutOf(memo, members)
  if (version === undefined) delete memo.active
  else memo.active = { record, version, list: layout.members }
  const kept = memo.base
  const base = kept !== undefined && kept.layout === layout && kept.version === memo.version && kept.reports === ctx.observations.reportCount
    ? kept
    : baseOf(ctx.observations, memo, layout)
  memo.base = base
  // channels the unfinished directives will open point liquidity at their peers (any node of theirs)
  const planned = new Float64Array(layout.places.length)
  for (const r of unfinishedDirectives(ctx.state)) {
    for (const o of channelOpens(r.directive)) {
      const c = layout.indexOfKey.get(o.peer)
      if (c !== undefined) planned[c]! += o.capacity
    }
  }
  const candidates: PeerCandidate[] = []
  for (let i = 0; i < layout.places.length; i++) {
    const place = layout.places[i]!
    const m = place.member
    const candidate: PeerCandidate = { member: m.id, nodeKey: place.nodes[0]!.key, inbound: base.inbound[i]! + planned[i]!, channels: base.channels[i]!, rating: m.rating, received: base.received[i]! }
    // the first node opens channels of its own (lift, exit): its funds are what it can open with
    if (!Number.isNaN(base.funds[i]!)) candidate.funds = base.funds[i]!
    if (place.socket !== undefined) candidate.socket = place.socket
    if (m.node!.region !== undefined) candidate.region = m.node!.region
    if (place.nodes.length > 1) candidate.nodeKeys = place.nodes.map(n => n.key)
    candidates.push(candidate)
  }
  return { candidates, channels: base.edges, columns: base.columns }
}

/** What the candidates' reports say: each candidate's figures, and the Storm channels between them. */
function baseOf (observations: Observations, memo: Memo, layout: Layout): Base {
  const { places, nodeIndex } = layout
  const k = places.length
  const base: Base = {
    layout,
    version: memo.version,
    reports: observations.reportCount,
    lists: [],
    reported: new Uint8Array(layout.storm.length),
    funds: new Float64Array(k).fill(NaN),
    channels: new Int32Array(k),
    inbound: new Float64Array(k),
    received: new Float64Array(k),
    edges: [],
    offsets: new Int32Array(0),
    columns: NO_COLUMNS
  }
  for (let i = 0; i < k; i++) {
    const place = places[i]!
    for (const n of place.nodes) {
      const r = observations.get(n.observed).report
      if (n.key === place.nodes[0]!.key && r !== undefined) base.funds[i] = r.balance.confirmed
      base.lists.push(r?.channels ?? NO_CHANNELS)
      if (r !== undefined) base.reported[nodeIndex.get(n.key)!] = 1
    }
  }
  const last = memo.base
  if (last !== undefined && last.version === memo.version && last.layout === layout && sameList(last.reported, base.reported)) {
    const changed: number[] = []
    for (let i = 0; i < base.lists.length; i++) if (base.lists[i] !== last.lists[i]) changed.push(i)
    if (patched(memo, last, base, changed)) return base
  }
  base.offsets = new Int32Array(base.lists.length + 1)
  for (let i = 0; i < base.lists.length; i++) {
    const a = layout.owner[i]!
    const r = resolvedOf(memo, layout, base.lists[i]!, a)
    base.channels[a]! += r.channels
    base.inbound[a]! += r.inbound
    base.received[a]! += r.received
    for (let j = 0; j < r.peer.length; j++) if (included(r, j, a, base.reported)) base.edges.push(r.edge[j]!)
    base.offsets[i + 1] = base.edges.length
  }
  base.columns = edgeColumns(base.edges)
  return base
}

/** Each channel once: from the end listed first, or from the only end that reported it. */
function included (r: Resolved, j: number, a: number, reported: Uint8Array): boolean {
  const b = r.peer[j]!
  return b >= 0 && (b > a || reported[r.peerNode[j]!] === 0)
}

/** The list resolved (once per list and memo version). */
function resolvedOf (memo: Memo, layout: Layout, list: readonly ChannelReport[], a: number): Resolved {
  let r = memo.byReport.get(list)
  if (r === undefined || r.version !== memo.version) {
    r = resolve(list, a, layout.indexOfKey, layout.nodeIndex, memo.version)
    memo.byReport.set(list, r)
  }
  return r
}

/**
 * The last base moved by the reports that changed (`changed`: their indexes in the lists), when
 * none of them opened or closed a channel: the same channels in the same places with new
 * balances, each candidate's figures moved by the difference. False (nothing done) otherwise.
 */
function patched (memo: Memo, last: Base, base: Base, changed: readonly number[]): boolean {
  const channels = last.channels.slice()
  const inbound = last.inbound.slice()
  const received = last.received.slice()
  let edges: CandidateChannel[] | undefined
  let balA: Float64Array | undefined
  let balB: Float64Array | undefined
  for (const i of changed) {
    const a = base.layout.owner[i]!
    const before = resolvedOf(memo, base.layout, last.lists[i]!, a)
    const after = resolvedOf(memo, base.layout, base.lists[i]!, a)
    channels[a]! += after.channels - before.channels
    inbound[a]! += after.inbound - before.inbound
    received[a]! += after.received - before.received
    let at = last.offsets[i]!
    const end = last.offsets[i + 1]!
    for (let j = 0; j < after.peer.length; j++) {
      if (!included(after, j, a, base.reported)) continue
      if (at === end || last.edges[at]!.b !== after.peer[j]) return false
      edges ??= last.edges.slice()
      balA ??= last.columns.balA.slice()
      balB ??= last.columns.balB.slice()
      const e = after.edge[j]!
      edges[at] = e
      balA[at] = e.balA
      balB[at] = e.balB
      at++
    }
    if (at !== end) return false
  }
  base.channels = channels
  base.inbound = inbound
  base.received = received
  base.offsets = last.offsets
  base.edges = edges ?? last.edges
  // the same ends (the graph's shape is kept by their identity), new balances
  base.columns = balA === undefined || balB === undefined ? last.columns : { a: last.columns.a, b: last.columns.b, balA, balB }
  return true
}

/**
 * Who the candidates are and which nodes are theirs: the last layout while the active members,
 * their statuses, agents and nodes are the same; a new one otherwise (and the resolved reports
 * emptied when the Storm's nodes or the candidates' nodes changed).
 */
function layoutOf (memo: Memo, members: readonly Member[]): Layout {
  const kept = memo.layout
  if (kept !== undefined && sameMembers(kept, members)) return kept
  // every node of every Storm member, numbered: channels to any of them stay in the Storm
  const storm: string[] = []
  const nodeIndex = new Map<string, number>()
  for (const m of members) {
    for (const n of nodesOf(m)) {
      if (nodeIndex.has(n.node.publicKey)) continue
      nodeIndex.set(n.node.publicKey, storm.length)
      storm.push(n.node.publicKey)
    }
  }
  const places: Place[] = []
  const owner: number[] = []
  const keys: string[] = []
  const indexOfKey = new Map<string, number>()
  for (const m of members) {
    if (m.status !== 'active' || m.node === undefined || m.agentKey === undefined || indexOfKey.has(m.node.publicKey)) continue
    const index = places.length
    const nodes = nodesOf(m).filter(n => n.primary || !indexOfKey.has(n.node.publicKey))
    for (const n of nodes) {
      indexOfKey.set(n.node.publicKey, index)
      owner.push(index)
    }
    const place: Place = { member: m, nodes: nodes.map(n => ({ key: n.node.publicKey, observed: observationKey(m, n.agentKey) })) }
    const socket = m.node.uris[0]?.split('@')[1]
    if (socket !== undefined) place.socket = socket
    places.push(place)
    keys.push(place.nodes.map(n => n.key).join(','))
  }
  if (!same(memo.keys, keys) || !same(memo.storm, storm)) {
    memo.keys = keys
    memo.storm = storm
    memo.version++
  }
  memo.layout = { members: [...members], signature: members.map(signature), storm, nodeIndex, indexOfKey, places, owner }
  return memo.layout
}

/** What a member's place in the picture depends on, besides its rating and region (read each time). */
interface Signature {
  status: string
  agentKey: string | undefined
  nodeKey: string | undefined
  uri: string | undefined
  /** The fleet's agents and nodes, '' without one. */
  fleet: string
}

function signature (m: Member): Signature {
  return { status: m.status, agentKey: m.agentKey, nodeKey: m.node?.publicKey, uri: m.node?.uris[0], fleet: fleetSignature(m) }
}

function fleetSignature (m: Member): string {
  let s = ''
  for (const f of m.fleet ?? []) s += `${f.agentKey} ${f.node.publicKey} `
  return s
}

function sameMembers (layout: Layout, members: readonly Member[]): boolean {
  if (layout.members.length !== members.length) return false
  for (let i = 0; i < members.length; i++) {
    const m = members[i]!
    const s = layout.signature[i]!
    if (layout.members[i] !== m || s.status !== m.status || s.agentKey !== m.agentKey || s.nodeKey !== m.node?.publicKey || s.uri !== m.node?.uris[0]) return false
    if ((m.fleet?.length ?? 0) > 0 || s.fleet !== '') { if (s.fleet !== fleetSignature(m)) return false }
  }
  return true
}

/** The memo of these observations. */
function memoFor (observations: Observations): Memo {
  let memo = memos.get(observations)
  if (memo === undefined) {
    memo = { keys: [], storm: [], version: 0, byReport: new WeakMap() }
    memos.set(observations, memo)
  }
  return memo
}

function same (x: readonly string[], y: readonly string[]): boolean {
  if (x.length !== y.length) return false
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false
  return true
}

function sameList<T> (x: ArrayLike<T>, y: ArrayLike<T>): boolean {
  if (x.length !== y.length) return false
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false
  return true
}

function resolve (list: readonly ChannelReport[], a: number, indexOfKey: ReadonlyMap<string, number>, nodeIndex: ReadonlyMap<string, number>, version: number): Resolved {
  const peer: number[] = []
  const peerNode: number[] = []
  const edge: Array<CandidateChannel | undefined> = []
  let inbound = 0
  let received = 0
  for (const c of list) {
    const node = nodeIndex.get(c.peer)
    // outside the Storm, or another node of the same member (a fleet's own channel)
    if (node === undefined) continue
    const b = indexOfKey.get(c.peer) ?? -1
    if (b === a) continue
    if (!c.initiator) inbound += c.capacity
    received += c.localBalance - (c.initiator ? c.capacity : 0)
    peer.push(b)
    peerNode.push(node)
    edge.push(b >= 0 ? { a, b, balA: c.localBalance, balB: c.remoteBalance } : undefined)
  }
  return { version, channels: peer.length, inbound, received, peer: Int32Array.from(peer), peerNode: Int32Array.from(peerNode), edge }
}
