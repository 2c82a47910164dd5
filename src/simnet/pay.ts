/**
 * Payments, all-or-nothing: a route is priced, checked hop by hop, and only then settled. The
 * sender retries around failures like LND's mission control, excluding each channel (in the
 * failing direction) that could not carry its amount.
 */
import type { CircularPaymentRequest, LightningErrorCode, Sats } from '../agent/lightning_port.ts'
import type { SimCore } from './core.ts'
import { PathFinder } from './pathfinding.ts'
import { applyRoute, copyRoute, failingHop, moveBalances, priceRoute, recordForwards, Route, type SettledRoute } from './route.ts'

/** The outcome of a simulated payment. */
export type SimPayResult =
  | { ok: true, amount: Sats, fee: Sats, feeMsat: number, hops: string[], attempts: number }
  | { ok: false, code: LightningErrorCode, attempts: number }

/** Limits of one payment. */
export interface SimPayOptions {
  /** The most it may cost in fees. Default: no limit. */
  maxFee?: Sats
  /** Routes to try. Default the network's `maxAttempts`. */
  maxAttempts?: number
  /** Checked at the destination before settling; false fails the payment (unknown invoice). */
  accept?: () => boolean
}

/** Reusable payment machinery for one network. */
export class Payments {
  readonly #core: SimCore
  readonly #finder = new PathFinder()
  readonly #route = new Route()
  readonly #back = new Route()
  /** While a multi-part payment is under way: its parts that reached the destination. */
  #held: SettledRoute[] | null = null
  #excluded = new Int32Array(0)
  #epoch = 0

  constructor (core: SimCore) {
    this.#core = core
  }

  /** Pays `amount` from `src` to `dst` along the cheapest routes the sender can see. */
  pay (src: number, dst: number, amount: Sats, options: SimPayOptions = {}): SimPayResult {
    const core = this.#core
    const bad = checkAmounts(amount, options.maxFee)
    if (bad !== undefined || src === dst) return fail('LN_INVALID_REQUEST', 0)
    if (!core.nodes[src]!.online) return fail('LN_UNAVAILABLE', 0)
    const epoch = this.#nextEpoch()
    const amountMsat = amount * 1000
    const maxFeeMsat = (options.maxFee ?? Infinity) * 1000
    const tries = options.maxAttempts ?? core.opts.maxAttempts
    const route = this.#route
    for (let attempt = 1; attempt <= tries; attempt++) {
      const total = this.#finder.find(core, src, dst, amountMsat, route, this.#excluded, epoch)
      if (total < 0) return fail('LN_NO_ROUTE', attempt)
      if (total - amountMsat > maxFeeMsat) return fail('LN_FEE_TOO_HIGH', attempt)
      const done = this.#settle(amountMsat, options.accept, epoch, attempt)
      if (done !== undefined) return done
    }
    return fail('LN_NO_ROUTE', tries)
  }

