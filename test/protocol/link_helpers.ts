/** Shared set-up for the link tests: a local testnet, links that close themselves, a raw peer. */
import type { TestContext } from 'node:test'
import HyperDHT from 'hyperdht'
import type { NoiseSecretStream } from 'hyperdht'
import Hyperswarm from 'hyperswarm'
import { AgentLink, generateKeyPair, ManagerLink, openEnvelope, ReplayGuard } from '../../src/protocol/index.ts'
import type { AdmitKind, AgentLinkOptions, KeyPair, LinkNetwork, ManagerLinkOptions, OpenResult } from '../../src/protocol/index.ts'
import { waitFor } from './wait_for.ts'

/** Fast reconnects for tests: real time, but milliseconds rather than seconds. */
export const TEST_BACKOFF = { initialMs: 20, maxMs: 200 }

/** Who the manager admits, changeable during a test. */
export class Roster {
  readonly kinds = new Map<string, AdmitKind>()
  set (keyPair: KeyPair, kind: AdmitKind | null): void {
    const key = keyPair.publicKey.toString('hex')
    if (kind === null) this.kinds.delete(key)
    else this.kinds.set(key, kind)
  }

  readonly admit = (key: string): AdmitKind | null => this.kinds.get(key) ?? null
}

export async function startManager (t: TestContext, network: LinkNetwork, opts: Partial<ManagerLinkOptions> & { roster: Roster, keyPair?: KeyPair }): Promise<ManagerLink> {
  const link = new ManagerLink({ keyPair: opts.keyPair ?? generateKeyPair(), network, ...opts, admit: opts.roster.admit })
  t.after(() => link.close())
  await link.listen()
  return link
}

export function startAgent (t: TestContext, network: LinkNetwork, manager: ManagerLink, opts: Partial<AgentLinkOptions> & { keyPair: KeyPair }): AgentLink {
  const link = new AgentLink({ managerKey: manager.publicKey, network, backoff: TEST_BACKOFF, ...opts })
  t.after(() => link.close())
  link.start()
  return link
}

/**
 * A peer that speaks raw Hyperswarm to the manager (no AgentLink): it can write anything, and
 * reads what comes back as envelopes addressed to it.
 */
export class RawPeer {
  readonly keyPair: KeyPair
  readonly replies: OpenResult[] = []
  readonly #replay = new ReplayGuard()
  #swarm: Hyperswarm
  #managerKey: string
  conn: NoiseSecretStream | null = null
  #closed = false

  constructor (network: LinkNetwork, managerKey: string, keyPair: KeyPair) {
    this.keyPair = keyPair
    this.#managerKey = managerKey
    this.#swarm = new Hyperswarm({ keyPair, dht: new HyperDHT({ bootstrap: network.bootstrap ?? [], host: '127.0.0.1' }) })
    this.#swarm.on('connection', (conn) => {
      conn.on('error', () => {})
      this.conn = conn
      conn.on('data', (data: Buffer) => {
        this.replies.push(openEnvelope(data, { now: Date.now(), self: keyPair.publicKey.toString('hex'), expectFrom: managerKey, replay: this.#replay }))
        this.#swarm.emit('reply')
      })
      conn.on('close', () => this.#swarm.emit('closed', conn))
    })
  }

  /** Connects (Hyperswarm's joinPeer) and resolves once the connection is open. */
  async connect (): Promise<NoiseSecretStream> {
    const opened = waitFor<[NoiseSecretStream]>(this.#swarm, 'connection', 'the raw peer to connect')
    this.#swarm.joinPeer(Buffer.from(this.#managerKey, 'hex'))
    const [conn] = await opened
    // no automatic reconnect: the tests decide when this peer comes back
    this.#swarm.leavePeer(Buffer.from(this.#managerKey, 'hex'))
    return conn
  }

  /** Writes bytes and waits for the reply they provoke. */
  async exchange (bytes: Uint8Array): Promise<OpenResult> {
    const before = this.replies.length
    const replied = waitFor(this.#swarm, 'reply', 'a reply from the manager', { match: () => this.replies.length > before })
    this.conn!.write(bytes)
    await replied
    return this.replies[before]!
  }

  /** Resolves when the current connection closes. */
  closed (): Promise<unknown> {
    const conn = this.conn!
    if (conn.destroyed) return Promise.resolve()
    return waitFor(this.#swarm, 'closed', 'the manager to drop the raw connection', { match: (c: unknown) => c === conn })
  }

  async destroy (): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    await this.#swarm.destroy()
  }
}
