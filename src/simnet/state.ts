/**
 * The simulated network's internal records. Balances are millisatoshis held in plain numbers:
 * channels are capped at 10 BTC (1e12 msat), far inside the 2^53 of exact integers, and numbers
 * keep the payment hot path free of bigint allocations. Nothing here leaves `src/simnet/`: the
 * port hands out copies built in `views.ts`.
 */
import type { LightningEvent, PaymentOutcome, PaymentStatus, PreparedCircularPayment } from '../agent/lightning_port.ts'
import { DUST_LIMIT } from './options.ts'

/** Where a channel is in its life. */
export type ChannelStatus = 'opening' | 'open' | 'closing' | 'closed'

/** One channel between node `a` (the funder) and node `b`. */
export class ChannelState {
  readonly idx: number
  readonly a: number
  readonly b: number
  readonly capacity: number
  readonly reserve: number
  readonly txid: string
  readonly vout: number
  readonly point: string
  readonly isPrivate: boolean
  /** Sats the funder set aside for the commitment (returned at a cooperative close). */
  readonly commit: number
  /** Short channel id, set when the funding tx is deep enough. */
  scid = ''
  status: ChannelStatus = 'opening'
  balA: number
  balB: number
  baseA: number
  ppmA: number
  cltvA: number
  baseB: number
  ppmB: number
  cltvB: number
  /** The node that closed it, and how (set at close). */
  closer = -1
  force = false
  closeTxid = ''
  /** Sats each side gets back from the closing tx. */
  closeOutA = 0
  closeOutB = 0

  constructor (init: { idx: number, a: number, b: number, capacity: number, txid: string, vout: number, isPrivate: boolean, commit: number, balA: number, balB: number, base: number, ppm: number, cltv: number }) {
    this.idx = init.idx
    this.a = init.a
    this.b = init.b
    this.capacity = init.capacity
    this.reserve = channelReserve(init.capacity)
    this.txid = init.txid
    this.vout = init.vout
    this.point = `${init.txid}:${init.vout}`
    this.isPrivate = init.isPrivate
    this.commit = init.commit
    this.balA = init.balA
    this.balB = init.balB
    this.baseA = this.baseB = init.base
    this.ppmA = this.ppmB = init.ppm
    this.cltvA = this.cltvB = init.cltv
  }
}

/** Funds of a force-closer waiting out the CSV delay. */
export interface LimboEntry {
  channel: number
  amount: number
  maturity: number
}

/** One forward through a node. */
export interface ForwardRecord {
  at: number
  inChannel: number
  outChannel: number
  amountMsat: number
  feeMsat: number
}

/** What a node remembers of a payment it sent through the port, by hash. */
export type SimPaymentRecord = Exclude<PaymentStatus, { state: 'not_found' }>

/** A port payment held in flight (`SimNetwork.holdPayments`) and the caller waiting on it. */
export interface HeldPayment {
  prepared: PreparedCircularPayment
  resolve: (outcome: PaymentOutcome) => void
  reject: (error: unknown) => void
}

/** A simulated node's record. */
export class NodeState {
  readonly idx: number
  readonly key: string
  readonly alias: string
  readonly secretKey: Uint8Array
  online = true
  confirmed = 0
  unconfirmed = 0
  readonly peers = new Set<number>()
  /** Channels not yet fully closed (opening, open, closing), by index. */
  chans: number[] = []
  /** The other end of each of `chans`, in step with it: the route search reads it without touching channel records. */
  ends: number[] = []
  readonly limbo: LimboEntry[] = []
  readonly forwards: ForwardRecord[] = []
  readonly invoices = new Map<string, { amount: number, paid: boolean }>()
  /** Payments sent through the port (circular, and of invoices), by payment hash (the fast core keeps none). */
  readonly payments = new Map<string, SimPaymentRecord>()
  /** While true, port circular payments stay in flight until `SimNetwork.releasePayments`. */
  holdPayments = false
  readonly held: HeldPayment[] = []
  readonly listeners = new Set<(event: LightningEvent) => void>()

  constructor (idx: number, key: string, alias: string, secretKey: Uint8Array) {
    this.idx = idx
    this.key = key
    this.alias = alias
    this.secretKey = secretKey
  }
}

/** LND's default reserve: 1% of capacity, never below the dust limit. */
export function channelReserve (capacity: number): number {
  return Math.max(Math.floor(capacity / 100), DUST_LIMIT)
}

/**
 * The fee a hop charges to forward `amountMsat`: base + floor(amount × ppm / 1e6), LND's formula,
 * computed in two parts so amount × ppm never leaves exact integer range.
 */
export function hopFeeMsat (baseMsat: number, ppm: number, amountMsat: number): number {
  const millions = Math.floor(amountMsat / 1e6)
  const rest = amountMsat - millions * 1e6
  return baseMsat + millions * ppm + Math.floor((rest * ppm) / 1e6)
}

/** The other end of a channel. */
export function otherEnd (ch: ChannelState, node: number): number {
  return ch.a === node ? ch.b : ch.a
}
