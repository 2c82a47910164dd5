/**
 * A DHT testnet on 127.0.0.1, so the demo and the tests run Hyperswarm fully offline.
 */
import createTestnet from 'hyperdht/testnet.js'
import type { LinkNetwork } from './link/network.ts'

/** A running local testnet: the network to give links, and how to stop it. */
export interface LocalTestnet {
  network: LinkNetwork
  destroy (): Promise<void>
}

/**
 * Starts three DHT nodes on 127.0.0.1 (`createTestnet(3, { host: '127.0.0.1' })`). Each link
 * given `network` builds its own DHT node bootstrapped from them.
 *
 * @example
 *   const testnet = await localTestnet()
 *   const manager = new ManagerLink({ keyPair, admit, network: testnet.network })
 *   ...
 *   await testnet.destroy()
 */
export async function localTestnet (): Promise<LocalTestnet> {
  const testnet = await createTestnet(3, { host: '127.0.0.1' })
  let destroyed: Promise<void> | null = null
  return {
    network: { bootstrap: testnet.bootstrap.map(n => ({ host: n.host, port: n.port })), host: '127.0.0.1' },
    destroy: () => {
      destroyed ??= testnet.destroy()
      return destroyed
    }
  }
}
