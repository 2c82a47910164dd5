/**
 * The state of one simulated network and its chain: nodes, channels, mempool, blocks, the event
 * queue and the auto-miner. Operations live in their own files and work on a `SimCore`; the
 * public faces are `SimNetwork` (sync, for benches and setup) and `SimNode` (the async port).
 */
import type { LightningEvent } from '../agent/lightning_port.ts'
import type { ResolvedOptions } from './options.ts'
import type { Prng } from './prng.ts'
import { createPrng } from './prng.ts'
import type { ChannelState, NodeState } from './state.ts'
import { channelView } from './views.ts'

/** A simulated transaction: only its fee and what confirming it does are modelled. */
export interface SimTx {
  readonly txid: string
  readonly fee: number
  /** Block height it confirmed in; 0 while in the mempool. */
  height: number
  /** Position in its block (1-based: 0 is the coinbase). */
  index: number
  readonly onConfirm: ((tx: SimTx) => void) | undefined
}

/** Everything one simulated network knows. */
export class SimCore {
  readonly opts: ResolvedOptions
  readonly rng: Prng
  readonly nodes: NodeState[] = []
  readonly byKey = new Map<string, number>()
  readonly channels: ChannelState[] = []
  readonly byPoint = new Map<string, number>()
  readonly byScid = new Map<string, number>()
  readonly txs = new Map<string, SimTx>()
  height = 0
  mempool: SimTx[] = []
  /** Transactions per block, by height (the next instant tx goes after them). */
  readonly blockTxCount: number[] = [0]
  /** Channels whose funding tx is not yet deep enough. */
  opening: number[] = []
  limboCount = 0
  /** 1 per online node, by index: a compact copy of `NodeState.online` for the route search. */
  online = new Uint8Array(64)
  #queue: Array<{ node: number, event: LightningEvent }> = []
  #flushing = false
  #timer: (() => void) | undefined

  constructor (opts: ResolvedOptions) {
    this.opts = opts
    this.rng = createPrng(`storm-simnet:${String(opts.seed)}`)
  }

  /** Registers a new node. */
  addNode (node: NodeState): void {
    if (node.idx >= this.online.length) {
      const grown = new Uint8Array(this.online.length * 2)
      grown.set(this.online)
      this.online = grown
    }
    this.nodes.push(node)
    this.byKey.set(node.key, node.idx)
    this.online[node.idx] = node.online ? 1 : 0
  }

  /** The on-chain fee of one transaction at the current fee rate. */
  txFee (): number {
    return this.opts.feeRate * this.opts.txVsize
  }

  /** True when the channel can carry payments: open and both ends online. */
  isActive (ch: ChannelState): boolean {
    return ch.status === 'open' && this.nodes[ch.a]!.online && this.nodes[ch.b]!.online
  }

  /** True when an event for `node` would reach anyone. */
  wants (node: number): boolean {
    const n = this.nodes[node]!
    return n.online && n.listeners.size > 0
  }

  /** Queues an event; it is delivered at the end of the current operation (`flush`). */
  emit (node: number, event: LightningEvent): void {
    if (this.wants(node)) this.#queue.push({ node, event })
  }

