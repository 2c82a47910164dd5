/**
 * Type declarations for the Holepunch modules the protocol uses (they ship no types). Only what
 * Storm calls is declared; see each package's README for the rest.
 */

declare module 'hypercore-crypto' {
  interface KeyPair { publicKey: Buffer, secretKey: Buffer }
  const crypto: {
    /** A fresh ed25519 key pair, or a deterministic one from a 32-byte seed. */
    keyPair (seed?: Uint8Array): KeyPair
    validateKeyPair (keyPair: { publicKey: Uint8Array, secretKey: Uint8Array }): boolean
    sign (message: Uint8Array, secretKey: Uint8Array): Buffer
    verify (message: Uint8Array, signature: Uint8Array, publicKey: Uint8Array): boolean
    /** BLAKE2b-256 of one buffer or of the concatenation of several. */
    hash (data: Uint8Array | Uint8Array[]): Buffer
    randomBytes (n: number): Buffer
  }
  export default crypto
}

declare module 'hyperdht' {
  import type { EventEmitter } from 'node:events'

  export interface DhtKeyPair { publicKey: Buffer, secretKey: Buffer }
  export interface DhtNode { host: string, port: number }

  /** The encrypted, authenticated stream of one connection (@hyperswarm/secret-stream). */
  export interface NoiseSecretStream extends EventEmitter {
    readonly publicKey: Buffer
    readonly remotePublicKey: Buffer
    readonly isInitiator: boolean
    readonly destroyed: boolean
    readonly destroying: boolean
    /** Resolves true once the Noise handshake is done, false if the stream died first. */
    readonly opened: Promise<boolean>
    write (data: Uint8Array): boolean
    end (): void
    destroy (err?: Error): void
    /** Destroys the stream when nothing (not even a keep-alive) arrives for `ms`. */
    setTimeout (ms: number): void
    /** The UDX stream underneath, once the connection has a route (null before). */
    readonly rawStream: { readonly packetsReceived: number } | null
  }

  export interface DhtServer extends EventEmitter {
    listen (keyPair: DhtKeyPair): Promise<void>
    close (): Promise<void>
  }

  export interface DhtOptions {
    bootstrap?: Array<DhtNode | string>
    host?: string
    port?: number
    ephemeral?: boolean
    firewalled?: boolean
    keyPair?: DhtKeyPair
  }

  export default class HyperDHT extends EventEmitter {
    constructor (opts?: DhtOptions)
    static keyPair (seed?: Uint8Array): DhtKeyPair
    readonly destroyed: boolean
    /** The UDX instance (udx-native) its sockets and streams come from. */
    readonly udx: object
    ready (): Promise<void>
    fullyBootstrapped (): Promise<void>
    connect (remotePublicKey: Uint8Array, opts?: { keyPair?: DhtKeyPair }): NoiseSecretStream
    createServer (
      opts: { firewall?: (remotePublicKey: Buffer, payload: unknown, address: unknown) => boolean | Promise<boolean> },
      onconnection?: (conn: NoiseSecretStream) => void
    ): DhtServer
    destroy (opts?: { force?: boolean }): Promise<void>
  }
}

declare module 'hyperdht/testnet.js' {
  import type HyperDHT from 'hyperdht'
  import type { DhtNode } from 'hyperdht'

  export interface Testnet {
    nodes: HyperDHT[]
    bootstrap: DhtNode[]
    destroy (): Promise<void>
  }
  export default function createTestnet (size?: number, opts?: { host?: string, port?: number }): Promise<Testnet>
}

declare module 'hyperswarm' {
  import type { EventEmitter } from 'node:events'
  import type HyperDHT from 'hyperdht'
  import type { DhtKeyPair, NoiseSecretStream } from 'hyperdht'

  export interface PeerInfo { publicKey: Buffer, ban (banned: boolean): void }

  export default class Hyperswarm extends EventEmitter {
    constructor (opts?: { keyPair?: DhtKeyPair, dht?: HyperDHT, firewall?: (remotePublicKey: Buffer) => boolean })
    readonly keyPair: DhtKeyPair
    readonly connections: Set<NoiseSecretStream>
    joinPeer (publicKey: Uint8Array): void
    leavePeer (publicKey: Uint8Array): void
    listen (): Promise<void>
    destroy (): Promise<void>
    on (event: 'connection', listener: (conn: NoiseSecretStream, info: PeerInfo) => void): this
    on (event: string, listener: (...args: any[]) => void): this
  }
}

declare module 'hypercore' {
  /** An append-only log signed by its key pair (https://github.com/holepunchto/hypercore). */
  export default class Hypercore {
    constructor (storage: string, opts?: { keyPair?: { publicKey: Buffer, secretKey: Buffer }, valueEncoding?: 'json' | 'binary' | 'utf-8' })
    constructor (storage: string, key: Buffer, opts?: { valueEncoding?: 'json' | 'binary' | 'utf-8' })
    readonly key: Buffer
    readonly length: number
    ready (): Promise<void>
    append (block: unknown | unknown[]): Promise<{ length: number, byteLength: number }>
    get (index: number, opts?: { wait?: boolean }): Promise<unknown>
    /** The Merkle tree hash (32 bytes) of the first `length` blocks (default: all). */
    treeHash (length?: number): Promise<Buffer>
    close (): Promise<void>
  }
}
