/**
 * The manager's end of the link: listens on the DHT under the manager's persistent key, admits
 * agents by key at the Noise handshake, and keeps one channel and one outbox per agent.
 *
 * Built on HyperDHT's server (the layer Hyperswarm's own server is), not the Hyperswarm class:
 * Hyperswarm bans a key its firewall refused for the life of the swarm, so a key refused once
 * (an agent that connected before its pairing completed, a ban later lifted) would stay refused
 * until a restart. Here `admit` is asked afresh on every connection.
 */
import { EventEmitter } from 'node:events'
import type { DhtServer, NoiseSecretStream } from 'hyperdht'
import { SYSTEM_CLOCK } from '../../shared/clock.ts'
import type { Clock } from '../../shared/clock.ts'
import { DEFAULT_TTL_MS, MAX_ENVELOPE_BYTES, newMessageId } from '../envelope.ts'
import type { Envelope, ProtocolErrorCode } from '../envelope.ts'
import type { KeyPair } from '../keys.ts'
import { AgentKeySchema } from '../messages.ts'
import type { Message, MessageBody, MessageType } from '../messages.ts'
import { ReplayGuard, SeqCounter } from '../replay_guard.ts'
import { closeDht, openDht } from './network.ts'
import type { LinkNetwork, OpenedDht } from './network.ts'
import { Outbox } from './outbox.ts'
import { setReadBufferBytes } from './udx_read_buffer.ts'
import { CLOSE_GRACE_MS, DEFAULT_STRIKES, PeerChannel } from './peer_channel.ts'
import type { ChannelContext, LinkLog, StrikeOptions } from './peer_channel.ts'
import { prepareBody } from './prepare_body.ts'

/** How an agent's key is admitted: a paired member, or a one-time pairing key. */
export type AdmitKind = 'member' | 'pairing'

export interface ManagerLinkOptions {
  keyPair: KeyPair
  /** Absent → the public DHT. */
  network?: LinkNetwork
  /** Asked on every incoming connection; `null` refuses the key at the handshake. Must be fast. */
  admit: (agentKeyHex: string) => AdmitKind | null
  clock?: Clock
  log?: LinkLog
  /** Messages kept per agent while it is not connected (oldest dropped beyond). Default 1000. */
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
  /** Bad messages tolerated before a connection is dropped. Default 5 within 60 s. */
  strikes?: StrikeOptions
  /**
   * Each connection's UDX read buffer, bytes (≥ 4096; see `udx_read_buffer.ts`). Default:
   * udx-native's 66 KiB, which is most of what a connection costs in memory. Set on the DHT's
   * UDX instance: with a shared `network.dht`, its other streams get it too.
   */
  readBufferBytes?: number
}

/** Events of a ManagerLink, with their arguments. */
export interface ManagerLinkEvents {
  message: [agentKey: string, msg: Message, kind: AdmitKind, envelope: Envelope]
  connected: [agentKey: string, kind: AdmitKind]
  disconnected: [agentKey: string]
  protocol_error: [agentKey: string, code: ProtocolErrorCode, detail: string]
  /** A key `admit` refused (or an admit that threw), at the handshake. */
  refused: [agentKey: string]
}

/**
 * @example
 *   const link = new ManagerLink({ keyPair, admit: key => members.has(key) ? 'member' : null })
 *   link.on('message', (agent, msg) => ...)
 *   await link.listen()
 *   const id = link.send(agentKey, 'directive', directive)
 */
export class ManagerLink extends EventEmitter<ManagerLinkEvents> {
  /** The manager's public key, hex: what agents connect to. */
  readonly publicKey: string
  readonly #opts: ManagerLinkOptions
  readonly #ctx: ChannelContext
  readonly #peers = new Map<string, { channel: PeerChannel, kind: AdmitKind }>()
  readonly #outboxes = new Map<string, Outbox>()
  #dht: OpenedDht | null = null
  #server: DhtServer | null = null
  #closed = false