  /** Delivers queued events, a copy to each listener. Safe against listeners that call back in. */
  flush (): void {
    if (this.#flushing) return
    this.#flushing = true
    try {
      for (let i = 0; i < this.#queue.length; i++) {
        const { node, event } = this.#queue[i]!
        for (const listener of this.nodes[node]!.listeners) {
          try {
            listener(structuredClone(event))
          } catch (e) {
            // a listener's bug must not leave the network half-updated: surface it later
            queueMicrotask(() => { throw e })
          }
        }
      }
    } finally {
      this.#queue = []
      this.#flushing = false
    }
    this.#kick()
  }

  /** Puts a transaction in the mempool. */
  broadcast (fee: number, onConfirm?: (tx: SimTx) => void): SimTx {
    const tx: SimTx = { txid: this.rng.hex(32), fee, height: 0, index: 0, onConfirm }
    this.txs.set(tx.txid, tx)
    this.mempool.push(tx)
    return tx
  }

  /** A transaction placed straight into the tip block (instant setup for benches). */
  confirmNow (): SimTx {
    const index = (this.blockTxCount[this.height] ?? 0) + 1
    this.blockTxCount[this.height] = index
    const tx: SimTx = { txid: this.rng.hex(32), fee: 0, height: this.height, index, onConfirm: undefined }
    this.txs.set(tx.txid, tx)
    return tx
  }

  /** Mines `n` blocks, each taking the whole mempool in order. */
  mine (n: number): number {
    for (let b = 0; b < n; b++) {
      this.height++
      const block = this.mempool
      this.mempool = []
      this.blockTxCount[this.height] = block.length
      block.forEach((tx, i) => {
        tx.height = this.height
        tx.index = i + 1
        tx.onConfirm?.(tx)
      })
      this.#afterBlock()
    }
    this.flush()
    return this.height
  }

  /** Takes a node offline or back; its peers see its channels go inactive or active. */
  setOnline (idx: number, online: boolean): void {
    const node = this.nodes[idx]!
    if (node.online === online) return
    if (!online) this.#announceActive(idx, false)
    node.online = online
    this.online[idx] = online ? 1 : 0
    if (online) this.#announceActive(idx, true)
    this.flush()
  }

  #announceActive (idx: number, active: boolean): void {
    for (const c of this.nodes[idx]!.chans) {
      const ch = this.channels[c]!
      const peer = ch.a === idx ? ch.b : ch.a
      if (ch.status !== 'open' || !this.nodes[peer]!.online) continue
      this.emit(peer, { type: 'channel_active_changed', channelPoint: ch.point, active })
      if (active) this.emit(idx, { type: 'channel_active_changed', channelPoint: ch.point, active })
    }
  }

  /** Stops the auto-miner. */
  stop (): void {
    this.#timer?.()
    this.#timer = undefined
  }

  #afterBlock (): void {
    const need = this.opts.confirmations
    if (this.opening.length > 0) {
      const still: number[] = []
      for (const idx of this.opening) {
        const ch = this.channels[idx]!
        const tx = this.txs.get(ch.txid)!
        if (tx.height > 0 && this.height - tx.height + 1 >= need) this.activate(ch, tx)
        else still.push(idx)
      }
      this.opening = still
    }
    if (this.limboCount > 0) {
      for (const node of this.nodes) {
        if (node.limbo.length === 0) continue
        for (let i = node.limbo.length - 1; i >= 0; i--) {
          const entry = node.limbo[i]!
          if (entry.maturity > this.height) continue
          node.confirmed += entry.amount
          node.limbo.splice(i, 1)
          this.limboCount--
        }
      }
    }
    for (const node of this.nodes) {
      if (this.wants(node.idx)) this.emit(node.idx, { type: 'block', height: this.height })
    }
  }

  /** Gives a confirmed channel its short id and tells both ends. */
  activate (ch: ChannelState, tx: SimTx): void {
    ch.status = 'open'
    ch.scid = `${tx.height}x${tx.index}x${ch.vout}`
    this.byScid.set(ch.scid, ch.idx)
    this.nodes[ch.a]!.peers.add(ch.b)
    this.nodes[ch.b]!.peers.add(ch.a)
    for (const end of [ch.a, ch.b]) {
      if (this.wants(end)) this.emit(end, { type: 'channel_opened', channel: channelView(this, ch, end) })
    }
  }

  /** Schedules the next auto-mined block while anything waits on blocks. */
  #kick (): void {
    if (this.opts.autoMineMs <= 0 || this.#timer !== undefined) return
    if (this.mempool.length === 0 && this.opening.length === 0 && this.limboCount === 0) return
    this.#timer = this.opts.clock.schedule(() => {
      this.#timer = undefined
      this.mine(1)
    }, this.opts.autoMineMs)
  }
}