  /**
   * Pays `src` to itself around `request.hops`, leaving by `request.outgoingChannel`. Between two
   * consecutive hops it takes the largest channel and, when that fails, the next (the sender
   * cannot see remote balances). Refuses with `LN_FEE_TOO_HIGH` before anything moves.
   */
  payCircular (src: number, request: CircularPaymentRequest, maxAttempts?: number): SimPayResult {
    const core = this.#core
    const { amount, hops } = request
    if (checkAmounts(amount, request.maxFee) !== undefined || request.maxFee === undefined || !Array.isArray(hops) || hops.length === 0) {
      return fail('LN_INVALID_REQUEST', 0)
    }
    if (!core.nodes[src]!.online) return fail('LN_UNAVAILABLE', 0)
    const firstIdx = core.byScid.get(request.outgoingChannel)
    const first = firstIdx === undefined ? undefined : core.channels[firstIdx]
    if (first === undefined || first.status !== 'open' || (first.a !== src && first.b !== src)) return fail('LN_CHANNEL_NOT_FOUND', 0)
    const path: number[] = []
    for (const key of hops) {
      const idx = core.byKey.get(key)
      if (idx === undefined) return fail('LN_NO_ROUTE', 0)
      if (idx === src) return fail('LN_INVALID_REQUEST', 0)
      path.push(idx)
    }
    if (path[0] !== (first.a === src ? first.b : first.a)) return fail('LN_INVALID_REQUEST', 0)
    path.push(src)
    const epoch = this.#nextEpoch()
    const amountMsat = amount * 1000
    const tries = maxAttempts ?? core.opts.maxAttempts
    const route = this.#route
    for (let attempt = 1; attempt <= tries; attempt++) {
      route.reset(src)
      route.push(core, first.idx)
      if (!core.isActive(first)) return fail('LN_NO_ROUTE', attempt)
      for (let i = 1; i < path.length; i++) {
        const c = this.#pick(path[i - 1]!, path[i]!, src, amountMsat, epoch)
        if (c < 0) return fail('LN_NO_ROUTE', attempt)
        route.push(core, c)
      }
      if (priceRoute(core, route, amountMsat) > request.maxFee * 1000) return fail('LN_FEE_TOO_HIGH', attempt)
      const done = this.#settle(amountMsat, undefined, epoch, attempt)
      if (done !== undefined) return done
    }
    return fail('LN_NO_ROUTE', tries)
  }

