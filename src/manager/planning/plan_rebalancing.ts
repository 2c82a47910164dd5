/**
 * Collective rebalancing: one round of circular payments that brings the Storm's channels back
 * inside their balance point ± dead zone. Pure: a function of the reconciled graph, the rules,
 * what was paid recently and the time.
 *
 * The model is a circulation. Each channel side is an arc X→Y carrying up to what X may send
 * without leaving its zone. Where X holds more than its balance point + dead zone (or Y less than
 * its balance point − dead zone), the arc has a *correcting* part — sending it is the point of
 * the round; elsewhere the arc is *neutral*: it may carry a payment along, moving that channel by
 * at most half its dead zone, at a penalty. A payment around a cycle moves the same amount over
 * each arc, so every member on it sends what it receives: each member's total is unchanged,
 * except the payer's routing fees, which the forwarding members earn.
 *
 * The circulation is found by greedy cycle cancelling: the correcting arcs, largest first, each
 * closed into a cycle by the cheapest return path found (costs: the forwarders' fees, a penalty
 * per neutral arc, a little per hop; at most `maxCycleLength` channels). The return path is met in
 * the middle: a small cheapest-path tree grown forward from the arc's head (kept for every arc
 * into that head until a payment changes the rooms) and one grown backward into its tail; the
 * cheapest meeting that makes a simple path wins. Two small trees meet far more often than one
 * tree of their combined size reaches a given node, so the searches stay small — a round at
 * 3,000 members / 30,000 channels settles at most `ROUND_VISITS` nodes in all. Return paths made
 * of other correcting arcs are cheapest, so one payment fixes several channels. Each cycle is a
 * negative cycle of the min-cost circulation (it fixes more than its fees cost); cycles already
 * planned are not undone, so the result is a near-optimal circulation, not a proven optimum.
 *
 * Every cycle obeys, before it is planned: each arc's balance and reserve; every Tightrope
 * setting of each side it moves (`maxTransactionSize`, `minTimeBetweenPayments`,
 * `maxTransactionsPerPeriod` / `maxTransactionsPeriod`, `maxAmountPerPeriod` / `maxAmountPeriod`)
 * counting the recent attempts given and the cycles planned earlier in the round; the payer's own
 * settings and fee budget (`maxFeePerPeriod`); `maxFeePpm`; and what the payer's agent said of its
 * own limits (`paused`). The payer is the first node along the cycle whose limits allow it, so a
 * node out of budget does not stop the channels it sits on from being fixed by another.
 */
import type { GraphChannel, StormGraph } from './storm_graph.ts'
import { SettingsResolver, type RebalanceRules, type RebalanceSettings } from './rebalance_rules.ts'
import { MinHeap } from '../../shared/min_heap.ts'
import { Earnings, sideKey, type ObservedFlow } from './rebalance_economics.ts'

/** A rebalancing payment made or under way, for the period limits. */
export interface RebalanceAttempt {
  at: number
  /** The payer's node key. */
  payer: string
  amount: number
  /** Fee paid (sats), or the most it may pay while in flight. */
  fee: number
  /** Each channel it moved, by the side that sent over it. */
  sides: Array<{ node: string, channel: string }>
  /** Failed attempts count against the payment count and time limits, not the amounts. */
  outcome: 'succeeded' | 'failed' | 'in_flight'
}

export interface RebalancePlanInput {
  graph: StormGraph
  rules: RebalanceRules
  now: number
  /** Recent attempts (at least the longest period's worth). */
  history: readonly RebalanceAttempt[]
  /** Payers whose agents refused for their own limits: node key → time the refusal lapses. */
  paused?: ReadonlyMap<string, number>
  /** When each channel was last looked at, for channels with a refreshRate override. */
  lastChecked?: ReadonlyMap<string, number>
  /**
   * The forwarding the members reported: with it, a payment is planned only when the fees its
   * restored liquidity is expected to earn cover its own (`minGainRatio`) and the round's fees stay
   * within `maxFeeShare` of the fees earned (`rebalance_economics.ts`). Without it, neither applies.
   */
  flow?: ObservedFlow
}

