/**
 * One live connection to one peer, the same on both ends of a link: turns each transport
 * message into a verified Message, answers bad input with a typed `error`, and drops the
 * connection (only this one) when the peer keeps sending bad input.
 */
import type { NoiseSecretStream } from 'hyperdht'
import type { Clock } from '../../shared/clock.ts'
import { encode, newMessageId, openEnvelope, seal } from '../envelope.ts'
import type { Envelope, ProtocolErrorCode } from '../envelope.ts'
import type { KeyPair } from '../keys.ts'
import type { Message, MessageBody, MessageType } from '../messages.ts'
import type { ReplayGuard, SeqCounter } from '../replay_guard.ts'

/** Structured log sink: an event name and public data (keys, codes, ids — never secrets). */
export type LinkLog = (event: string, data: object) => void

/** How much bad input a peer may send before its connection is dropped. */
export interface StrikeOptions {
  /** Bad messages within `windowMs` that drop the connection. */
  limit: number
  windowMs: number
}

export const DEFAULT_STRIKES: StrikeOptions = { limit: 5, windowMs: 60_000 }
/** A connection silent this long (keep-alives count; HyperDHT sends one every 5 s) is dead. */
export const IDLE_TIMEOUT_MS = 20_000
/**
 * The agent's end gives up sooner: a manager that crashed (SIGKILL, power cut) says no goodbye,
 * and until the agent notices the silence it does not look for the restarted manager. Two missed
 * keep-alives (HyperDHT sends one every 5 s) and a margin; measured by `npm run bench -- reconnect`.
 */
export const AGENT_IDLE_TIMEOUT_MS = 12_000
/**
 * Until the manager's first message (its answer to the hello, or a pairing challenge) the agent
 * waits less: a live manager sends a keep-alive within 5 s even before it answers. (A connection
 * whose far end does not exist at all is given up sooner, by AgentLink's AGENT_FIRST_BYTES_MS.)
 */
export const AGENT_FIRST_WORD_MS = 8_000
/** How long a graceful close waits for the peer before destroying the connection. */
export const CLOSE_GRACE_MS = 2_000

/** What a channel shares with the link that owns it. */
export interface ChannelContext {
  keyPair: KeyPair
  clock: Clock
  seq: SeqCounter
  replay: ReplayGuard
  log: LinkLog
  ttlMs: number
  strikes: StrikeOptions
  /** Envelope size limit, both ways. */
  maxBytes: number
  /** A connection silent this long is dead. Default IDLE_TIMEOUT_MS. */
  idleTimeoutMs?: number
  /** Before the peer's first message, a silence this long is enough (default: idleTimeoutMs). */
  firstWordMs?: number
}

/** What a channel reports to the link. */
export interface ChannelHandlers {
  message (msg: Message, envelope: Envelope): void
  protocolError (code: ProtocolErrorCode, detail: string): void
  closed (): void
}

/** A verified, framed, bounded channel to one peer over one NoiseSecretStream. */
export class PeerChannel {
  /** The peer's public key, hex, as authenticated by the Noise handshake. */
  readonly remoteKey: string
  readonly #stream: NoiseSecretStream
  readonly #ctx: ChannelContext
  readonly #self: string
  #handlers: ChannelHandlers
  #strikes: number[] = []
  #closing = false
  #closed = false
  #heard = false

