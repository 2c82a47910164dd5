/**
 * A source route and its atomic execution. Each hop's sender forwards `amounts[k]`; the node that
 * sends hop k+1 charges its own outgoing policy on what it forwards, so amounts are priced from
 * the destination back. The buffers are reused across payments to keep the hot path
 * allocation-free.
 */
import type { SimCore } from './core.ts'
import { hopFeeMsat } from './state.ts'

/** A route under construction or execution: channel per hop, sender per hop, amount per hop. */
export class Route {
  chans = new Int32Array(32)
  /** `senders[k]` sends hop k; `senders[len]` is the destination. */
  senders = new Int32Array(33)
  amounts = new Float64Array(32)
  len = 0

  /** Starts an empty route at `source`. */
  reset (source: number): void {
    this.len = 0
    this.senders[0] = source
  }

  /** Appends channel `idx` leaving the current end. */
  push (core: SimCore, idx: number): void {
    if (this.len === this.chans.length) this.#grow()
    const ch = core.channels[idx]!
    const from = this.senders[this.len]!
    this.chans[this.len] = idx
    this.senders[this.len + 1] = ch.a === from ? ch.b : ch.a
    this.len++
  }

  /** The destination's node index. */
  get end (): number {
    return this.senders[this.len]!
  }

  #grow (): void {
    const n = this.chans.length * 2
    const chans = new Int32Array(n); chans.set(this.chans); this.chans = chans
    const senders = new Int32Array(n + 1); senders.set(this.senders); this.senders = senders
    const amounts = new Float64Array(n); amounts.set(this.amounts); this.amounts = amounts
  }
}

/** Fills in each hop's amount for delivering `amountMsat`; returns the total fee in msat. */
export function priceRoute (core: SimCore, route: Route, amountMsat: number): number {
  const { chans, senders, amounts, len } = route
  amounts[len - 1] = amountMsat
  for (let k = len - 2; k >= 0; k--) {
    const ch = core.channels[chans[k + 1]!]!
    const fwd = amounts[k + 1]!
    const fee = senders[k + 1] === ch.a ? hopFeeMsat(ch.baseA, ch.ppmA, fwd) : hopFeeMsat(ch.baseB, ch.ppmB, fwd)
    amounts[k] = fwd + fee
  }
  return amounts[0]! - amountMsat
}

/**
 * The first hop that cannot carry its amount (inactive channel, or the sender's balance minus its
 * reserve is short), or -1 when every hop can.
 */
export function failingHop (core: SimCore, route: Route): number {
  for (let k = 0; k < route.len; k++) {
    const ch = core.channels[route.chans[k]!]!
    if (!core.isActive(ch)) return k
    const balance = route.senders[k] === ch.a ? ch.balA : ch.balB
    if (balance - ch.reserve * 1000 < route.amounts[k]!) return k
  }
  return -1
}

/** A settled route's hops, kept to record or undo them later (multi-part payments). */
export interface SettledRoute {
  chans: Int32Array
  senders: Int32Array
  amounts: Float64Array
  len: number
}

/** Settles a checked route: moves every hop's amount and records the intermediate forwards. */
export function applyRoute (core: SimCore, route: Route): void {
  moveBalances(core, route, 1)
  recordForwards(core, route)
}

/** Moves every hop's amount forward (`sign` 1) or back (`sign` -1, undoing a held part). */
export function moveBalances (core: SimCore, route: SettledRoute, sign: 1 | -1): void {
  for (let k = 0; k < route.len; k++) {
    const ch = core.channels[route.chans[k]!]!
    const amount = route.amounts[k]! * sign
    if (route.senders[k] === ch.a) {
      ch.balA -= amount
      ch.balB += amount
    } else {
      ch.balB -= amount
      ch.balA += amount
    }
  }
}

/** A copy of a route's hops. */
export function copyRoute (route: Route): SettledRoute {
  return { chans: route.chans.slice(0, route.len), senders: route.senders.slice(0, route.len + 1), amounts: route.amounts.slice(0, route.len), len: route.len }
}

/** Records the intermediate forwards of a settled route (and tells subscribers). */
export function recordForwards (core: SimCore, route: SettledRoute): void {
  const record = core.opts.recordForwards
  const at = core.opts.clock.now()
  for (let k = 1; k < route.len; k++) {
    const ch = core.channels[route.chans[k]!]!
    const amount = route.amounts[k]!
    const node = route.senders[k]!
    const feeMsat = route.amounts[k - 1]! - amount
    const inChannel = route.chans[k - 1]!
    if (record) core.nodes[node]!.forwards.push({ at, inChannel, outChannel: ch.idx, amountMsat: amount, feeMsat })
    if (core.wants(node)) {
      core.emit(node, {
        type: 'forward',
        forward: { at, inChannel: core.channels[inChannel]!.scid, outChannel: ch.scid, amount: Math.floor(amount / 1000), feeMsat: String(feeMsat) }
      })
    }
  }
}
