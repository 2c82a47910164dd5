/**
 * A realistic manager state at any size, without running thousands of pairings: members paired
 * to agents and nodes, one finished `addfunds` allocation per funded member with its succeeded
 * `open_channel` directives, and each member's report of its channels, balances and flow — the
 * shapes the manager holds after a Storm has been running a while. Deterministic per seed.
 */
import type { Report } from '../../src/protocol/messages.ts'
import type { Allocation, DirectiveRecord, Member, State } from '../../src/manager/state/schema.ts'
import { STATE_VERSION } from '../../src/manager/state/schema.ts'
import { emptyGovernance } from '../../src/manager/governance/schema.ts'
import { seededRandom, shortId } from '../../src/shared/ids.ts'
import { createPrng } from '../../src/simnet/index.ts'

export interface SyntheticOptions {
  members: number
  /** Storm channels per member on average (both directions). */
  channelsPerMember: number
  /** Share of members who funded channels; the others only receive them. Default 0.8. */
  fundedShare?: number
  seed?: number
  /** The state's "now". Default 2026-01-01. */
  now?: number
}

/** One member as the benches address it. */
export interface SyntheticMember {
  id: string
  agentKey: string
  nodeKey: string
  funded: boolean
  /** Confirmed on-chain sats its reports show. */
  onchain: number
}

/** One channel between two members; `funder` opened it. */
export interface SyntheticChannel {
  funder: number
  peer: number
  capacity: number
  /** The funder's balance, sats. */
  funderBalance: number
  channelPoint: string
  scid: string
}

export interface SyntheticStorm {
  state: State
  members: SyntheticMember[]
  channels: SyntheticChannel[]
  now: number
  /** A fresh report body for member `i` (its channels, balances and flow). */
  reportOf (i: number): Report
}

const DAY = 86_400_000
const APPROVAL_STEPS = ['created', 'sent', 'awaiting_approval', 'approved', 'executing', 'succeeded'] as const

/** Builds a synthetic Storm. */
export function syntheticStorm (opts: SyntheticOptions): SyntheticStorm {
  const n = opts.members
  const now = opts.now ?? Date.UTC(2026, 0, 1)
  const rng = createPrng(`storm-bench-state:${opts.seed ?? 1}`)
  const random = seededRandom(opts.seed ?? 1)
  const state: State = {
    version: STATE_VERSION, group: 'Supercell', createdAt: now - 90 * DAY, members: {}, pairings: [], allocations: {}, directives: {},
    consensus: { baseFeeMsat: '1000', feeRatePpm: 100 },
    governance: emptyGovernance(),
    downtimes: {}
  }
  const fundedCount = Math.max(1, Math.round(n * (opts.fundedShare ?? 0.8)))
  const members: SyntheticMember[] = []
  for (let i = 0; i < n; i++) {
    const id = shortId(x => x in state.members, random)
    const nodeKey = (rng.int(2) === 0 ? '02' : '03') + rng.hex(32)
    const funded = i < fundedCount
    members.push({ id, agentKey: rng.hex(32), nodeKey, funded, onchain: funded ? 5_000_000 + rng.int(20_000_000) : rng.int(50_000) })
    state.members[id] = memberRecord(id, i, members[i]!, now)
  }

  // channels: funded members open them to distinct random peers until the average is reached
  const channels: SyntheticChannel[] = []
  const pairs = new Set<number>()
  const target = Math.round(n * opts.channelsPerMember / 2)
  for (let c = 0, tries = 0; channels.length < target && tries < target * 20; tries++, c++) {
    const funder = c % fundedCount
    const peer = rng.int(n)
    const key = funder < peer ? funder * n + peer : peer * n + funder
    if (peer === funder || pairs.has(key)) continue
    pairs.add(key)
    const capacity = (10 + rng.int(41)) * 100_000
    const k = channels.length
    channels.push({
      funder, peer, capacity,
      funderBalance: Math.floor(capacity * (0.1 + 0.8 * rng.float())),
      channelPoint: rng.hex(32) + ':' + rng.int(3),
      scid: `${800_000 + Math.floor(k / 2000)}x${1 + (k % 2000)}x${rng.int(3)}`
    })
  }
  const byMember: number[][] = Array.from({ length: n }, () => [])
  channels.forEach((ch, k) => { byMember[ch.funder]!.push(k); byMember[ch.peer]!.push(k) })

  // one finished allocation per funder, one succeeded open_channel directive per channel
  for (let i = 0; i < fundedCount; i++) {
    const mine = byMember[i]!.filter(k => channels[k]!.funder === i)
    if (mine.length === 0) continue
    const member = members[i]!
    const at = now - (30 + rng.int(60)) * DAY
    const allocation: Allocation = {
      id: shortId(x => x in state.allocations || x in state.directives, random),
      member: member.id, kind: 'add', amount: 0, createdAt: at, status: 'done', directives: [], channels: [], leave: false, finishedAt: at + DAY
    }
    for (const k of mine) {
      const ch = channels[k]!
      const peer = members[ch.peer]!
      allocation.amount += ch.capacity
      const record = directiveRecord(shortId(x => x in state.allocations || x in state.directives || x === allocation.id, random), member, peer, ch, allocation.id, at, ch.peer)
      state.directives[record.directive.id] = record
      allocation.directives.push(record.directive.id)
      allocation.channels.push({ channelPoint: ch.channelPoint, peer: peer.nodeKey, capacity: ch.capacity, state: 'open' })
    }
    state.allocations[allocation.id] = allocation
  }

  return {
    state, members, channels, now,
    reportOf: (i) => report(i, members, channels, byMember[i]!, now)
  }
}

