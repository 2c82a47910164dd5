/**
 * The Lightning port: everything `stormd` asks of a Lightning node. Two implementations exist:
 * the LND adapter (`src/agent/lnd/`, on the `lightning` package) and the simulated network
 * (`src/simnet/`). Nothing outside `src/agent/` sees an LND response shape; both sides speak
 * only the types below.
 *
 * Amounts in satoshis are integers (`Sats`). Millisatoshi amounts are decimal strings.
 *
 * Expected failures reject with a `StormError` whose code is one of `LightningErrorCode`;
 * anything else is a bug.
 */

/** Whole satoshis. Always a safe, non-negative integer unless stated otherwise. */
export type Sats = number

export type Network = 'mainnet' | 'testnet' | 'signet' | 'regtest' | 'simnet'

export interface NodeInfo {
  /** 33-byte compressed secp256k1 public key, hex. */
  publicKey: string
  alias: string
  network: Network
  blockHeight: number
  syncedToChain: boolean
  activeChannels: number
  pendingChannels: number
  peers: number
  /** `pubkey@host:port` addresses the node can be reached at (may be empty). */
  uris: string[]
  /** The implementation and its version, e.g. `lnd 0.20.0-beta` or `simnet 1`. */
  version: string
}

export interface ChainBalance {
  /** Confirmed, spendable on-chain funds. */
  confirmed: Sats
  unconfirmed: Sats
}

/** Our side's forwarding policy on one channel. */
export interface FeePolicy {
  /** Base fee in millisatoshis, decimal string. */
  baseFeeMsat: string
  /** Proportional fee in parts per million. */
  feeRatePpm: number
  cltvDelta: number
}

export interface Channel {
  /** Short channel id in `block x tx x output` form, e.g. `520x1x0`. */
  id: string
  /** Funding outpoint, `txid:vout`. */
  channelPoint: string
  /** The partner's public key. */
  peer: string
  capacity: Sats
  localBalance: Sats
  remoteBalance: Sats
  localReserve: Sats
  remoteReserve: Sats
  active: boolean
  private: boolean
  /** True when we funded the channel. */
  initiator: boolean
  /** Our outgoing policy, when known. */
  policy?: FeePolicy
}

export interface PendingChannel {
  channelPoint: string
  peer: string
  capacity: Sats
  localBalance: Sats
  state: 'opening' | 'closing' | 'force_closing' | 'waiting_close'
  /** True when we funded (or are closing) it. */
  initiator: boolean
}

export interface OpenChannelRequest {
  peer: string
  capacity: Sats
  /** `host:port`, used to connect first when not yet a peer. */
  socket?: string
  private?: boolean
}

export interface OpenedChannel {
  peer: string
  capacity: Sats
  /** Funding outpoint of the new channel, `txid:vout`. */
  channelPoint: string
}

export interface CloseChannelRequest {
  channelPoint: string
  /** Force (unilateral) close instead of cooperative. */
  force?: boolean
}

export interface SetFeesRequest {
  /** One channel, or every channel when absent. */
  channelPoint?: string
  baseFeeMsat: string
  feeRatePpm: number
  cltvDelta?: number
}

export interface CircularPaymentRequest {
  amount: Sats
  /** Short id of our channel the payment leaves by. */
  outgoingChannel: string
  /**
   * The public keys of the hops after us, in order; the payment returns to us from the last one.
   * `[B, C]` for the cycle A→B→C→A run by A.
   */
  hops: string[]
  /** The most the payment may cost in routing fees. */
  maxFee: Sats
}

/**
 * A circular payment made ready to send: its invoice exists and its payment hash is known, and
 * nothing has left the node yet. stormd stores `id` before it sends, so that after a crash it can
 * ask the node how the payment ended (`getPayment`).
 */
export interface PreparedCircularPayment {
  /** Hex payment hash. */
  id: string
  request: CircularPaymentRequest
  /** The invoice's payment secret (hex) that the route's last hop carries; lives only in memory. */
  secret: string
}

/** What the node knows of a payment, by hash. */
export type PaymentStatus =
  | { state: 'succeeded', outcome: PaymentOutcome }
  /** It was sent and failed: nothing left the node for good, and it will not succeed later. */
  | { state: 'failed' }
  /** HTLCs are out: it may still succeed or fail. */
  | { state: 'in_flight' }
  /** The node has no payment with this hash: it was never sent. */
  | { state: 'not_found' }