/** One circular payment to make. */
export interface PlannedRebalance {
  /** The payer's node key and member. */
  payer: string
  payerMember: string
  amount: number
  /** Short id of the payer's channel the payment leaves by. */
  outgoingChannel: string
  /** The hops after the payer, in order; the payment returns to it from the last one. */
  hops: string[]
  /** The channels of the cycle, in order, starting with `outgoingChannel`. */
  channels: string[]
  /** The routing fee at the reported policies, msat. */
  feeMsat: number
  /** The most the payment may cost: the fee rounded up, plus a sat for a policy changed since. */
  maxFee: number
  /** Channels of the cycle that were outside their zone. */
  fixes: number
  /** Routing fees the liquidity it restores is expected to earn, msat (0 without a flow). */
  gainMsat: number
}

export interface RebalancePlan {
  payments: PlannedRebalance[]
  /** Channels outside their zone before the round, and after it if every payment succeeds. */
  imbalancedBefore: number
  imbalancedAfter: number
  /** Channels looked at this round (for `lastChecked`). */
  checked: string[]
}

const PENALTY = 2_000
const HOP_COST = 20
/**
 * Nodes the forward tree from an arc's head may settle. Cheap (correcting) arcs are explored
 * first, so a cycle that fixes several channels is found well within it.
 */
const MAX_VISITS = 48
/** Nodes the backward search from a cycle's tail may settle, looking for the forward tree. */
const BACKWARD_VISITS = 24
/**
 * Nodes all the searches of one round may settle together. Channels are taken largest drift
 * first, so a round that runs out leaves the smallest drifts to the next one; below a few
 * thousand members a round never comes near it.
 */
const ROUND_VISITS = 250_000
/** Extra cost of an arc that cannot carry half the drift: the payment would be small. */
const NARROW = 1_000

/** Plans one rebalancing round. Deterministic for the same input. */
export function planRebalancing (input: RebalancePlanInput): RebalancePlan {
  return new Round(input).plan()
}

/** Whether a side's share lies outside balance point ± dead zone. */
export function outOfZone (local: number, capacity: number, s: Pick<RebalanceSettings, 'balancePoint' | 'deadzone'>): boolean {
  const share = capacity === 0 ? s.balancePoint : local / capacity
  return Math.abs(share - s.balancePoint) > s.deadzone + 1e-9
}

/** A side's limits as the round goes: what it may still send and whether it may send at all. */
interface Budget {
  amount: number
  count: number
  last: number
  fee: number
}

class Round {
  readonly #in: RebalancePlanInput
  readonly #g: StormGraph
  readonly #rules: RebalanceRules
  readonly #res: SettingsResolver
  readonly #n: number
  readonly #m: number
  /** Arc 2c sends a→b on channel c, arc 2c+1 sends b→a. */
  readonly #residual: Float64Array
  readonly #correct: Float64Array
  readonly #blocked: Uint8Array
  /** What each arc may still send now: 0 when blocked, else `#sideRoomNow`. Kept by `#update`. */
  readonly #room: Float64Array
  /** Each arc's receiving node, and its sender's policy. */
  readonly #head: Int32Array
  readonly #base: Float64Array
  readonly #ppm: Float64Array
  readonly #bal: Float64Array
  readonly #sideSettings: RebalanceSettings[] = []
  readonly #sideBudget: Budget[] = []
  readonly #payerBudget: Budget[] = []
  readonly #payerSettings: RebalanceSettings[] = []
  /** Adjacency: arcs leaving each node (CSR). */
  readonly #start: Int32Array
  readonly #arcs: Int32Array
  // Dijkstra buffers
  readonly #dist: Float64Array
  readonly #hops: Int32Array
  readonly #via: Int32Array
  readonly #seen: Int32Array
  readonly #done: Int32Array
  #epoch = 0
  // the backward search's buffers
  readonly #distB: Float64Array
  readonly #hopsB: Int32Array
  readonly #viaB: Int32Array
  readonly #seenB: Int32Array
  readonly #doneB: Int32Array
  #epochB = 0
  /** Nodes seen on a joined path (by `#epoch`). */
  readonly #mark: Int32Array
  readonly #heapB = new MinHeap(256)
  /** Nodes settled by this round's searches so far (`ROUND_VISITS`). */
  #visits = 0
  /** The last search tree grown without a target: its root, the commits it saw, its epoch. */
  #treeFrom = -1
  #treeVersion = -1
  #treeEpoch = -1
  /** Payments committed so far in the round. */
  #version = 0
  /** With a flow: what each side is expected to earn, and the fees (msat) the round may still pay. */
  #earnings: Earnings | null = null
  #feeRoom = Infinity
  /** Fee bounds of the arcs' policies, for pruning paths whose fee is over `maxFeePpm`. */
  #minBase = 0
  #maxBase = 0
  #minPpm = 0
  #maxPpm = 0
  readonly #feeF: Float64Array
  readonly #feeB: Float64Array
  readonly #heap = new MinHeap(256)