function memberRecord (id: string, i: number, m: SyntheticMember, now: number): Member {
  const joinedAt = now - 60 * DAY + i * 1000
  return {
    id,
    chat: { platform: 'telegram', userId: String(100_000_000 + i), name: `@member${i}` },
    status: 'active',
    requestedAt: joinedAt,
    joinedAt,
    agentKey: m.agentKey,
    node: { publicKey: m.nodeKey, alias: `member${i}-node`, network: 'mainnet', uris: [`${m.nodeKey}@10.${i >> 16}.${(i >> 8) & 255}.${i & 255}:9735`], version: '0.18.3-beta' },
    pairedAt: joinedAt + 60_000,
    rating: 100
  }
}

function directiveRecord (id: string, member: SyntheticMember, peer: SyntheticMember, ch: SyntheticChannel, allocation: string, at: number, peerIndex: number): DirectiveRecord {
  return {
    directive: {
      kind: 'open_channel',
      params: { peer: peer.nodeKey, peerMember: peer.id, capacity: ch.capacity, allocation, socket: `10.${peerIndex >> 16}.${(peerIndex >> 8) & 255}.${peerIndex & 255}:9735` },
      id,
      reason: `allocation ${allocation}: ${ch.capacity} sats to @member${peerIndex}`,
      createdAt: at,
      expiresAt: at + DAY,
      requiresApproval: true
    },
    target: member.id,
    status: 'succeeded',
    history: APPROVAL_STEPS.map((status, s) => status === 'approved' ? { status, at: at + s * 1000, by: `agent:${member.id}` } : { status, at: at + s * 1000 }),
    result: { channelPoint: ch.channelPoint }
  }
}

function report (i: number, members: SyntheticMember[], channels: SyntheticChannel[], mine: number[], now: number): Report {
  return {
    at: now,
    health: { healthy: true, blockHeight: 900_000 },
    balance: { confirmed: members[i]!.onchain, unconfirmed: 0 },
    channels: mine.map(k => {
      const ch = channels[k]!
      const initiator = ch.funder === i
      const local = initiator ? ch.funderBalance : ch.capacity - ch.funderBalance
      const reserve = Math.floor(ch.capacity / 100)
      return {
        id: ch.scid, channelPoint: ch.channelPoint, peer: members[initiator ? ch.peer : ch.funder]!.nodeKey,
        capacity: ch.capacity, localBalance: local, remoteBalance: ch.capacity - local,
        localReserve: reserve, remoteReserve: reserve, active: true, initiator, baseFeeMsat: '1000', feeRatePpm: 100
      }
    }),
    pending: [],
    flow: {
      from: now - 600_000,
      to: now,
      channels: mine.map(k => ({ channel: channels[k]!.scid, inAmount: 10_000 + (k % 7) * 3_000, outAmount: 9_000 + (k % 5) * 4_000, forwards: 1 + (k % 4), feeMsat: String(1_900 + (k % 9) * 100) }))
    }
  }
}