  /**
   * Pays `src` to itself out by its channel `outgoingChannel` and back by the cheapest route the
   * peer's side can find to `src` that avoids that channel — what single-node rebalancers
   * (Tightrope-style with one owner's funds, LNDg, rebalance-lnd) do: a circular payment whose
   * return leg the router picks. Retries around failures like `pay`.
   */
  payOut (src: number, outgoingChannel: string, amount: Sats, options: SimPayOptions = {}): SimPayResult {
    const core = this.#core
    if (checkAmounts(amount, options.maxFee) !== undefined) return fail('LN_INVALID_REQUEST', 0)
    if (!core.nodes[src]!.online) return fail('LN_UNAVAILABLE', 0)
    const firstIdx = core.byScid.get(outgoingChannel)
    const first = firstIdx === undefined ? undefined : core.channels[firstIdx]
    if (first === undefined || first.status !== 'open' || (first.a !== src && first.b !== src)) return fail('LN_CHANNEL_NOT_FOUND', 0)
    if (!core.isActive(first)) return fail('LN_NO_ROUTE', 0)
    const peer = first.a === src ? first.b : first.a
    const epoch = this.#nextEpoch()
    // the return leg must not come back over the channel it left by
    this.#excluded[first.idx << 1] = epoch
    this.#excluded[(first.idx << 1) | 1] = epoch
    const amountMsat = amount * 1000
    const maxFeeMsat = (options.maxFee ?? Infinity) * 1000
    const tries = options.maxAttempts ?? core.opts.maxAttempts
    const back = this.#back
    const route = this.#route
    for (let attempt = 1; attempt <= tries; attempt++) {
      if (this.#finder.find(core, peer, src, amountMsat, back, this.#excluded, epoch) < 0) return fail('LN_NO_ROUTE', attempt)
      route.reset(src)
      route.push(core, first.idx)
      for (let k = 0; k < back.len; k++) route.push(core, back.chans[k]!)
      if (priceRoute(core, route, amountMsat) > maxFeeMsat) return fail('LN_FEE_TOO_HIGH', attempt)
      const done = this.#settle(amountMsat, undefined, epoch, attempt)
      if (done !== undefined) return done
    }
    return fail('LN_NO_ROUTE', tries)
  }

  /**
   * A multi-part payment like LND's: tries the whole amount first, and on failure splits what is
   * left in halves (down to `minShard` sats, at most `maxParts` parts), each part routed and
   * retried on its own. Like HTLCs held at the receiver, the parts settle only when all have
   * arrived; when one cannot, every part is failed back and nothing moves. Each part's fee
   * budget is its share of `maxFee`.
   */
  payMulti (src: number, dst: number, amount: Sats, options: SimPayOptions & { minShard?: Sats, maxParts?: number } = {}): SimPayResult & { parts: number } {
    const minShard = options.minShard ?? 10_000
    const maxParts = options.maxParts ?? 16
    let left = amount
    let fee = 0
    let feeMsat = 0
    let attempts = 0
    let parts = 0
    const hops: string[] = []
    let shard = amount
    this.#held = []
    try {
    while (left > 0) {
      const part = Math.min(shard, left)
      const budget = options.maxFee === undefined ? undefined : Math.max(0, Math.floor(options.maxFee * part / amount))
      const r = this.pay(src, dst, part, budget === undefined ? { maxAttempts: options.maxAttempts ?? this.#core.opts.maxAttempts } : { maxFee: budget, maxAttempts: options.maxAttempts ?? this.#core.opts.maxAttempts })
      attempts += r.attempts
      if (r.ok) {
        left -= part
        fee += r.fee
        feeMsat += r.feeMsat
        parts++
        if (hops.length === 0) hops.push(...r.hops)
        continue
      }
      if (r.code !== 'LN_NO_ROUTE' || part / 2 < minShard || parts + 2 > maxParts) {
        for (const held of this.#held.reverse()) moveBalances(this.#core, held, -1)
        return { ok: false, code: r.code, attempts, parts }
      }
      shard = Math.ceil(part / 2)
    }
    for (const held of this.#held) recordForwards(this.#core, held)
    return { ok: true, amount, fee, feeMsat, hops, attempts, parts }
    } finally {
      this.#held = null
    }
  }

  /** Checks the priced route; settles it, or excludes the failing channel and returns undefined. */
  #settle (amountMsat: number, accept: (() => boolean) | undefined, epoch: number, attempt: number): SimPayResult | undefined {
    const core = this.#core
    const route = this.#route
    const feeMsat = priceRoute(core, route, amountMsat)
    const k = failingHop(core, route)
    if (k >= 0) {
      const ch = core.channels[route.chans[k]!]!
      this.#excluded[(ch.idx << 1) | (route.senders[k] === ch.a ? 0 : 1)] = epoch
      return undefined
    }
    if (accept !== undefined && !accept()) return fail('LN_PAYMENT_FAILED', attempt)
    if (this.#held === null) applyRoute(core, route)
    else {
      // a part of a multi-part payment: held until every part has arrived
      moveBalances(core, route, 1)
      this.#held.push(copyRoute(route))
    }
    const hops: string[] = []
    for (let i = 1; i <= route.len; i++) hops.push(core.nodes[route.senders[i]!]!.key)
    return { ok: true, amount: amountMsat / 1000, fee: Math.floor(feeMsat / 1000), feeMsat, hops, attempts: attempt }
  }

  /** The largest usable channel from `x` to `y` not yet tried or used in this route. */
  #pick (x: number, y: number, src: number, amountMsat: number, epoch: number): number {
    const core = this.#core
    const route = this.#route
    let best = -1
    let bestCapacity = -1
    for (const c of core.nodes[x]!.chans) {
      const ch = core.channels[c]!
      if ((ch.a === x ? ch.b : ch.a) !== y || !core.isActive(ch)) continue
      if (ch.capacity * 1000 < amountMsat || ch.capacity <= bestCapacity) continue
      if (ch.isPrivate && x !== src && y !== src) continue
      if (this.#excluded[(c << 1) | (ch.a === x ? 0 : 1)] === epoch) continue
      if (route.chans.subarray(0, route.len).includes(c)) continue
      best = c
      bestCapacity = ch.capacity
    }
    return best
  }

  #nextEpoch (): number {
    const need = this.#core.channels.length * 2
    if (this.#excluded.length < need) {
      this.#excluded = new Int32Array(Math.max(need * 2, 64))
      this.#epoch = 0
    }
    return ++this.#epoch
  }
}

function checkAmounts (amount: unknown, maxFee: unknown): string | undefined {
  if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount <= 0) return 'amount'
  if (maxFee !== undefined && (typeof maxFee !== 'number' || !Number.isSafeInteger(maxFee) || maxFee < 0)) return 'maxFee'
  return undefined
}

function fail (code: LightningErrorCode, attempts: number): SimPayResult {
  return { ok: false, code, attempts }
}
