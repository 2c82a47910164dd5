/**
 * The simulated Lightning network: a chain with a mempool and blocks, nodes with real secp256k1
 * identities and on-chain wallets, channels with LND's rules, and source-routed payments. The
 * nodes implement the same `LightningNode` port as the LND adapter; the synchronous methods here
 * are the fast core for setup and benchmarks. Deterministic for a given seed.
 *
 * @example
 *   const network = SimNetwork.create({ seed: 7, confirmations: 3 })
 *   const alice = network.addNode('alice', { onchain: 1_000_000 })
 *   const bob = network.addNode('bob')
 *   await alice.openChannels([{ peer: bob.publicKey, capacity: 500_000 }])
 *   network.mine(3)
 */
import type { ChainBalance, Channel, CircularPaymentRequest, PendingChannel, Sats } from '../agent/lightning_port.ts'
import { newNodeKey } from '../protocol/node_signature.ts'
import { SimCore } from './core.ts'
import { openChannelNow } from './open_channels.ts'
import type { SimNetworkOptions } from './options.ts'
import { resolveOptions } from './options.ts'
import type { SimPayOptions, SimPayResult } from './pay.ts'
import { Payments } from './pay.ts'
import { settleCircular } from './invoices.ts'
import { StormError } from '../shared/errors.ts'
import { SimNode } from './sim_node.ts'
import { NodeState } from './state.ts'
import { channelView, openChannelViews, pendingViews } from './views.ts'

/** A simulated transaction as reported by `SimNetwork.transaction`. */
export interface SimTransaction {
  txid: string
  fee: Sats
  /** The block it confirmed in, or null while in the mempool. */
  height: number | null
  /** Its position in the block (1-based), or null while in the mempool. */
  index: number | null
}

/** A whole simulated Lightning network. */
export class SimNetwork {
  readonly #core: SimCore
  readonly #payments: Payments
  readonly #handles: SimNode[] = []
  readonly #aliases = new Set<string>()

  constructor (options: SimNetworkOptions = {}) {
    this.#core = new SimCore(resolveOptions(options))
    this.#payments = new Payments(this.#core)
  }

  /** A network for the demo, tests and benches. */
  static create (options: SimNetworkOptions = {}): SimNetwork {
    return new SimNetwork(options)
  }

  /** The chain tip's height. */
  get height (): number {
    return this.#core.height
  }

  /** Transactions waiting for a block. */
  get mempoolSize (): number {
    return this.#core.mempool.length
  }

