/**
 * Which DHT a link joins, and building it. Absent → the public Hyperswarm DHT; `bootstrap` → a
 * DHT of our own on those bootstrap nodes (a private or local testnet); `dht` → that HyperDHT,
 * shared, never destroyed by the link.
 *
 * On a loopback testnet an agent's node is told it is reachable (`firewalled: false`), which
 * is a fact there (127.0.0.1 has no NAT and no firewall) and what the public DHT concludes by
 * itself for a reachable node: HyperDHT asks other nodes to ping a new node back while it
 * bootstraps and drops `firewalled` when the ping arrives. On a three-node loopback testnet the
 * bootstrap is over in a few milliseconds, before that ping returns, so the test is skipped and
 * the node believes it is firewalled until its next test, ~20 minutes later. An agent that knows
 * it is reachable puts its address in its handshake and the manager connects straight back to it.
 * One that does not gets a holepunch, and between two peers on one host or LAN hyperdht 6.33–6.34
 * races its LAN shortcut with that holepunch: a manager whose NAT analysis is inconclusive (always,
 * on a testnet this small) aborts the holepunch and destroys its half while the agent's LAN path
 * has already opened, so the agent holds a connection nobody answers (hyperdht issue #304;
 * AgentLink's first-bytes check is what catches that on the real DHT). The manager's node is left
 * to HyperDHT's own test: told it is reachable too, a restarted manager was found ~4 s later
 * (`npm run bench -- reconnect`).
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
  /**
   * The UDP port our own DHT node binds (HyperDHT's default: 49737, or any free port when that
   * one is taken). A restarted stormd binds the port its previous process had.
   */
  port?: number
  /** A HyperDHT to use as is (the link neither builds nor destroys one). */
  dht?: unknown
}

/** A DHT and whether the link owns it (and so must destroy it on close). */
export interface OpenedDht {
  dht: HyperDHT
  owned: boolean
}

/**
 * Builds (or borrows) the DHT a link runs on. `reachableOnLoopback`: on a loopback testnet, the
 * node says it is reachable (the agent's end; see above).
 */
export function openDht (network: LinkNetwork | undefined, { reachableOnLoopback = false } = {}): OpenedDht {
  if (network?.dht !== undefined) {
    if (!(network.dht instanceof HyperDHT)) throw new Error('LinkNetwork.dht must be a HyperDHT')
    return { dht: network.dht, owned: false }
  }
  const bootstrap = network?.bootstrap
  if (bootstrap === undefined) return { dht: new HyperDHT(), owned: true }
  const loopback = bootstrap.length > 0 && bootstrap.every(n => isLoopback(n.host))
  const host = network?.host ?? (loopback ? '127.0.0.1' : undefined)
  const reachable = reachableOnLoopback && loopback && host !== undefined && isLoopback(host)
  return {
    dht: new HyperDHT({
      bootstrap,
      ...(host !== undefined && { host }),
      ...(network?.port !== undefined && { port: network.port }),
      ...(reachable && { firewalled: false })
    }),
    owned: true
  }
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