  constructor (stream: NoiseSecretStream, ctx: ChannelContext, handlers: ChannelHandlers) {
    this.#stream = stream
    this.#ctx = ctx
    this.#handlers = handlers
    this.#self = ctx.keyPair.publicKey.toString('hex')
    this.remoteKey = stream.remotePublicKey.toString('hex')
    stream.setTimeout(ctx.firstWordMs ?? ctx.idleTimeoutMs ?? IDLE_TIMEOUT_MS)
    stream.on('data', (data: Buffer) => this.#onData(data))
    // a peer that ends its side gets ours ended too, so the stream closes instead of hanging half-open
    stream.on('end', () => stream.end())
    stream.on('close', () => this.#onClose())
  }

  /** Whether a message written now can go out (not closing, not destroyed). */
  get writable (): boolean {
    return !this.#closing && !this.#closed && !this.#stream.destroying && !this.#stream.destroyed
  }

  /** Seals `body` now (fresh seq and times) under `id` and writes it. */
  send<T extends MessageType> (type: T, body: MessageBody<T>, id: string): void {
    const env = seal(this.#ctx.keyPair, { type, body, id, to: this.remoteKey, seq: this.#ctx.seq.next(), now: this.#ctx.clock.now(), ttlMs: this.#ctx.ttlMs })
    const bytes = encode(env)
    // the link checks sizes before queueing; this only guards against a bug there
    if (bytes.byteLength > this.#ctx.maxBytes) throw new Error(`envelope of ${bytes.byteLength} bytes exceeds ${this.#ctx.maxBytes}`)
    this.#stream.write(bytes)
  }

  /** Ends the connection after what was written has gone; destroys it if the peer lingers. */
  close (): void {
    if (this.#closing || this.#closed) return
    this.#closing = true
    this.#stream.end()
    this.#ctx.clock.schedule(() => this.destroy(), CLOSE_GRACE_MS)
  }

  /**
   * Ends the connection (the peer learns at once that we are going) and resolves when it has
   * closed, or after `ms` of real time, when it is destroyed: for a process shutting down.
   */
  closeWithin (ms: number): Promise<void> {
    if (this.#closed || this.#stream.destroyed) return Promise.resolve()
    return new Promise(resolve => {
      const timer = setTimeout(() => { this.destroy(); resolve() }, ms)
      timer.unref()
      this.#stream.once('close', () => { clearTimeout(timer); resolve() })
      this.#closing = true
      this.#stream.end()
    })
  }

  /** Drops the connection now. */
  destroy (): void {
    this.#closing = true
    if (!this.#stream.destroyed) this.#stream.destroy()
  }

  /** Stops reporting to the link (the connection was replaced by a newer one). */
  detach (): void {
    this.#handlers = { message () {}, protocolError () {}, closed () {} }
  }

  #onData (data: Buffer): void {
    if (this.#closed) return
    const result = openEnvelope(data, { now: this.#ctx.clock.now(), self: this.#self, expectFrom: this.remoteKey, replay: this.#ctx.replay, maxBytes: this.#ctx.maxBytes })
    if (result.ok) {
      if (!this.#heard) {
        this.#heard = true
        if (this.#ctx.firstWordMs !== undefined) this.#stream.setTimeout(this.#ctx.idleTimeoutMs ?? IDLE_TIMEOUT_MS)
      }
      try {
        this.#handlers.message(result.value, result.envelope)
      } catch (e) {
        // a bug in one handler must not take the connection (or the process) down with it
        this.#ctx.log('handler_error', { peer: this.remoteKey, type: result.value.type, id: result.value.id, error: String(e) })
        this.#reply('INTERNAL', 'the message could not be handled', result.value.id)
      }
      return
    }
    const code = result.error.code as ProtocolErrorCode
    const detail = String(result.error.params.detail ?? '')
    this.#ctx.log('protocol_error', { peer: this.remoteKey, code, detail, ref: result.ref })
    // never answer an error with an error: two confused peers would ping-pong forever
    if (result.type !== 'error') this.#reply(code, detail, result.ref)
    this.#handlers.protocolError(code, detail)
    this.#strike()
  }

  #reply (code: ProtocolErrorCode, detail: string, ref: string | undefined): void {
    if (!this.writable) return
    const body = { code, detail: detail.slice(0, 500), ...(ref !== undefined && { ref }) }
    this.send('error', body, newMessageId())
  }

  #strike (): void {
    const now = this.#ctx.clock.now()
    const { limit, windowMs } = this.#ctx.strikes
    this.#strikes = this.#strikes.filter(t => t > now - windowMs)
    this.#strikes.push(now)
    if (this.#strikes.length >= limit) {
      this.#ctx.log('peer_dropped', { peer: this.remoteKey, reason: `${limit} bad messages within ${windowMs} ms` })
      this.destroy()
    }
  }

  #onClose (): void {
    if (this.#closed) return
    this.#closed = true
    this.#handlers.closed()
  }
}