  constructor (input: RebalancePlanInput) {
    this.#in = input
    this.#g = input.graph
    this.#rules = input.rules
    this.#res = new SettingsResolver(input.rules)
    const n = this.#n = input.graph.nodes.length
    const m = this.#m = input.graph.channels.length
    this.#residual = new Float64Array(2 * m)
    this.#correct = new Float64Array(2 * m)
    this.#blocked = new Uint8Array(2 * m)
    this.#room = new Float64Array(2 * m)
    this.#head = new Int32Array(2 * m)
    this.#base = new Float64Array(2 * m)
    this.#ppm = new Float64Array(2 * m)
    input.graph.channels.forEach((ch, c) => {
      this.#head[2 * c] = ch.b
      this.#head[2 * c + 1] = ch.a
      this.#base[2 * c] = ch.feeA.baseMsat
      this.#ppm[2 * c] = ch.feeA.ppm
      this.#base[2 * c + 1] = ch.feeB.baseMsat
      this.#ppm[2 * c + 1] = ch.feeB.ppm
    })
    this.#bal = new Float64Array(2 * m)
    this.#feeF = new Float64Array(n)
    this.#feeB = new Float64Array(n)
    if (m > 0) {
      this.#minBase = this.#maxBase = this.#base[0]!
      this.#minPpm = this.#maxPpm = this.#ppm[0]!
      for (let arc = 1; arc < 2 * m; arc++) {
        this.#minBase = Math.min(this.#minBase, this.#base[arc]!)
        this.#maxBase = Math.max(this.#maxBase, this.#base[arc]!)
        this.#minPpm = Math.min(this.#minPpm, this.#ppm[arc]!)
        this.#maxPpm = Math.max(this.#maxPpm, this.#ppm[arc]!)
      }
    }
    this.#dist = new Float64Array(n)
    this.#hops = new Int32Array(n)
    this.#via = new Int32Array(n)
    this.#seen = new Int32Array(n)
    this.#done = new Int32Array(n)
    this.#mark = new Int32Array(n)
    this.#distB = new Float64Array(n)
    this.#hopsB = new Int32Array(n)
    this.#viaB = new Int32Array(n)
    this.#seenB = new Int32Array(n)
    this.#doneB = new Int32Array(n)
    const degree = new Int32Array(n + 1)
    for (const ch of input.graph.channels) { degree[ch.a]!++; degree[ch.b]!++ }
    this.#start = new Int32Array(n + 1)
    for (let i = 0; i < n; i++) this.#start[i + 1] = this.#start[i]! + degree[i]!
    this.#arcs = new Int32Array(2 * m)
    const fill = this.#start.slice(0, n)
    input.graph.channels.forEach((ch, c) => {
      this.#arcs[fill[ch.a]!++] = 2 * c
      this.#arcs[fill[ch.b]!++] = 2 * c + 1
    })
  }