  constructor (opts: ManagerLinkOptions) {
    super()
    this.#opts = opts
    this.publicKey = opts.keyPair.publicKey.toString('hex')
    const clock = opts.clock ?? SYSTEM_CLOCK
    this.#ctx = {
      keyPair: opts.keyPair,
      clock,
      seq: new SeqCounter(clock),
      replay: new ReplayGuard({ clock, ...(opts.replayFile === undefined ? {} : { file: opts.replayFile }) }),
      log: opts.log ?? (() => {}),
      ttlMs: opts.ttlMs ?? DEFAULT_TTL_MS,
      strikes: opts.strikes ?? DEFAULT_STRIKES,
      maxBytes: opts.maxEnvelopeBytes ?? MAX_ENVELOPE_BYTES
    }
  }

  /** Joins the DHT and announces the manager's key; resolves once agents can connect. */
  async listen (): Promise<void> {
    if (this.#closed) throw new Error('ManagerLink is closed')
    if (this.#server !== null) throw new Error('ManagerLink is already listening')
    this.#dht = openDht(this.#opts.network)
    if (this.#opts.readBufferBytes !== undefined) setReadBufferBytes(this.#dht.dht.udx, this.#opts.readBufferBytes)
    this.#server = this.#dht.dht.createServer(
      { firewall: (remoteKey) => this.#firewall(remoteKey.toString('hex')) },
      (stream) => this.#onConnection(stream)
    )
    await this.#server.listen(this.#opts.keyPair)
    this.#ctx.log('listening', { key: this.publicKey })
  }

  /**
   * Seals and sends now if the agent is connected, else queues (bounded) and sends when it
   * connects. Returns the message id.
   *
   * Errors (thrown): BAD_BODY, TOO_LARGE (StormError); a malformed agent key (Error).
   */
  send<T extends MessageType> (agentKey: string, type: T, body: MessageBody<T>): string {
    if (!AgentKeySchema.safeParse(agentKey).success) throw new Error('send: agentKey must be 32 bytes of lowercase hex')
    const prepared = prepareBody(type, body, this.#ctx.maxBytes)
    const id = newMessageId()
    let outbox = this.#outboxes.get(agentKey)
    if (outbox === undefined) {
      outbox = new Outbox(this.#opts.queueLimit)
      this.#outboxes.set(agentKey, outbox)
    }
    const dropped = outbox.push({ id, type, body: prepared })
    if (dropped !== undefined) this.#ctx.log('queue_overflow', { peer: agentKey, dropped: dropped.id, type: dropped.type })
    this.#flush(agentKey)
    return id
  }

  isConnected (agentKey: string): boolean {
    return this.#peers.get(agentKey)?.channel.writable ?? false
  }

  /** The agents connected now, with how each was admitted. */
  connectedAgents (): Array<{ agentKey: string, kind: AdmitKind }> {
    return [...this.#peers].filter(([, p]) => p.channel.writable).map(([agentKey, p]) => ({ agentKey, kind: p.kind }))
  }

  /**
   * Closes the connection to that agent (after a cut_off or a ban) and clears its queue. What was
   * already sent (the cut_off) still goes out first. Make `admit` refuse the key before calling
   * this, or the agent will simply reconnect.
   */
  drop (agentKey: string): void {
    this.#outboxes.delete(agentKey)
    const peer = this.#peers.get(agentKey)
    if (peer === undefined) return
    this.#peers.delete(agentKey)
    peer.channel.detach()
    peer.channel.close()
    this.#ctx.log('dropped', { peer: agentKey })
    this.emit('disconnected', agentKey)
  }

  /** Closes every connection, stops listening, leaves the DHT (if the link built it). */
  async close (): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    // ended, not destroyed: each agent learns at once that the manager is going, and looks for
    // it again from then (a destroyed stream says nothing: agents found out after their idle timeout)
    const channels = [...this.#peers.values()].map(p => p.channel)
    this.#peers.clear()
    for (const channel of channels) channel.detach()
    await Promise.all(channels.map(c => c.closeWithin(CLOSE_GRACE_MS)))
    try {
      await this.#server?.close()
    } catch (e) {
      this.#ctx.log('close_error', { error: String(e) })
    }
    this.#ctx.replay.close()
    if (this.#dht !== null) await closeDht(this.#dht)
    this.#ctx.log('closed', { key: this.publicKey })
  }

  /** The HyperDHT firewall: true refuses the connection before the Noise handshake completes. */
  #firewall (agentKey: string): boolean {
    if (this.#closed) return true
    if (this.#admit(agentKey) !== null) return false
    this.emit('refused', agentKey)
    return true
  }

  #admit (agentKey: string): AdmitKind | null {
    try {
      const kind = this.#opts.admit(agentKey)
      if (kind === null) this.#ctx.log('refused', { peer: agentKey })
      return kind
    } catch (e) {
      this.#ctx.log('admit_error', { peer: agentKey, error: String(e) })
      return null
    }
  }

  #onConnection (stream: NoiseSecretStream): void {
    const agentKey = stream.remotePublicKey.toString('hex')
    stream.on('error', (e: NodeJS.ErrnoException) => this.#ctx.log('connection_error', { peer: agentKey, code: e.code ?? e.message }))
    // asked again: the answer may have changed since the handshake, and it gives the kind
    const kind = this.#closed ? null : this.#admit(agentKey)
    if (kind === null) {
      stream.destroy()
      return
    }
    stream.opened.then((opened) => {
      if (!opened) return
      if (this.#closed) {
        stream.destroy()
        return
      }
      this.#register(stream, agentKey, kind)
    }, () => {})
  }

  #register (stream: NoiseSecretStream, agentKey: string, kind: AdmitKind): void {
    // it may have died between opening and this microtask: its 'close' has then already fired
    if (stream.destroyed || stream.destroying) return
    const existing = this.#peers.get(agentKey)
    if (existing !== undefined) {
      // the agent reconnected before we noticed its old connection die: the new one wins
      this.#peers.delete(agentKey)
      existing.channel.detach()
      existing.channel.destroy()
      this.#ctx.log('replaced', { peer: agentKey })
      this.emit('disconnected', agentKey)
    }
    const channel: PeerChannel = new PeerChannel(stream, this.#ctx, {
      message: (msg, envelope) => this.emit('message', agentKey, msg, kind, envelope),
      protocolError: (code, detail) => this.emit('protocol_error', agentKey, code, detail),
      closed: () => {
        if (this.#peers.get(agentKey)?.channel !== channel) return
        this.#peers.delete(agentKey)
        this.#ctx.log('disconnected', { peer: agentKey })
        this.emit('disconnected', agentKey)
      }
    })
    this.#peers.set(agentKey, { channel, kind })
    this.#ctx.log('connected', { peer: agentKey, kind })
    this.#flush(agentKey)
    this.emit('connected', agentKey, kind)
  }

  #flush (agentKey: string): void {
    const peer = this.#peers.get(agentKey)
    const outbox = this.#outboxes.get(agentKey)
    if (peer === undefined || outbox === undefined) return
    while (outbox.size > 0 && peer.channel.writable) {
      const item = outbox.shift()!
      peer.channel.send(item.type, item.body as MessageBody<typeof item.type>, item.id)
    }
    if (outbox.size === 0) this.#outboxes.delete(agentKey)
  }
}
