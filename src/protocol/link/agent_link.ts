/**
 * The agent's end of the link: connects straight to the manager's key over the DHT, keeps
 * reconnecting with exponential backoff and jitter until closed, and queues what it sends while
 * the link is down.
 *
 * It drives its own retries instead of Hyperswarm's `joinPeer`, whose schedule (1 s, 5 s, 15 s,
 * then every 10 minutes, on the wall clock, with no event for a failed attempt) would leave an
 * agent cut off for ten minutes after a short manager outage and cannot be tested without
 * waiting.
 */
import { EventEmitter } from 'node:events'
import type { NoiseSecretStream } from 'hyperdht'
import { SYSTEM_CLOCK } from '../../shared/clock.ts'
import type { Clock } from '../../shared/clock.ts'
import { DEFAULT_TTL_MS, MAX_ENVELOPE_BYTES, newMessageId } from '../envelope.ts'
import type { Envelope, ProtocolErrorCode } from '../envelope.ts'
import type { KeyPair } from '../keys.ts'
import { AgentKeySchema } from '../messages.ts'
import type { Message, MessageBody, MessageType } from '../messages.ts'
import { ReplayGuard, SeqCounter } from '../replay_guard.ts'
import { backoffDelay, DEFAULT_BACKOFF } from './backoff.ts'
import type { BackoffOptions } from './backoff.ts'
import { closeDht, openDht } from './network.ts'
import type { LinkNetwork, OpenedDht } from './network.ts'
import { Outbox } from './outbox.ts'
import { AGENT_FIRST_WORD_MS, AGENT_IDLE_TIMEOUT_MS, DEFAULT_STRIKES, PeerChannel } from './peer_channel.ts'
import type { ChannelContext, LinkLog, StrikeOptions } from './peer_channel.ts'
import { prepareBody } from './prepare_body.ts'

/**
 * A connection that lasted this long resets the backoff; so does one on which the manager spoke
 * (a verified message arrived): it was up and admitting us, so when it goes away (a restart) it is
 * looked for again from the first step, not after the delays its earlier absences built up.
 */
export const STABLE_CONNECTION_MS = 10_000

/**
 * A connection that has received nothing at all — not the manager's stream header, not one
 * transport acknowledgement — this long after it opened has no far end: it is given up and the
 * manager dialled again. A live manager's end answers within one round trip (its stream header
 * goes out as soon as its end exists, and UDX acknowledges ours), so 2 s covers a 1 s round trip
 * with one lost packet (UDX's first retransmission waits 1 s). From the third silent connection in
 * a row the wait doubles (4 s, then 8 s: AGENT_FIRST_WORD_MS), for a path slower than that; the
 * second gets the same 2 s, since the race below often strikes twice running. The redial after a
 * silent connection starts from the first backoff step: the manager answered the handshake, it
 * is up.
 *
 * Why a connection can open with no far end: between two peers on one host or LAN, hyperdht
 * 6.33–6.34 races its LAN shortcut with a holepunch; a server whose NAT analysis is inconclusive
 * aborts the holepunch and destroys its half of the connection while the client's LAN path has
 * already opened (hyperdht issue #304). Nothing tells the client. Without this check the agent
 * waited for the manager's first message (AGENT_FIRST_WORD_MS, 8 s), then for its backoff.
 */
export const AGENT_FIRST_BYTES_MS = 2_000

export interface AgentLinkOptions {
  /** The agent's key pair (or, to pair, the pairing key pair from `pairingKeyPair`). */
  keyPair: KeyPair
  /** The manager's public key, hex. */
  managerKey: string
  /** Absent → the public DHT. */
  network?: LinkNetwork
  clock?: Clock
  log?: LinkLog
  /** Reconnect delays. Default 1 s doubling up to 60 s. */
  backoff?: BackoffOptions
  /** Messages kept while the link is down (oldest dropped beyond). Default 1000. */
  queueLimit?: number
  /** Lifetime of the envelopes this link seals. Default DEFAULT_TTL_MS. */
  ttlMs?: number
  /**
   * Envelope size limit, both ways; default MAX_ENVELOPE_BYTES (64 KiB). Both ends must use the
   * same value: a larger envelope is refused by the receiver as TOO_LARGE.
   */
  maxEnvelopeBytes?: number
  /** Where the replay guard keeps the sequence numbers it accepted, so a restart does not forget them. */
  replayFile?: string
  /** Bad messages tolerated before the connection is dropped. Default 5 within 60 s. */
  strikes?: StrikeOptions
  /** Source of jitter, for tests. Default Math.random. */
  random?: () => number
  /** See AGENT_FIRST_BYTES_MS (the default). */
  firstBytesMs?: number
}

