/**
 * btcd in regtest: its command line, and a small JSON-RPC client (TLS with btcd's own
 * self-signed certificate, basic auth) for mining and reading the chain tip.
 */
import { request } from 'node:https'
import { readFileSync, mkdirSync, existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { startDaemon, stopDaemon, runningPid, waitUntil, WaitAborted } from './processes.ts'

/** Where and how btcd runs; saved in network.json. */
export interface BtcdInfo {
  /** `127.0.0.1:port` of its RPC server (TLS). */
  rpcSocket: string
  rpcUser: string
  rpcPass: string
  /** btcd's RPC TLS certificate (lnd's `--btcd.rpccert`). */
  rpcCertPath: string
  dir: string
  bin: string
  btcctl: string
}

/** The btcd section of network.json for a network in `dir`. */
export function btcdInfo (dir: string, binDir: string, rpcPort: number): BtcdInfo {
  const btcdDir = join(dir, 'btcd')
  return {
    rpcSocket: `127.0.0.1:${rpcPort}`,
    rpcUser: 'storm',
    rpcPass: 'storm',
    rpcCertPath: join(btcdDir, 'rpc.cert'),
    dir: btcdDir,
    bin: join(binDir, 'btcd'),
    btcctl: join(binDir, 'btcctl')
  }
}

/**
 * Starts btcd and waits for its RPC. `miningAddresses` receive the coinbases of `generate`
 * (btcd picks one at random per block); without any, btcd cannot mine.
 */
export async function startBtcd (info: BtcdInfo, miningAddresses: string[] = []): Promise<void> {
  mkdirSync(info.dir, { recursive: true })
  const args = [
    '--regtest',
    `--configfile=${join(info.dir, 'btcd.conf')}`,
    `--datadir=${join(info.dir, 'data')}`,
    `--logdir=${join(info.dir, 'logs')}`,
    `--rpcuser=${info.rpcUser}`,
    `--rpcpass=${info.rpcPass}`,
    `--rpclisten=${info.rpcSocket}`,
    `--rpccert=${info.rpcCertPath}`,
    `--rpckey=${join(info.dir, 'rpc.key')}`,
    '--nolisten',
    '--txindex', // lnd's btcd backend needs it
    '--nobanning',
    '--rpcmaxwebsockets=50',
    ...miningAddresses.map(a => `--miningaddr=${a}`)
  ]
  // an empty config file keeps btcd from writing a sample one
  const conf = join(info.dir, 'btcd.conf')
  if (!existsSync(conf)) writeFileSync(conf, '')
  startDaemon(info.bin, args, join(info.dir, 'btcd.out'), pidPath(info))
  const up = await waitUntil(async () => {
    if (runningPid(pidPath(info), info.bin) === null) throw new WaitAborted(`btcd exited: see ${join(info.dir, 'btcd.out')}`)
    await btcdRpc(info, 'getblockcount')
    return true
  }, 30_000, 200)
  if (!up) throw new Error(`btcd did not start: see ${join(info.dir, 'btcd.out')} and ${join(info.dir, 'logs')}`)
}

export async function stopBtcd (info: BtcdInfo): Promise<void> {
  await stopDaemon(pidPath(info), info.bin)
}

export function btcdRunning (info: BtcdInfo): boolean {
  return runningPid(pidPath(info), info.bin) !== null
}

/** Mines `blocks` blocks; returns their hashes. */
export async function generate (info: BtcdInfo, blocks: number): Promise<string[]> {
  return await btcdRpc(info, 'generate', [blocks]) as string[]
}

export async function blockCount (info: BtcdInfo): Promise<number> {
  return await btcdRpc(info, 'getblockcount') as number
}

/** One JSON-RPC call to btcd. */
export function btcdRpc (info: BtcdInfo, method: string, params: unknown[] = []): Promise<unknown> {
  const [host, port] = info.rpcSocket.split(':')
  const body = JSON.stringify({ jsonrpc: '1.0', id: 1, method, params })
  return new Promise((resolve, reject) => {
    const req = request({
      host,
      port: Number(port),
      method: 'POST',
      path: '/',
      ca: readFileSync(info.rpcCertPath),
      // btcd's certificate names localhost; SNI must not be an IP address
      servername: 'localhost',
      auth: `${info.rpcUser}:${info.rpcPass}`,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      timeout: 120_000
    }, res => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', chunk => { text += chunk })
      res.on('end', () => {
        try {
          const reply = JSON.parse(text) as { result: unknown, error: { message: string } | null }
          if (reply.error !== null) reject(new Error(`btcd ${method}: ${reply.error.message}`))
          else resolve(reply.result)
        } catch {
          reject(new Error(`btcd ${method}: HTTP ${res.statusCode} ${text.slice(0, 200)}`))
        }
      })
    })
    req.on('timeout', () => req.destroy(new Error(`btcd ${method}: timed out`)))
    req.on('error', reject)
    req.end(body)
  })
}

function pidPath (info: BtcdInfo): string {
  return join(info.dir, 'btcd.pid')
}
