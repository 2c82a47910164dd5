/**
 * The regtest network for Storm's real-LND tests: one btcd and a few lnd (alice, bob, carol,
 * dave, and erin, whom only the move test gives channels) on loopback, funded and mined past coinbase maturity and soft-fork activation. Used by
 * the CLI (`npm run regtest:up` / `regtest:down`) and by the tests.
 *
 * @example
 *   const net = await loadNetwork()            // the network `regtest:up` started
 *   const ab = await net.openChannel('alice', 'bob', 1_000_000)
 *   await net.stopLnd('bob'); await net.startLnd('bob')
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, renameSync } from 'node:fs'
import { join } from 'node:path'
import { createChainAddress, getChainBalance, getWalletInfo } from 'lightning'
import type { AuthenticatedLnd } from 'lightning'
import { btcdInfo, btcdRunning, startBtcd, stopBtcd, generate, blockCount } from './btcd.ts'
import type { BtcdInfo } from './btcd.ts'
import { lndInfo, startLndProcess, stopLndProcess, lndRunning, lndConnection, bakeStormMacaroons } from './lnd_process.ts'
import type { RegtestNodeInfo } from './lnd_process.ts'
import { assertPortsFree, waitUntil, WaitAborted } from './processes.ts'
import { ensureBinaries, pinnedVersions } from './binaries.ts'
import { openChannels } from './channels.ts'
import type { ChannelSpec, OpenedTestChannel } from './channels.ts'

export type { RegtestNodeInfo, BtcdInfo, ChannelSpec, OpenedTestChannel }

export const DEFAULT_ALIASES = ['alice', 'bob', 'carol', 'dave', 'erin'] as const
/** Blocks mined at start: past coinbase maturity (100) and segwit/taproot activation (432). */
export const INITIAL_BLOCKS = 500
const DEFAULT_BASE_PORT = 29700
/** How long a node may take to sync after the initial mining before it is taken for stuck. */
const STUCK_SYNC_MS = 45_000

/** network.json: everything a test or a person needs to reach the network. */
export interface NetworkFile {
  dir: string
  basePort: number
  versions: { lnd: string, btcd: string }
  btcd: BtcdInfo
  nodes: RegtestNodeInfo[]
  startedAt: string
}

export interface StartOptions {
  /** State directory; default `$STORM_REGTEST_DIR` or /tmp/storm-regtest. */
  dir?: string
  /** First of the ports used; default `$STORM_REGTEST_PORT` or 29700. */
  basePort?: number
  aliases?: string[]
  /** Progress lines (the CLI prints them). */
  log?: (line: string) => void
}

/** The state directory in use. */
export function regtestDir (): string {
  return process.env.STORM_REGTEST_DIR ?? '/tmp/storm-regtest'
}

/** True when a network runs in `dir` (its btcd is alive). */
export function isNetworkUp (dir = regtestDir()): boolean {
  const file = readNetworkFile(dir)
  return file !== null && btcdRunning(file.btcd)
}

/**
 * Starts a network in `dir`: builds the binaries if needed, starts btcd and the lnd nodes,
 * mines to each node's wallet and waits until every node is synced. Fails clearly when a
 * network is already up there; on failure it stops what it started and keeps the logs.
 */
