/**
 * Which DHT a link joins, and building it. Absent → the public Hyperswarm DHT; `bootstrap` → a
 * DHT of our own on those bootstrap nodes (a private or local testnet); `dht` → that HyperDHT,
 * shared, never destroyed by the link.
 */
import HyperDHT from 'hyperdht'

/** Where a link finds its peers. */
export interface LinkNetwork {
  bootstrap?: Array<{ host: string, port: number }>
  /**
   * The address our own DHT node binds to. Default: 127.0.0.1 when every bootstrap node is on
   * the loopback (a local testnet), else all interfaces.
   */
  host?: string
  /** A HyperDHT to use as is (the link neither builds nor destroys one). */
  dht?: unknown
}

/** A DHT and whether the link owns it (and so must destroy it on close). */
export interface OpenedDht {
  dht: HyperDHT
  owned: boolean
}

/** Builds (or borrows) the DHT a link runs on. */
export function openDht (network: LinkNetwork | undefined): OpenedDht {
  if (network?.dht !== undefined) {
    if (!(network.dht instanceof HyperDHT)) throw new Error('LinkNetwork.dht must be a HyperDHT')
    return { dht: network.dht, owned: false }
  }
  const bootstrap = network?.bootstrap
  if (bootstrap === undefined) return { dht: new HyperDHT(), owned: true }
  const host = network?.host ?? (bootstrap.length > 0 && bootstrap.every(n => isLoopback(n.host)) ? '127.0.0.1' : undefined)
  return { dht: new HyperDHT({ bootstrap, ...(host !== undefined && { host }) }), owned: true }
}

/** Destroys the DHT if the link built it; never throws (closing must always finish). */
export async function closeDht ({ dht, owned }: OpenedDht): Promise<void> {
  if (!owned) return
  try {
    await dht.destroy()
  } catch {
    // a DHT that fails to close cleanly is still gone for us
  }
}

function isLoopback (host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.')
}
