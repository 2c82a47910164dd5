/** Connecting to LND from stormd's configuration. */
import { authenticatedLndGrpc } from 'lightning'
import { SYSTEM_CLOCK } from '../../shared/clock.ts'
import type { Clock } from '../../shared/clock.ts'
import type { LightningNode } from '../lightning_port.ts'
import { lndCredentials } from './config.ts'
import { LndNode } from './lnd_node.ts'

export interface ConnectOptions {
  /** Drives the subscriptions' reconnection delays. */
  clock?: Clock
}

/**
 * A `LightningNode` on the LND that `config` names (the `stormd.conf` keys `nodeHost`,
 * `nodeRpcPort`, `nodeMacaroon`, `nodeTlsCert`, or `lndconnect`). Reads the certificate and
 * macaroon files now; connects lazily, so an LND that is down shows as `LN_UNAVAILABLE` on the
 * first call, not here. Errors: `CONFIG_INVALID` {key, reason}, `CONFIG_UNREADABLE` {path, reason}.
 *
 * @example
 *   const node = connectLnd({ node: 'lnd', nodeMacaroon: '~/.lnd/storm.macaroon', nodeRpcPort: 10009 })
 *   const info = await node.getInfo()
 */
export function connectLnd (config: unknown, options: ConnectOptions = {}): LightningNode {
  const credentials = lndCredentials(config)
  const { lnd } = authenticatedLndGrpc({
    socket: credentials.socket,
    macaroon: credentials.macaroon,
    ...(credentials.cert === undefined ? {} : { cert: credentials.cert })
  })
  return new LndNode(lnd, options.clock ?? SYSTEM_CLOCK)
}