export async function startNetwork (options: StartOptions = {}): Promise<RegtestNetwork> {
  const dir = options.dir ?? regtestDir()
  const log = options.log ?? (() => {})
  if (isNetworkUp(dir)) throw new Error(`a regtest network is already up in ${dir}: run npm run regtest:down first`)
  await stopNetwork(dir) // leftovers of a network that died
  const basePort = options.basePort ?? Number(process.env.STORM_REGTEST_PORT ?? DEFAULT_BASE_PORT)
  const aliases = options.aliases ?? [...DEFAULT_ALIASES]
  const ports = [basePort, ...aliases.flatMap((_, i) => [basePort + 10 + 10 * i, basePort + 11 + 10 * i])]
  await assertPortsFree(ports)

  const bins = ensureBinaries(log)
  mkdirSync(dir, { recursive: true })
  const file: NetworkFile = {
    dir,
    basePort,
    versions: pinnedVersions(),
    btcd: btcdInfo(dir, bins.btcd, basePort),
    nodes: aliases.map((alias, i) => lndInfo(dir, bins.lnd, alias, basePort + 10 + 10 * i, basePort + 11 + 10 * i)),
    startedAt: new Date().toISOString()
  }
  writeNetworkFile(file) // first, so `down` can clean up whatever happens next
  const net = new RegtestNetwork(file)
  try {
    log(`starting btcd on ${file.btcd.rpcSocket}`)
    await startBtcd(file.btcd)
    log(`starting lnd ${aliases.join(', ')}`)
    for (const node of file.nodes) startLndProcess(node, file.btcd)
    const addresses = await Promise.all(file.nodes.map(async node => await firstAddress(net, node)))
    // btcd takes its coinbase addresses only at start: restart it with one address per node
    log('restarting btcd to mine to the lnd wallets')
    await stopBtcd(file.btcd)
    await startBtcd(file.btcd, addresses)
    log(`mining ${INITIAL_BLOCKS} blocks`)
    for (let mined = 0; mined < INITIAL_BLOCKS; mined += 100) await generate(file.btcd, Math.min(100, INITIAL_BLOCKS - mined))
    for (const node of file.nodes) {
      // an lnd whose wallet lost the reply to its rescan when btcd restarted under it ("Received
      // unexpected reply: null") waits for it forever: such a node is restarted, once
      try {
        await net.waitForSync([node.alias], STUCK_SYNC_MS)
      } catch {
        log(`${node.alias} is stuck syncing since btcd restarted: restarting it`)
        await net.stopLnd(node.alias)
        await net.startLnd(node.alias)
      }
    }
    for (const node of file.nodes) {
      const info = await getWalletInfo({ lnd: net.lnd(node.alias) })
      node.publicKey = info.public_key
      bakeStormMacaroons(node)
    }
    writeNetworkFile(file)
    const funded = await waitUntil(async () => {
      const balances = await Promise.all(aliases.map(async a => await getChainBalance({ lnd: net.lnd(a) })))
      return balances.every(b => b.chain_balance > 0)
    }, 60_000, 250)
    if (!funded) throw new Error('the lnd wallets did not see their coinbase funds')
    log(`up: ${join(dir, 'network.json')}`)
    return net
  } catch (e) {
    await net.stopProcesses()
    throw new Error(`regtest network failed to start (logs kept in ${dir}): ${(e as Error).message}`, { cause: e })
  }
}

/** The network already running in `dir`. */
export function loadNetwork (dir = regtestDir()): RegtestNetwork {
  const file = readNetworkFile(dir)
  if (file === null || !btcdRunning(file.btcd)) throw new Error(`no regtest network is up in ${dir}: run npm run regtest:up`)
  return new RegtestNetwork(file)
}

/**
 * Stops every daemon of the network in `dir` (by pid file) and removes the directory. A
 * directory that is not a regtest state directory (no network.json, not empty) is left alone.
 */
export async function stopNetwork (dir = regtestDir()): Promise<void> {
  const file = readNetworkFile(dir)
  if (file !== null) await new RegtestNetwork(file).stopProcesses()
  else if (existsSync(dir) && readdirSync(dir).length > 0) throw new Error(`${dir} is not a regtest state directory (no network.json): not removing it`)
  rmSync(dir, { recursive: true, force: true })
}

/** A running network: its nodes, mining, stopping and starting one lnd, opening channels. */
export class RegtestNetwork {
  readonly file: NetworkFile
  #connections = new Map<string, AuthenticatedLnd>()

  constructor (file: NetworkFile) {
    this.file = file
  }

  get dir (): string { return this.file.dir }
  get aliases (): string[] { return this.file.nodes.map(n => n.alias) }

  /** Node `alias` (throws on an unknown alias). */
  node (alias: string): RegtestNodeInfo {
    const node = this.file.nodes.find(n => n.alias === alias)
    if (node === undefined) throw new Error(`no node ${alias} in the regtest network (${this.aliases.join(', ')})`)
    return node
  }

  /**
   * The stormd.conf keys that reach node `alias` with stormd's scoped macaroon (by RPC method,
   * or by entity), ready for `connectLnd` or a stormd under test.
   */
  stormdConf (alias: string, macaroon: 'uri' | 'entity' = 'uri'): { node: 'lnd', nodeHost: string, nodeRpcPort: number, nodeMacaroon: string, nodeTlsCert: string } {
    const node = this.node(alias)
    const [host, port] = node.grpcSocket.split(':')
    return {
      node: 'lnd',
      nodeHost: host!,
      nodeRpcPort: Number(port),
      nodeMacaroon: macaroon === 'uri' ? node.stormMacaroonPath : node.stormEntityMacaroonPath,
      nodeTlsCert: node.tlsCertPath
    }
  }