  plan (): RebalancePlan {
    const g = this.#g
    const { now } = this.#in
    const nodes = g.nodes
    for (let i = 0; i < this.#n; i++) {
      const s = this.#res.side(nodes[i]!.ids)
      this.#payerSettings.push(s)
      this.#payerBudget.push({ amount: s.maxAmountPerPeriod, count: s.maxTransactionsPerPeriod, last: -Infinity, fee: this.#rules.maxFeePerPeriod })
    }
    const channels = g.channels
    for (let c = 0; c < this.#m; c++) {
      const ch = channels[c]!
      this.#side(2 * c, this.#res.side(nodes[ch.a]!.ids, ch.id))
      this.#side(2 * c + 1, this.#res.side(nodes[ch.b]!.ids, ch.id))
      this.#bal[2 * c] = ch.balA
      this.#bal[2 * c + 1] = ch.balB
    }
    this.#countHistory()
    if (this.#in.flow !== undefined) this.#economics(this.#in.flow)
    const checked: string[] = []
    g.channels.forEach((ch, c) => {
      if (!ch.active) this.#blocked[2 * c] = this.#blocked[2 * c + 1] = 1
      if (!this.#due(ch, c)) this.#blocked[2 * c] = this.#blocked[2 * c + 1] = 1
      else checked.push(ch.id)
      this.#update(c)
    })
    const imbalancedBefore = this.#imbalanced()
    const min = this.#rules.minAmount
    // what fixing each arc is worth: its drift, or with a flow what the restored side would earn
    // (an arc whose restored side earns nothing is fixed only on the cycle of one that does)
    const worth = new Float64Array(2 * this.#m)
    const order: number[] = []
    for (let arc = 0; arc < 2 * this.#m; arc++) {
      if (this.#correct[arc]! < min || this.#blocked[arc] === 1) continue
      worth[arc] = this.#earnings === null ? this.#correct[arc]! : this.#earnings.gain(arc ^ 1, this.#correct[arc]!)
      if (worth[arc]! > 0 || this.#earnings === null || this.#rules.minGainRatio === 0) order.push(arc)
    }
    order.sort((x, y) => worth[y]! - worth[x]! || this.#correct[y]! - this.#correct[x]! || x - y)
    // grouped by head, heads by their largest drift: one search from a head serves every drifted
    // arc into it until a payment changes the rooms
    const top = new Int32Array(this.#n).fill(-1)
    order.forEach((arc, k) => { if (top[this.#head[arc]!] === -1) top[this.#head[arc]!] = k })
    order.sort((x, y) => top[this.#head[x]!]! - top[this.#head[y]!]! || worth[y]! - worth[x]! || this.#correct[y]! - this.#correct[x]! || x - y)
    const payments: PlannedRebalance[] = []
    for (const arc of order) {
      if (this.#visits > ROUND_VISITS || this.#feeRoom < 1000) break
      if (this.#correct[arc]! < min || this.#blocked[arc] === 1) continue
      const p = this.#cycleThrough(arc, now)
      if (p !== null) payments.push(p)
    }
    return { payments, imbalancedBefore, imbalancedAfter: this.#imbalanced(), checked }
  }

  #side (arc: number, s: RebalanceSettings): void {
    this.#sideSettings[arc] = s
    this.#sideBudget[arc] = { amount: s.maxAmountPerPeriod, count: s.maxTransactionsPerPeriod, last: -Infinity, fee: 0 }
  }

  /**
   * Sets what each arc's side is expected to earn and the round's fee room: `maxFeeShare` of the
   * fees earned in the flow's window less the rebalancing fees paid in it (which members earned
   * too), less those fees again.
   */
  #economics (flow: ObservedFlow): void {
    const g = this.#g
    const horizon = this.#res.base.maxAmountPeriod * 1000
    const e = this.#earnings = new Earnings(flow, 2 * this.#m, arc => {
      const ch = g.channels[arc >> 1]!
      return sideKey(g.nodes[arc % 2 === 0 ? ch.a : ch.b]!.key, ch.id)
    }, horizon)
    let paid = 0
    for (const h of this.#in.history) if (h.outcome !== 'failed' && h.at > this.#in.now - flow.windowMs) paid += h.fee * 1000
    if (this.#rules.maxFeeShare > 0) this.#feeRoom = this.#rules.maxFeeShare * Math.max(0, e.earnedMsat - paid) - paid
  }

  /** Counts the recent attempts against the payers' and the sides' budgets. */
  #countHistory (): void {
    const { now } = this.#in
    const byId = new Map<string, number>()
    if (this.#in.history.length > 0) this.#g.channels.forEach((ch, c) => byId.set(ch.id, c))
    const sideArc = (node: string, channel: string): number | undefined => {
      const c = byId.get(channel)
      if (c === undefined) return undefined
      const ch = this.#g.channels[c]!
      return this.#g.nodes[ch.a]!.key === node ? 2 * c : this.#g.nodes[ch.b]!.key === node ? 2 * c + 1 : undefined
    }
    for (const h of this.#in.history) {
      const p = this.#g.indexOfKey.get(h.payer)
      if (p !== undefined) spend(this.#payerBudget[p]!, this.#payerSettings[p]!, h, now, true)
      for (const side of h.sides) {
        const arc = sideArc(side.node, side.channel)
        if (arc !== undefined) spend(this.#sideBudget[arc]!, this.#sideSettings[arc]!, h, now, false)
        // a payment under way: the reported balances do not show it yet
        if (arc !== undefined && h.outcome === 'in_flight') this.#blocked[arc & ~1] = this.#blocked[arc | 1] = 1
      }
    }
    for (const [key, until] of this.#in.paused ?? []) {
      const p = this.#g.indexOfKey.get(key)
      if (p !== undefined && until > now) this.#payerBudget[p]!.count = 0
    }
  }

  #due (ch: GraphChannel, c: number): boolean {
    if (this.#res.uniform) return true
    const last = this.#in.lastChecked?.get(ch.id)
    if (last === undefined) return true
    const every = Math.max(this.#sideSettings[2 * c]!.refreshRate, this.#sideSettings[2 * c + 1]!.refreshRate) * 1000
    // half a base period of slack: rounds run on a timer, not to the millisecond
    return this.#in.now - last >= every - this.#res.base.refreshRate * 500
  }

  /** Recomputes both arcs of channel `c` from its balances. */
  #update (c: number): void {
    const ch = this.#g.channels[c]!
    for (const arc of [2 * c, 2 * c + 1]) {
      const x = this.#bal[arc]!
      const y = this.#bal[arc ^ 1]!
      const sx = this.#sideSettings[arc]!
      const sy = this.#sideSettings[arc ^ 1]!
      const cap = ch.capacity
      const reserveX = arc % 2 === 0 ? ch.reserveA : ch.reserveB
      // down to half the dead zone below X's balance point, never into X's reserve, and never
      // past Y's balance point + half its dead zone
      const floorX = Math.max(reserveX, (sx.balancePoint - sx.deadzone / 2) * cap)
      const ceilY = (sy.balancePoint + sy.deadzone / 2) * cap
      let residual = Math.min(x - floorX, ceilY - y)
      let correct = 0
      if (x > (sx.balancePoint + sx.deadzone) * cap + 1e-6) correct = x - sx.balancePoint * cap
      if (y < (sy.balancePoint - sy.deadzone) * cap - 1e-6) correct = Math.max(correct, sy.balancePoint * cap - y)
      // a side far out of zone may be brought all the way back to its balance point
      if (correct > 0) residual = Math.max(residual, Math.min(correct, x - reserveX))
      residual = Math.max(0, Math.floor(residual))
      this.#residual[arc] = residual
      this.#correct[arc] = Math.min(Math.floor(correct), residual)
      this.#room[arc] = this.#blocked[arc] === 1 ? 0 : this.#sideRoomNow(arc)
    }
  }

  #imbalanced (): number {
    let k = 0
    this.#g.channels.forEach((ch, c) => {
      if (outOfZone(this.#bal[2 * c]!, ch.capacity, this.#sideSettings[2 * c]!) || outOfZone(this.#bal[2 * c + 1]!, ch.capacity, this.#sideSettings[2 * c + 1]!)) k++
    })
    return k
  }

  /** What side `arc` may still send now, by its limits and balance (0 when blocked). */
  #sideRoom (arc: number): number {
    return this.#room[arc]!
  }

  #sideRoomNow (arc: number): number {
    const b = this.#sideBudget[arc]!
    const s = this.#sideSettings[arc]!
    if (b.count <= 0 || this.#in.now - b.last < s.minTimeBetweenPayments * 1000) return 0
    return Math.min(b.amount, s.maxTransactionSize, this.#residual[arc]!)
  }

  /** Closes correcting arc `first` (u→v) into a cycle and plans its payment; null when none fits. */
  #cycleThrough (first: number, now: number): PlannedRebalance | null {
    const g = this.#g
    const min = this.#rules.minAmount
    const want = Math.min(this.#correct[first]!, this.#sideRoom(first))
    if (want < min) return null
    const wide = Math.max(min, Math.floor(want / 2))
    const ch = g.channels[first >> 1]!
    const u = first % 2 === 0 ? ch.a : ch.b
    const v = first % 2 === 0 ? ch.b : ch.a
    // no way out of v or back into u: no cycle, and no search needed
    if (!this.#canLeave(v, first ^ 1, min) || !this.#canEnter(u, first, min)) return null
    // any return path worth paying for, preferring arcs that carry at least half the drift: from
    // the head's search tree while no payment has changed the rooms since it was grown
    if (this.#treeFrom !== v || this.#treeVersion !== this.#version) {
      this.#search(v, -1, -1, min, wide, want)
      this.#treeFrom = v
      this.#treeVersion = this.#version
      this.#treeEpoch = this.#epoch
    }
    // met by a search backwards from u: the cheapest forward path and backward path that meet
    const path = this.#meet(v, u, first ^ 1, min, wide, want)
    if (path === null) return null
    const cycle = [first, ...path]
    let amount = want
    for (const arc of cycle) amount = Math.min(amount, this.#sideRoom(arc))
    amount = Math.floor(amount)
    if (amount < min) return null
    // what the sides it brings back into their zone are expected to earn
    let gain = 0
    if (this.#earnings !== null) for (const arc of cycle) if (this.#correct[arc]! > 0) gain += this.#earnings.gain(arc ^ 1, Math.min(amount, this.#correct[arc]!))
    // the payer: the first node along the cycle whose own limits allow the payment
    for (let k = 0; k < cycle.length; k++) {
      const rotated = [...cycle.slice(k), ...cycle.slice(0, k)]
      const payer = this.#sender(rotated[0]!)
      const feeMsat = this.#feeMsat(rotated, amount)
      if (feeMsat > this.#rules.maxFeePpm * amount / 1000) continue
      const maxFee = Math.ceil(feeMsat / 1000) + 1
      // worth its fee, and within the round's share of the fees earned
      if (this.#earnings !== null && (gain < this.#rules.minGainRatio * feeMsat || maxFee * 1000 > this.#feeRoom)) continue
      if (!this.#payerMay(payer, amount, maxFee)) continue
      return this.#commit(rotated, payer, amount, feeMsat, maxFee, now, Math.floor(gain))
    }
    return null
  }

  /**
   * The most a return path's fee (ppm of `amount`, each arc's base and rate, no compounding) may
   * be: whichever node on the cycle pays, its fee is the sum over the other arcs, so a return path
   * whose sum exceeds `maxFeePpm` by more than the spread of one arc's fee cannot be paid.
   */
  #pathFeeLimit (amount: number): number {
    return this.#rules.maxFeePpm + (this.#maxBase - this.#minBase) * 1000 / amount + this.#maxPpm - this.#minPpm + 1
  }

  /** Whether `x` has an arc other than `except` that can send `need`. */
  #canLeave (x: number, except: number, need: number): boolean {
    for (let i = this.#start[x]!; i < this.#start[x + 1]!; i++) {
      const arc = this.#arcs[i]!
      if (arc !== except && this.#blocked[arc] === 0 && this.#sideRoom(arc) >= need) return true
    }
    return false
  }

  /** Whether some arc other than the reverse of `except` can bring `need` into `x`. */
  #canEnter (x: number, except: number, need: number): boolean {
    for (let i = this.#start[x]!; i < this.#start[x + 1]!; i++) {
      const arc = this.#arcs[i]! ^ 1
      if (arc !== (except ^ 1) && this.#blocked[arc] === 0 && this.#sideRoom(arc) >= need) return true
    }
    return false
  }

  #sender (arc: number): number {
    const ch = this.#g.channels[arc >> 1]!
    return arc % 2 === 0 ? ch.a : ch.b
  }

  #payerMay (p: number, amount: number, maxFee: number): boolean {
    const b = this.#payerBudget[p]!
    const s = this.#payerSettings[p]!
    return b.count > 0 && this.#in.now - b.last >= s.minTimeBetweenPayments * 1000 &&
      amount <= b.amount && amount <= s.maxTransactionSize && maxFee <= b.fee
  }

  /** The fee the payer (sender of `cycle[0]`) pays: each later arc's sender charges its policy. */
  #feeMsat (cycle: number[], amount: number): number {
    let forwarded = amount * 1000
    let fee = 0
    for (let k = cycle.length - 1; k >= 1; k--) {
      const arc = cycle[k]!
      const ch = this.#g.channels[arc >> 1]!
      const p = arc % 2 === 0 ? ch.feeA : ch.feeB
      const f = p.baseMsat + Math.floor(forwarded * p.ppm / 1_000_000)
      fee += f
      forwarded += f
    }
    return fee
  }

  #commit (cycle: number[], payer: number, amount: number, feeMsat: number, maxFee: number, now: number, gainMsat: number): PlannedRebalance {
    const g = this.#g
    this.#version++
    let fixes = 0
    for (const arc of cycle) {
      const c = arc >> 1
      const ch = g.channels[c]!
      if (outOfZone(this.#bal[2 * c]!, ch.capacity, this.#sideSettings[2 * c]!) || outOfZone(this.#bal[2 * c + 1]!, ch.capacity, this.#sideSettings[2 * c + 1]!)) fixes++
      this.#bal[arc] = this.#bal[arc]! - amount
      this.#bal[arc ^ 1] = this.#bal[arc ^ 1]! + amount
      const b = this.#sideBudget[arc]!
      b.amount -= amount
      b.count--
      b.last = now
      this.#update(c)
    }
    const pb = this.#payerBudget[payer]!
    pb.amount -= amount
    pb.count--
    pb.last = now
    pb.fee -= maxFee
    this.#feeRoom -= maxFee * 1000
    const hops = cycle.slice(1).map(arc => g.nodes[this.#sender(arc)]!.key)
    return {
      payer: g.nodes[payer]!.key,
      payerMember: g.nodes[payer]!.member,
      amount,
      outgoingChannel: g.channels[cycle[0]! >> 1]!.id,
      hops,
      channels: cycle.map(arc => g.channels[arc >> 1]!.id),
      feeMsat,
      maxFee,
      fixes,
      gainMsat
    }
  }

  /**
   * Grows the cheapest-path tree from `from` over arcs that can each carry `need` (those that
   * cannot carry `wide` cost more), skipping `forbidden` and blocked arcs, paths of at most
   * `maxCycleLength - 1` arcs, at most `MAX_VISITS` nodes; stops at `to` (-1: none). Whether
   * `to` was reached; `#pathTo` reads the path.
   */
  #search (from: number, to: number, forbidden: number, need: number, wide: number, amount: number): boolean {
    const ep = ++this.#epoch
    const dist = this.#dist
    const hops = this.#hops
    const via = this.#via
    const seen = this.#seen
    const done = this.#done
    const maxArcs = this.#rules.maxCycleLength - 1
    const start = this.#start
    const arcs = this.#arcs
    const room = this.#room
    const head = this.#head
    const base = this.#base
    const ppm = this.#ppm
    const correct = this.#correct
    const fee = this.#feeF
    const limit = this.#pathFeeLimit(amount)
    this.#heap.clear()
    dist[from] = 0
    fee[from] = 0
    hops[from] = 0
    via[from] = -1
    seen[from] = ep
    this.#heap.push(0, from)
    let visits = 0
    while (this.#heap.size > 0) {
      const x = this.#heap.pop()
      if (done[x] === ep) continue
      done[x] = ep
      if (x === to) break
      if (++visits > MAX_VISITS) break
      this.#visits++
      if (hops[x]! >= maxArcs) continue
      const d = dist[x]!
      const fx = fee[x]!
      const hx = hops[x]! + 1
      for (let i = start[x]!; i < start[x + 1]!; i++) {
        const arc = arcs[i]!
        const r = arc === forbidden ? 0 : room[arc]!
        if (r < need) continue
        const y = head[arc]!
        if (done[y] === ep) continue
        const c = base[arc]! * 1000 / amount + ppm[arc]!
        const f = fx + c
        if (f > limit) continue
        const cost = d + c + HOP_COST + (correct[arc]! >= need ? 0 : PENALTY) + (r >= wide ? 0 : NARROW)
        if (seen[y] !== ep || cost < dist[y]!) {
          seen[y] = ep
          dist[y] = cost
          fee[y] = f
          hops[y] = hx
          via[y] = arc
          this.#heap.push(cost, y)
        }
      }
    }
    return to >= 0 && done[to] === ep
  }

  /**
   * A return path from `v` to `u`: grows the cheapest-path tree into `u` backwards (arcs that can
   * carry `need`, not `forbidden`, at most `BACKWARD_VISITS` nodes) until it reaches a node of the
   * forward tree from `v` where both halves together are a simple path of at most
   * `maxCycleLength - 1` arcs; the cheapest such meeting, or null.
   */
  #meet (v: number, u: number, forbidden: number, need: number, wide: number, amount: number): number[] | null {
    const ep = ++this.#epochB
    const fe = this.#treeEpoch
    const maxArcs = this.#rules.maxCycleLength - 1
    const start = this.#start
    const arcs = this.#arcs
    const room = this.#room
    const head = this.#head
    const dist = this.#distB
    const hops = this.#hopsB
    const via = this.#viaB
    const seen = this.#seenB
    const done = this.#doneB
    const heap = this.#heapB
    const base = this.#base
    const ppm = this.#ppm
    const correct = this.#correct
    const fee = this.#feeB
    const feeF = this.#feeF
    const distF = this.#dist
    const hopsF = this.#hops
    const seenF = this.#seen
    const limit = this.#pathFeeLimit(amount)
    heap.clear()
    dist[u] = 0
    fee[u] = 0
    hops[u] = 0
    via[u] = -1
    seen[u] = ep
    heap.push(0, u)
    let best = Infinity
    let bestPath: number[] | null = null
    let visits = 0
    while (heap.size > 0) {
      if (heap.peekKey() >= best) break
      const y = heap.pop()
      if (done[y] === ep) continue
      done[y] = ep
      if (seenF[y] === fe && hopsF[y]! + hops[y]! <= maxArcs && distF[y]! + dist[y]! < best && feeF[y]! + fee[y]! <= limit) {
        const path = this.#joined(v, y, u, forbidden)
        if (path !== null) {
          best = distF[y]! + dist[y]!
          bestPath = path
        }
      }
      if (++visits > BACKWARD_VISITS) break
      this.#visits++
      if (y === v || hops[y]! >= maxArcs) continue
      const d = dist[y]!
      const fy = fee[y]!
      const hy = hops[y]! + 1
      for (let i = start[y]!; i < start[y + 1]!; i++) {
        // the arc from the neighbour w into y
        const arc = arcs[i]! ^ 1
        const r = arc === forbidden ? 0 : room[arc]!
        if (r < need) continue
        const w = head[arcs[i]!]!
        if (done[w] === ep) continue
        const c = base[arc]! * 1000 / amount + ppm[arc]!
        const f = fy + c
        if (f > limit) continue
        const cost = d + c + HOP_COST + (correct[arc]! >= need ? 0 : PENALTY) + (r >= wide ? 0 : NARROW)
        if (seen[w] !== ep || cost < dist[w]!) {
          seen[w] = ep
          dist[w] = cost
          fee[w] = f
          hops[w] = hy
          via[w] = arc
          heap.push(cost, w)
        }
      }
    }
    return bestPath
  }

  /** The forward tree's path v→y then the backward tree's y→u, if simple and without `forbidden`. */
  #joined (v: number, y: number, u: number, forbidden: number): number[] | null {
    const path = y === v ? [] : this.#pathTo(v, y)
    for (let x = y; x !== u;) {
      const arc = this.#viaB[x]!
      path.push(arc)
      x = this.#head[arc]!
    }
    // the path's senders: v first, no node twice, u only at the end
    const mark = ++this.#epoch
    let x = v
    for (const arc of path) {
      if (arc === forbidden || this.#mark[x] === mark || x === u) return null
      this.#mark[x] = mark
      x = this.#head[arc]!
    }
    return path.length === 0 ? null : path
  }

  /** The path of the last search tree from `from` to `to` (reached). */
  #pathTo (from: number, to: number): number[] {
    const path: number[] = []
    for (let x = to; x !== from;) {
      const arc = this.#via[x]!
      path.push(arc)
      x = this.#sender(arc)
    }
    return path.reverse()
  }
}

/** Counts attempt `h` against budget `b` if it falls in the periods of `s`. */
function spend (b: Budget, s: RebalanceSettings, h: RebalanceAttempt, now: number, payer: boolean): void {
  if (h.at > now - s.maxTransactionsPeriod * 1000) b.count--
  b.last = Math.max(b.last, h.at)
  if (h.outcome !== 'failed' && h.at > now - s.maxAmountPeriod * 1000) {
    b.amount -= h.amount
    if (payer) b.fee -= h.fee
  }
}