  /**
   * Adds a node whose key is derived from the network seed and `alias` (unique per network),
   * with `onchain` confirmed sats in its wallet.
   */
  addNode (alias: string, options: { onchain?: Sats } = {}): SimNode {
    const onchain = options.onchain ?? 0
    if (this.#aliases.has(alias)) throw new Error(`simnet: alias ${alias} is taken`)
    if (!Number.isSafeInteger(onchain) || onchain < 0) throw new Error('simnet: onchain must be a non-negative integer')
    const core = this.#core
    const { secretKey, publicKey } = newNodeKey(new TextEncoder().encode(`storm-simnet:${String(core.opts.seed)}:${alias}`))
    const idx = core.nodes.length
    const node = new NodeState(idx, publicKey, alias, secretKey)
    node.confirmed = onchain
    core.addNode(node)
    this.#aliases.add(alias)
    const handle = new SimNode(core, this.#payments, idx)
    this.#handles.push(handle)
    return handle
  }

  /** The node with this public key. */
  node (key: string): SimNode | undefined {
    const idx = this.#core.byKey.get(key)
    return idx === undefined ? undefined : this.#handles[idx]
  }

  /** Every node, in the order added. */
  nodes (): SimNode[] {
    return [...this.#handles]
  }

  /** Mines `blocks` blocks (each takes the whole mempool); returns the new height. */
  mine (blocks = 1): number {
    return this.#core.mine(blocks)
  }

  /** Sends `sats` to a node's wallet from outside: unconfirmed until the next block. */
  fund (key: string, sats: Sats): string {
    if (!Number.isSafeInteger(sats) || sats <= 0) throw new Error('simnet: sats must be a positive integer')
    const node = this.#nodeOf(key)
    node.unconfirmed += sats
    const tx = this.#core.broadcast(0, () => {
      node.unconfirmed -= sats
      node.confirmed += sats
    })
    this.#core.flush()
    return tx.txid
  }

  /** A transaction by id. */
  transaction (txid: string): SimTransaction | undefined {
    const tx = this.#core.txs.get(txid)
    if (tx === undefined) return undefined
    return { txid: tx.txid, fee: tx.fee, height: tx.height > 0 ? tx.height : null, index: tx.height > 0 ? tx.index : null }
  }

  /** Changes the on-chain fee rate (sat/vB) for transactions from now on. */
  setFeeRate (satPerVbyte: number): void {
    if (!Number.isSafeInteger(satPerVbyte) || satPerVbyte < 0) throw new Error('simnet: fee rate must be a non-negative integer')
    this.#core.opts.feeRate = satPerVbyte
  }

  /** Takes a node offline (its calls reject with `LN_UNAVAILABLE`, its channels go inactive) or back. */
  setOnline (key: string, online: boolean): void {
    this.#core.setOnline(this.#idxOf(key), online)
  }

  /**
   * Opens an active channel from `a` to `b` at once, skipping the chain and the wallets: for
   * setup. `localAmount` (default the whole capacity) is `a`'s balance. Returns `a`'s view.
   * Throws `StormError` (`LN_CHANNEL_TOO_SMALL`, `LN_CHANNEL_TOO_LARGE`, `LN_INVALID_REQUEST`).
   */
  openChannelNow (a: string, b: string, capacity: Sats, localAmount?: Sats, options: { private?: boolean } = {}): Channel {
    const from = this.#idxOf(a)
    const ch = openChannelNow(this.#core, from, this.#idxOf(b), capacity, localAmount, options.private === true)
    this.#core.flush()
    return channelView(this.#core, ch, from)
  }

  /** A node's open channels, its side's view (copies). */
  channelsOf (key: string): Channel[] {
    return openChannelViews(this.#core, this.#idxOf(key))
  }

  /** A node's pending channels (copies). */
  pendingChannelsOf (key: string): PendingChannel[] {
    return pendingViews(this.#core, this.#idxOf(key))
  }

  /** A node's on-chain balance. */
  chainBalanceOf (key: string): ChainBalance {
    const node = this.#nodeOf(key)
    return { confirmed: node.confirmed, unconfirmed: node.unconfirmed }
  }

  /** The sum of a node's balances in its open channels, in msat (exact, unlike sats views). */
  localBalanceMsat (key: string): number {
    const idx = this.#idxOf(key)
    let sum = 0
    for (const c of this.#core.nodes[idx]!.chans) {
      const ch = this.#core.channels[c]!
      if (ch.status === 'open') sum += ch.a === idx ? ch.balA : ch.balB
    }
    return sum
  }

  /**
   * Pays `amount` from `from` to `to` by the cheapest routes the sender can see, retrying around
   * failures. Never throws for expected failures: `{ ok: false, code }` with `LN_NO_ROUTE`,
   * `LN_FEE_TOO_HIGH`, `LN_UNAVAILABLE` or `LN_INVALID_REQUEST`.
   */
  pay (from: string, to: string, amount: Sats, options: SimPayOptions = {}): SimPayResult {
    const result = this.#payments.pay(this.#idxOf(from), this.#idxOf(to), amount, options)
    this.#core.flush()
    return result
  }

  /** Pays `from` to itself out by `outgoingChannel` and back by a route the router picks (see `Payments.payOut`). */
  payOut (from: string, outgoingChannel: string, amount: Sats, options: SimPayOptions = {}): SimPayResult {
    const result = this.#payments.payOut(this.#idxOf(from), outgoingChannel, amount, options)
    this.#core.flush()
    return result
  }

  /**
   * What each of `channels` can send each way now, in sats, less reserves: `out[2k]` from the
   * end keyed `from[k]`, `out[2k+1]` back (0 for a channel not open or not found). For bounds
   * computed on the balances of the moment, without a view object per channel.
   */
  sendableInto (channels: readonly string[], from: readonly string[], out: Float64Array): void {
    const core = this.#core
    for (let k = 0; k < channels.length; k++) {
      const idx = core.byScid.get(channels[k]!)
      const ch = idx === undefined ? undefined : core.channels[idx]
      if (ch === undefined || ch.status !== 'open') { out[2 * k] = out[2 * k + 1] = 0; continue }
      const aFirst = core.nodes[ch.a]!.key === from[k]
      const fromA = Math.max(0, ch.balA / 1000 - ch.reserve)
      const fromB = Math.max(0, ch.balB / 1000 - ch.reserve)
      out[2 * k] = aFirst ? fromA : fromB
      out[2 * k + 1] = aFirst ? fromB : fromA
    }
  }

  /** A multi-part payment (see `Payments.payMulti`): the whole first, then halves on failure. */
  payMulti (from: string, to: string, amount: Sats, options: SimPayOptions & { minShard?: Sats, maxParts?: number } = {}): SimPayResult & { parts: number } {
    const result = this.#payments.payMulti(this.#idxOf(from), this.#idxOf(to), amount, options)
    this.#core.flush()
    return result
  }

  /** A circular payment from `from` back to itself (see `LightningNode.payCircular`), without a hash. */
  payCircular (from: string, request: CircularPaymentRequest, maxAttempts?: number): SimPayResult {
    const result = this.#payments.payCircular(this.#idxOf(from), request, maxAttempts)
    this.#core.flush()
    return result
  }

  /**
   * Holds a node's port circular payments in flight (their HTLCs out, nothing settled, the
   * caller waiting), as a stuck LND payment would be, until `releasePayments`; or stops holding.
   * Balances do not move while held (the simnet does not lock in-flight amounts).
   */
  holdPayments (key: string, hold: boolean): void {
    this.#nodeOf(key).holdPayments = hold
  }

  /**
   * Ends a node's held payments: `attempt` makes each now (it succeeds or fails as the network
   * allows), `fail` fails each back (nothing moves). Their callers get the outcome.
   */
  releasePayments (key: string, how: 'attempt' | 'fail' = 'attempt'): void {
    const idx = this.#idxOf(key)
    const node = this.#core.nodes[idx]!
    for (const held of node.held.splice(0)) {
      if (how === 'fail') {
        node.payments.set(held.prepared.id, { state: 'failed' })
        held.reject(new StormError('LN_PAYMENT_FAILED', { reason: 'failed back' }))
        continue
      }
      try {
        held.resolve(settleCircular(this.#core, this.#payments, idx, held.prepared))
      } catch (e) {
        held.reject(e)
      }
    }
    this.#core.flush()
  }

  /** Stops the auto-miner's timer. */
  stop (): void {
    this.#core.stop()
  }

  #idxOf (key: string): number {
    const idx = this.#core.byKey.get(key)
    if (idx === undefined) throw new Error(`simnet: unknown node ${key}`)
    return idx
  }

  #nodeOf (key: string): NodeState {
    return this.#core.nodes[this.#idxOf(key)]!
  }
}
