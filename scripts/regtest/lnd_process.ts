/**
 * One lnd of the regtest network: where it lives, its command line, start and stop.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { authenticatedLndGrpc } from 'lightning'
import type { AuthenticatedLnd } from 'lightning'
import type { BtcdInfo } from './btcd.ts'
import { startDaemon, stopDaemon, runningPid } from './processes.ts'
import { STORMD_MACAROON_PERMISSIONS, STORMD_MACAROON_URIS } from '../../src/agent/lnd/permissions.ts'

/** One node of the network, as network.json lists it. */
export interface RegtestNodeInfo {
  alias: string
  /** Hex node public key (empty until the node first started). */
  publicKey: string
  /** `127.0.0.1:port` of its gRPC server. */
  grpcSocket: string
  /** `127.0.0.1:port` it takes peer connections on. */
  p2pSocket: string
  tlsCertPath: string
  /** The admin macaroon. */
  macaroonPath: string
  /** A macaroon with exactly the RPC methods stormd calls (docs/lnd.md). */
  stormMacaroonPath: string
  /** The same permissions by entity and action (docs/lnd.md). */
  stormEntityMacaroonPath: string
  lndDir: string
  logPath: string
  bin: string
  lncliBin: string
  /** The lncli command line for this node, for people debugging. */
  lncli: string
}

/** The network.json entry for node `alias` of a network in `dir`. */
export function lndInfo (dir: string, binDir: string, alias: string, p2pPort: number, grpcPort: number): RegtestNodeInfo {
  const lndDir = join(dir, alias)
  const grpcSocket = `127.0.0.1:${grpcPort}`
  return {
    alias,
    publicKey: '',
    grpcSocket,
    p2pSocket: `127.0.0.1:${p2pPort}`,
    tlsCertPath: join(lndDir, 'tls.cert'),
    macaroonPath: join(lndDir, 'data', 'chain', 'bitcoin', 'regtest', 'admin.macaroon'),
    lndDir,
    stormMacaroonPath: join(lndDir, 'stormd.macaroon'),
    stormEntityMacaroonPath: join(lndDir, 'stormd-entity.macaroon'),
    logPath: join(lndDir, 'logs', 'bitcoin', 'regtest', 'lnd.log'),
    bin: join(binDir, 'lnd'),
    lncliBin: join(binDir, 'lncli'),
    lncli: `${join(binDir, 'lncli')} --lnddir=${lndDir} --network=regtest --rpcserver=${grpcSocket}`
  }
}

/** Starts lnd (detached). It is ready once its macaroon exists and its RPC answers. */
export function startLndProcess (node: RegtestNodeInfo, btcd: BtcdInfo): void {
  mkdirSync(node.lndDir, { recursive: true })
  const args = [
    `--lnddir=${node.lndDir}`,
    `--alias=${node.alias}`,
    '--bitcoin.regtest',
    '--bitcoin.node=btcd',
    `--btcd.rpchost=${btcd.rpcSocket}`,
    `--btcd.rpcuser=${btcd.rpcUser}`,
    `--btcd.rpcpass=${btcd.rpcPass}`,
    `--btcd.rpccert=${btcd.rpcCertPath}`,
    '--noseedbackup', // test only: the wallet unlocks itself with a default password
    '--norest',
    '--nobootstrap',
    `--listen=${node.p2pSocket}`,
    `--externalip=${node.p2pSocket}`,
    `--rpclisten=${node.grpcSocket}`,
    '--tlsextraip=127.0.0.1',
    '--debuglevel=info',
    // speed: one confirmation opens a channel, gossip goes out at once
    '--bitcoin.defaultchanconfs=1',
    '--trickledelay=50',
    '--gossip.sub-batch-delay=5ms',
    '--gossip.channel-update-interval=1s',
    '--caches.rpc-graph-cache-duration=100ms',
    '--maxpendingchannels=10',
    '--chan-enable-timeout=2s',
    '--chan-status-sample-interval=1s',
    '--chan-disable-timeout=5s'
  ]
  startDaemon(node.bin, args, join(node.lndDir, 'lnd.out'), pidPath(node))
}

export async function stopLndProcess (node: RegtestNodeInfo): Promise<void> {
  await stopDaemon(pidPath(node), node.bin, 60_000)
}

export function lndRunning (node: RegtestNodeInfo): boolean {
  return runningPid(pidPath(node), node.bin) !== null
}

/** An authenticated `lightning` connection to the node (its files must exist). */
export function lndConnection (node: RegtestNodeInfo): AuthenticatedLnd {
  if (!existsSync(node.macaroonPath)) throw new Error(`${node.alias}: no macaroon yet at ${node.macaroonPath}`)
  const { lnd } = authenticatedLndGrpc({
    cert: readFileSync(node.tlsCertPath).toString('base64'),
    macaroon: readFileSync(node.macaroonPath).toString('base64'),
    socket: node.grpcSocket
  })
  return lnd
}

/** Bakes stormd's two scoped macaroons with lncli, as docs/lnd.md tells people to. */
export function bakeStormMacaroons (node: RegtestNodeInfo): void {
  const bake = (saveTo: string, permissions: readonly string[]): void => {
    const run = spawnSync(node.lncliBin, [
      `--lnddir=${node.lndDir}`, '--network=regtest', `--rpcserver=${node.grpcSocket}`,
      'bakemacaroon', `--save_to=${saveTo}`, ...permissions
    ], { encoding: 'utf8' })
    if (run.status !== 0) throw new Error(`${node.alias}: lncli bakemacaroon failed: ${run.stderr.trim()}`)
  }
  bake(node.stormMacaroonPath, STORMD_MACAROON_URIS.map(u => `uri:${u}`))
  bake(node.stormEntityMacaroonPath, STORMD_MACAROON_PERMISSIONS)
}

function pidPath (node: RegtestNodeInfo): string {
  return join(node.lndDir, 'lnd.pid')
}