/** Events of an AgentLink, with their arguments. */
export interface AgentLinkEvents {
  message: [msg: Message, envelope: Envelope]
  connected: []
  disconnected: []
  protocol_error: [code: ProtocolErrorCode, detail: string]
}

/**
 * @example
 *   const link = new AgentLink({ keyPair, managerKey })
 *   link.on('message', msg => ...)
 *   link.start()
 *   link.send('heartbeat', { at: Date.now(), health: { healthy: true } })
 */
export class AgentLink extends EventEmitter<AgentLinkEvents> {
  readonly #opts: AgentLinkOptions
  readonly #ctx: ChannelContext
  readonly #managerKey: Buffer
  readonly #outbox: Outbox
  #dht: OpenedDht | null = null
  #stream: NoiseSecretStream | null = null
  #channel: PeerChannel | null = null
  #failures = 0
  /** Connections in a row given up because their far end never answered. */
  #silent = 0
  #cancelRetry: (() => void) | null = null
  #started = false
  #closed = false

  constructor (opts: AgentLinkOptions) {
    super()
    if (!AgentKeySchema.safeParse(opts.managerKey).success) throw new Error('AgentLink: managerKey must be 32 bytes of lowercase hex')
    this.#opts = opts
    this.#managerKey = Buffer.from(opts.managerKey, 'hex')
    this.#outbox = new Outbox(opts.queueLimit)
    const clock = opts.clock ?? SYSTEM_CLOCK
    this.#ctx = {
      keyPair: opts.keyPair,
      clock,
      seq: new SeqCounter(clock),
      replay: new ReplayGuard({ clock, ...(opts.replayFile === undefined ? {} : { file: opts.replayFile }) }),
      log: opts.log ?? (() => {}),
      ttlMs: opts.ttlMs ?? DEFAULT_TTL_MS,
      strikes: opts.strikes ?? DEFAULT_STRIKES,
      maxBytes: opts.maxEnvelopeBytes ?? MAX_ENVELOPE_BYTES,
      idleTimeoutMs: AGENT_IDLE_TIMEOUT_MS,
      firstWordMs: AGENT_FIRST_WORD_MS
    }
  }

  /** Connects, and reconnects with exponential backoff and jitter until close(). */
  start (): void {
    if (this.#closed) throw new Error('AgentLink is closed')
    if (this.#started) return
    this.#started = true
    this.#dht = openDht(this.#opts.network, { reachableOnLoopback: true })
    this.#connect()
  }

  /** Whether a message sent now goes out at once. */
  get connected (): boolean {
    return this.#channel?.writable ?? false
  }

  /**
   * Sends now if connected, else queues (bounded); queued messages go in order, sealed when they
   * go, once the link is back. Returns the message id.
   *
   * Errors (thrown StormError): BAD_BODY, TOO_LARGE.
   */
  send<T extends MessageType> (type: T, body: MessageBody<T>): string {
    const prepared = prepareBody(type, body, this.#ctx.maxBytes)
    const id = newMessageId()
    const dropped = this.#outbox.push({ id, type, body: prepared })
    if (dropped !== undefined) this.#ctx.log('queue_overflow', { dropped: dropped.id, type: dropped.type })
    this.#flush()
    return id
  }

  /** Stops reconnecting, closes the connection, leaves the DHT (if the link built it). */
  async close (): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    this.#cancelRetry?.()
    this.#cancelRetry = null
    this.#channel?.detach()
    this.#channel = null
    this.#stream?.destroy()
    this.#stream = null
    this.#ctx.replay.close()
    if (this.#dht !== null) await closeDht(this.#dht)
    this.#ctx.log('closed', {})
  }

  #connect (): void {
    this.#cancelRetry = null
    if (this.#closed || this.#dht === null) return
    this.#ctx.log('connecting', { manager: this.#opts.managerKey, attempt: this.#failures + 1 })
    let stream: NoiseSecretStream
    try {
      stream = this.#dht.dht.connect(this.#managerKey, { keyPair: this.#opts.keyPair })
    } catch (e) {
      this.#ctx.log('connect_failed', { error: String(e) })
      this.#scheduleRetry(null)
      return
    }
    this.#stream = stream
    let openedAt: number | null = null
    let heard = false
    let channel: PeerChannel | null = null
    stream.on('error', (e: NodeJS.ErrnoException) => this.#ctx.log('connection_error', { code: e.code ?? e.message }))
    stream.on('close', () => {
      if (this.#stream === stream) this.#stream = null
      if (this.#closed) return
      if (channel !== null && this.#channel === channel) {
        this.#channel = null
        this.#ctx.log('disconnected', { manager: this.#opts.managerKey })
        this.emit('disconnected')
      }
      this.#scheduleRetry(openedAt, heard)
    })
    stream.opened.then((opened) => {
      if (!opened || this.#closed || this.#stream !== stream) return
      openedAt = this.#ctx.clock.now()
      this.#expectFirstBytes(stream)
      channel = new PeerChannel(stream, this.#ctx, {
        message: (msg, envelope) => { heard = true; this.#silent = 0; this.emit('message', msg, envelope) },
        protocolError: (code, detail) => this.emit('protocol_error', code, detail),
        closed: () => {}
      })
      this.#channel = channel
      this.#ctx.log('connected', { manager: this.#opts.managerKey })
      this.#flush()
      this.emit('connected')
    }, () => {})
  }

  /**
   * Gives the connection up if its far end sends nothing (AGENT_FIRST_BYTES_MS). The packet count
   * is the transport's own, kept as packets arrive: the check needs no listener on the stream, and
   * it looks once more after pending I/O (setImmediate) so a busy event loop is not taken for a
   * silent peer.
   */
  #expectFirstBytes (stream: NoiseSecretStream): void {
    const waitMs = Math.min(AGENT_FIRST_WORD_MS, (this.#opts.firstBytesMs ?? AGENT_FIRST_BYTES_MS) * 2 ** Math.min(Math.max(0, this.#silent - 1), 10))
    const answered = (): boolean => (stream.rawStream?.packetsReceived ?? 0) > 0
    this.#ctx.clock.schedule(() => {
      if (answered()) this.#silent = 0
      if (answered() || stream.destroyed || stream.destroying) return
      setImmediate(() => {
        if (answered()) this.#silent = 0
        if (answered() || stream.destroyed || stream.destroying || this.#stream !== stream) return
        this.#silent++
        this.#failures = 0
        this.#ctx.log('silent_connection', { manager: this.#opts.managerKey, afterMs: waitMs })
        stream.destroy(new Error(`nothing received from the manager within ${waitMs} ms`))
      })
    }, waitMs)
  }

  #scheduleRetry (openedAt: number | null, heard = false): void {
    if (this.#closed || this.#cancelRetry !== null) return
    const now = this.#ctx.clock.now()
    if (openedAt !== null && (heard || now - openedAt >= STABLE_CONNECTION_MS)) this.#failures = 0
    const delay = backoffDelay(this.#failures, this.#opts.backoff ?? DEFAULT_BACKOFF, this.#opts.random)
    this.#failures++
    this.#ctx.log('reconnect_scheduled', { inMs: delay, attempt: this.#failures + 1 })
    this.#cancelRetry = this.#ctx.clock.schedule(() => this.#connect(), delay)
  }

  #flush (): void {
    const channel = this.#channel
    if (channel === null) return
    while (this.#outbox.size > 0 && channel.writable) {
      const item = this.#outbox.shift()!
      channel.send(item.type, item.body as MessageBody<typeof item.type>, item.id)
    }
  }
}
