/** The Lightning port on LND, through the `lightning` package. */
import type { AuthenticatedLnd } from 'lightning'
import type { Clock } from '../../shared/clock.ts'
import type {
  ChainBalance, Channel, CircularPaymentRequest, CloseChannelRequest, Forward, Invoice, LightningEvent,
  LightningNode, NodeInfo, OpenChannelRequest, OpenedChannel, PaymentOutcome, PaymentStatus, PendingChannel,
  PreparedCircularPayment, Sats, SetFeesRequest
} from '../lightning_port.ts'
import { getChannels, getPendingChannels } from './channels.ts'
import { closeChannel } from './close_channel.ts'
import type { LndContext } from './context.ts'
import { getForwards } from './forwards.ts'
import { createInvoice, decodeInvoice, payInvoice } from './invoices.ts'
import { addPeer, getChainBalance, getInfo, signMessage } from './node_info.ts'
import { openChannels } from './open_channels.ts'
import { getPayment } from './get_payment.ts'
import { payCircular, prepareCircular } from './pay_circular.ts'
import { setFees } from './set_fees.ts'
import { subscribe } from './subscribe.ts'

/** A `LightningNode` backed by one LND. Create it with `connectLnd`. */
export class LndNode implements LightningNode {
  readonly #ctx: LndContext
  #selfKey: string | undefined

  constructor (lnd: AuthenticatedLnd, clock: Clock) {
    this.#ctx = { lnd, clock, selfKey: async () => await this.#ownKey() }
  }

  async getInfo (): Promise<NodeInfo> {
    const info = await getInfo(this.#ctx)
    this.#selfKey = info.publicKey
    return info
  }

  async getChainBalance (): Promise<ChainBalance> { return await getChainBalance(this.#ctx) }
  async getChannels (): Promise<Channel[]> { return await getChannels(this.#ctx) }
  async getPendingChannels (): Promise<PendingChannel[]> { return await getPendingChannels(this.#ctx) }
  async addPeer (peer: string, socket: string): Promise<void> { await addPeer(this.#ctx, peer, socket) }
  async openChannels (requests: OpenChannelRequest[]): Promise<OpenedChannel[]> { return await openChannels(this.#ctx, requests) }
  async closeChannel (request: CloseChannelRequest): Promise<{ closingTxId: string }> { return await closeChannel(this.#ctx, request) }
  async setFees (request: SetFeesRequest): Promise<void> { await setFees(this.#ctx, request) }
  async prepareCircular (request: CircularPaymentRequest): Promise<PreparedCircularPayment> { return await prepareCircular(this.#ctx, request) }
  async payCircular (prepared: PreparedCircularPayment): Promise<PaymentOutcome> { return await payCircular(this.#ctx, prepared) }
  async getPayment (id: string): Promise<PaymentStatus> { return await getPayment(this.#ctx, id) }
  async createInvoice (amount: Sats, memo: string): Promise<Invoice> { return await createInvoice(this.#ctx, amount, memo) }
  async decodeInvoice (request: string): Promise<{ id: string, destination: string, amount: Sats }> { return await decodeInvoice(this.#ctx, request) }
  async payInvoice (request: string, maxFee: Sats): Promise<PaymentOutcome> { return await payInvoice(this.#ctx, request, maxFee) }
  async getForwards (after: number, before: number): Promise<Forward[]> { return await getForwards(this.#ctx, after, before) }
  async signMessage (message: string): Promise<string> { return await signMessage(this.#ctx, message) }
  subscribe (listener: (event: LightningEvent) => void): () => void { return subscribe(this.#ctx, listener) }

  async #ownKey (): Promise<string> {
    this.#selfKey ??= (await getInfo(this.#ctx)).publicKey
    return this.#selfKey
  }
}