  /** An admin `lightning` connection to node `alias`, for setting up and checking tests. */
  lnd (alias: string): AuthenticatedLnd {
    let lnd = this.#connections.get(alias)
    if (lnd === undefined) {
      lnd = lndConnection(this.node(alias))
      this.#connections.set(alias, lnd)
    }
    return lnd
  }

  /** The chain height at btcd. */
  async height (): Promise<number> {
    return await blockCount(this.file.btcd)
  }

  /** Mines `blocks` blocks and waits until every running node has seen them; returns the height. */
  async mine (blocks: number): Promise<number> {
    await generate(this.file.btcd, blocks)
    await this.waitForSync()
    return await this.height()
  }

  /** Waits until each running node (or each of `aliases`) is synced to btcd's tip. */
  async waitForSync (aliases = this.aliases.filter(a => lndRunning(this.node(a))), timeoutMs = 120_000): Promise<void> {
    const height = await this.height()
    for (const alias of aliases) {
      const synced = await waitUntil(async () => {
        const info = await getWalletInfo({ lnd: this.lnd(alias) })
        return info.is_synced_to_chain && info.current_block_height >= height
      }, timeoutMs, 100)
      if (!synced) throw new Error(`${alias} did not sync to height ${height}: see ${this.node(alias).logPath}`)
    }
  }

  /** Stops node `alias` (SIGTERM, waits for it to exit). */
  async stopLnd (alias: string): Promise<void> {
    await stopLndProcess(this.node(alias))
  }

  /** Starts node `alias` again and waits until it answers and is synced. */
  async startLnd (alias: string): Promise<void> {
    const node = this.node(alias)
    if (lndRunning(node)) throw new Error(`${alias} is already running`)
    startLndProcess(node, this.file.btcd)
    await this.waitForSync([alias])
  }

  isLndRunning (alias: string): boolean {
    return lndRunning(this.node(alias))
  }

  /**
   * Opens channels, all in one round of mining; each is active on both sides and, unless
   * `announce` is false, its both policies are in every running node's graph.
   */
  async openChannels (specs: ChannelSpec[], announce = true): Promise<OpenedTestChannel[]> {
    return await openChannels(this, specs, announce)
  }

  /** Opens one channel `from` → `to` of `capacity` sats (`push` sats given to `to`). */
  async openChannel (from: string, to: string, capacity: number, push = 0): Promise<OpenedTestChannel> {
    const [opened] = await this.openChannels([{ from, to, capacity, push }])
    return opened!
  }

  /** Stops every daemon (nodes first, then btcd). */
  async stopProcesses (): Promise<void> {
    await Promise.all(this.file.nodes.map(async node => await stopLndProcess(node)))
    await stopBtcd(this.file.btcd)
  }
}

/** A fresh address of `node`'s wallet, once its RPC answers. */
async function firstAddress (net: RegtestNetwork, node: RegtestNodeInfo): Promise<string> {
  let address = ''
  const ready = await waitUntil(async () => {
    if (!lndRunning(node)) throw new WaitAborted(`${node.alias} exited: see ${node.logPath} and ${join(node.lndDir, 'lnd.out')}`)
    if (!existsSync(node.macaroonPath)) return false
    address = (await createChainAddress({ lnd: net.lnd(node.alias), format: 'p2wpkh' })).address
    return true
  }, 120_000, 250)
  if (!ready) throw new Error(`${node.alias} did not start: see ${node.logPath} and ${join(node.lndDir, 'lnd.out')}`)
  return address
}

function readNetworkFile (dir: string): NetworkFile | null {
  const path = join(dir, 'network.json')
  if (!existsSync(path)) return null
  return JSON.parse(readFileSync(path, 'utf8')) as NetworkFile
}

function writeNetworkFile (file: NetworkFile): void {
  const path = join(file.dir, 'network.json')
  writeFileSync(path + '.tmp', JSON.stringify(file, null, 2) + '\n')
  renameSync(path + '.tmp', path)
}
