/**
 * A simulated node behind the Lightning port. Every method is an async wrapper over the network's
 * synchronous core: it rejects with `LN_UNAVAILABLE` while the node is offline, runs the
 * operation, delivers the events it caused and returns copies.
 */
import type {
  ChainBalance, Channel, CircularPaymentRequest, CloseChannelRequest, Forward, Invoice, LightningEvent,
  LightningNode, NodeInfo, OpenChannelRequest, OpenedChannel, PaymentOutcome, PaymentStatus, PendingChannel,
  PreparedCircularPayment, Sats, SetFeesRequest
} from '../agent/lightning_port.ts'
import { signNodeMessage } from '../protocol/node_signature.ts'
import { StormError } from '../shared/errors.ts'
import { closeChannel } from './close_channel.ts'
import type { SimCore } from './core.ts'
import { assertPayable, createInvoice, payCircular, payInvoice, paymentStatus, prepareCircular } from './invoices.ts'
import { openChannels } from './open_channels.ts'
import { decodeInvoice } from './invoice_codec.ts'
import type { Payments } from './pay.ts'
import { setFees } from './set_fees.ts'
import { forwardView, openChannelViews, pendingViews } from './views.ts'

/** One node of a `SimNetwork`; get it from `network.addNode(...)`. */
export class SimNode implements LightningNode {
  readonly #core: SimCore
  readonly #payments: Payments
  readonly #idx: number

  /** @internal Built by `SimNetwork.addNode`. */
  constructor (core: SimCore, payments: Payments, idx: number) {
    this.#core = core
    this.#payments = payments
    this.#idx = idx
  }

  /** The node's public key (hex, compressed). */
  get publicKey (): string {
    return this.#core.nodes[this.#idx]!.key
  }

  get alias (): string {
    return this.#core.nodes[this.#idx]!.alias
  }

  get online (): boolean {
    return this.#core.nodes[this.#idx]!.online
  }

  /** Takes the node down (every port call rejects, its channels go inactive) or brings it back. */
  setOnline (online: boolean): void {
    this.#core.setOnline(this.#idx, online)
  }

  getInfo (): Promise<NodeInfo> {
    return this.#run(() => {
      const core = this.#core
      const node = core.nodes[this.#idx]!
      let active = 0
      for (const c of node.chans) if (core.isActive(core.channels[c]!)) active++
      let peers = 0
      for (const p of node.peers) if (core.nodes[p]!.online) peers++
      return {
        publicKey: node.key,
        alias: node.alias,
        network: 'simnet',
        blockHeight: core.height,
        syncedToChain: true,
        activeChannels: active,
        pendingChannels: pendingViews(core, this.#idx).length,
        peers,
        uris: [`${node.key}@sim:${node.idx}`],
        version: 'simnet 1'
      }
    })
  }

  getChainBalance (): Promise<ChainBalance> {
    return this.#run(() => {
      const node = this.#core.nodes[this.#idx]!
      return { confirmed: node.confirmed, unconfirmed: node.unconfirmed }
    })
  }

  getChannels (): Promise<Channel[]> {
    return this.#run(() => openChannelViews(this.#core, this.#idx))
  }

  getPendingChannels (): Promise<PendingChannel[]> {
    return this.#run(() => pendingViews(this.#core, this.#idx))
  }

  /** Connects to a known, online node. `socket` is ignored: every simulated node is reachable. */
  addPeer (peer: string, _socket: string): Promise<void> {
    return this.#run(() => {
      const other = this.#core.byKey.get(peer)
      if (other === this.#idx) throw new StormError('LN_INVALID_REQUEST', { reason: 'peer is self' })
      if (other === undefined || !this.#core.nodes[other]!.online) throw new StormError('LN_PEER_UNREACHABLE', { peer: String(peer) })
      this.#core.nodes[this.#idx]!.peers.add(other)
      this.#core.nodes[other]!.peers.add(this.#idx)
    })
  }

  openChannels (requests: OpenChannelRequest[]): Promise<OpenedChannel[]> {
    return this.#run(() => openChannels(this.#core, this.#idx, requests))
  }

  closeChannel (request: CloseChannelRequest): Promise<{ closingTxId: string }> {
    return this.#run(() => closeChannel(this.#core, this.#idx, request))
  }

  setFees (request: SetFeesRequest): Promise<void> {
    return this.#run(() => { setFees(this.#core, this.#idx, request) })
  }

  prepareCircular (request: CircularPaymentRequest): Promise<PreparedCircularPayment> {
    return this.#run(() => prepareCircular(this.#core, request))
  }

  /** While the network holds this node's payments (`SimNetwork.holdPayments`), it stays in flight. */
  payCircular (prepared: PreparedCircularPayment): Promise<PaymentOutcome> {
    const node = this.#core.nodes[this.#idx]!
    if (node.online && node.holdPayments) {
      return this.#run(() => {
        assertPayable(this.#core, this.#idx, prepared.id)
        node.payments.set(prepared.id, { state: 'in_flight' })
      }).then(() => new Promise<PaymentOutcome>((resolve, reject) => { node.held.push({ prepared, resolve, reject }) }))
    }
    return this.#run(() => payCircular(this.#core, this.#payments, this.#idx, prepared))
  }

  getPayment (id: string): Promise<PaymentStatus> {
    return this.#run(() => paymentStatus(this.#core, this.#idx, id))
  }

  createInvoice (amount: Sats, _memo: string): Promise<Invoice> {
    return this.#run(() => createInvoice(this.#core, this.#idx, amount))
  }

  decodeInvoice (request: string): Promise<{ id: string, destination: string, amount: Sats }> {
    return this.#run(() => {
      const decoded = decodeInvoice(request)
      if (decoded === null) throw new StormError('LN_INVALID_REQUEST', { field: 'request' })
      return { id: decoded.hash, destination: decoded.destination, amount: decoded.amount }
    })
  }

  payInvoice (request: string, maxFee: Sats): Promise<PaymentOutcome> {
    return this.#run(() => payInvoice(this.#core, this.#payments, this.#idx, request, maxFee))
  }

  getForwards (after: number, before: number): Promise<Forward[]> {
    return this.#run(() => {
      const out: Forward[] = []
      for (const f of this.#core.nodes[this.#idx]!.forwards) {
        if (f.at >= after && f.at < before) out.push(forwardView(this.#core, f))
      }
      return out
    })
  }

  signMessage (message: string): Promise<string> {
    return this.#run(() => signNodeMessage(this.#core.nodes[this.#idx]!.secretKey, message))
  }

  /** Events reach the listener only while the node is online, as with a live LND stream. */
  subscribe (listener: (event: LightningEvent) => void): () => void {
    const listeners = this.#core.nodes[this.#idx]!.listeners
    const own = (event: LightningEvent): void => { listener(event) }
    listeners.add(own)
    return () => { listeners.delete(own) }
  }

  async #run<T> (operation: () => T): Promise<T> {
    if (!this.#core.nodes[this.#idx]!.online) throw new StormError('LN_UNAVAILABLE', { node: this.alias })
    try {
      return operation()
    } finally {
      this.#core.flush()
    }
  }
}