export interface PaymentOutcome {
  /** Hex payment hash. */
  id: string
  amount: Sats
  fee: Sats
  /** Fee in millisatoshis, decimal string. */
  feeMsat: string
  /** The hops' public keys, in order, ending with the destination. */
  hops: string[]
}

export interface Invoice {
  /** Hex payment hash. */
  id: string
  /** BOLT 11 payment request. */
  request: string
  amount: Sats
}

export interface Forward {
  at: number
  inChannel: string
  outChannel: string
  amount: Sats
  /** Fee earned, in millisatoshis, decimal string. */
  feeMsat: string
}

export type LightningEvent =
  | { type: 'channel_opened', channel: Channel }
  | { type: 'channel_closed', channelPoint: string, peer: string }
  | { type: 'channel_active_changed', channelPoint: string, active: boolean }
  | { type: 'forward', forward: Forward }
  | { type: 'block', height: number }

/** Stable codes for expected failures; the agent's locale keys follow them. */
export const LIGHTNING_ERROR_CODES = [
  'LN_UNAVAILABLE', // the node does not answer (stopped, wrong host, TLS)
  'LN_PERMISSION_DENIED', // macaroon lacks a permission
  'LN_NOT_SYNCED', // the node is still syncing to the chain
  'LN_INSUFFICIENT_FUNDS', // not enough confirmed on-chain funds
  'LN_PEER_UNREACHABLE', // could not connect to the peer
  'LN_CHANNEL_TOO_SMALL',
  'LN_CHANNEL_TOO_LARGE',
  'LN_CHANNEL_NOT_FOUND',
  'LN_NO_ROUTE', // no route, or a hop lacks liquidity
  'LN_FEE_TOO_HIGH', // the route costs more than the max fee
  'LN_PAYMENT_FAILED',
  'LN_INVALID_REQUEST'
] as const

export type LightningErrorCode = typeof LIGHTNING_ERROR_CODES[number]

/** The Lightning port. */
export interface LightningNode {
  getInfo (): Promise<NodeInfo>
  getChainBalance (): Promise<ChainBalance>
  getChannels (): Promise<Channel[]>
  getPendingChannels (): Promise<PendingChannel[]>
  /** Connects to a peer; succeeds when already connected. */
  addPeer (peer: string, socket: string): Promise<void>
  /** Opens channels, in one funding transaction when there are several. All or nothing. */
  openChannels (requests: OpenChannelRequest[]): Promise<OpenedChannel[]>
  closeChannel (request: CloseChannelRequest): Promise<{ closingTxId: string }>
  setFees (request: SetFeesRequest): Promise<void>
  /**
   * Readies a circular payment: validates it and creates the invoice to ourselves, so its payment
   * hash is known before anything is sent. Sends nothing.
   */
  prepareCircular (request: CircularPaymentRequest): Promise<PreparedCircularPayment>
  /**
   * Pays ourselves around a cycle of channels: the prepared invoice to self, routed through
   * `hops`. Refuses (`LN_PAYMENT_FAILED`) a hash that is already paid or in flight.
   */
  payCircular (prepared: PreparedCircularPayment): Promise<PaymentOutcome>
  /** How a payment we sent ended, or whether it was sent at all, by its hash. */
  getPayment (id: string): Promise<PaymentStatus>
  createInvoice (amount: Sats, memo: string): Promise<Invoice>
  /** What a payment request asks: its hash, destination and amount. Errors: `LN_INVALID_REQUEST`. */
  decodeInvoice (request: string): Promise<{ id: string, destination: string, amount: Sats }>
  /** Pays a BOLT 11 request. Only for invoices between one owner's own nodes. */
  payInvoice (request: string, maxFee: Sats): Promise<PaymentOutcome>
  /** Forwards in a time window (ms since epoch, `before` exclusive). */
  getForwards (after: number, before: number): Promise<Forward[]>
  /**
   * Signs a message with the node key in LND's `signmessage` format: zbase32 of the 65-byte
   * recoverable compact signature over double-SHA256("Lightning Signed Message:" + message).
   */
  signMessage (message: string): Promise<string>
  /** Subscribes to node events; returns the unsubscribe function. */
  subscribe (listener: (event: LightningEvent) => void): () => void
}
