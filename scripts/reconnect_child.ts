/**
 * A stand-in for a stormd process: its link to the manager, and the time it took to connect (see
 * measure_reconnect.ts). With a port, its DHT node binds that UDP port, as a restarted stormd
 * binds the one its previous process had (HyperDHT's default, 49737, when it is free).
 * STORM_AGENT_FIREWALLED=1 (inherited from the bench): see below.
 */
import crypto from 'hypercore-crypto'
import HyperDHT from 'hyperdht'
import { AgentLink } from '../src/protocol/index.ts'

const [seed, managerKey, bootstrap, port] = process.argv.slice(2) as [string, string, string, string | undefined]
const keyPair = crypto.keyPair(Buffer.from(seed, 'hex'))
const log = process.env.VERBOSE === undefined ? undefined : (e: string, d: object) => process.stderr.write(`${Date.now() % 100_000} ${e} ${JSON.stringify(d)}\n`)
const t0 = performance.now()
const nodes = JSON.parse(bootstrap) as Array<{ host: string, port: number }>
const portOpt = port === undefined ? {} : { port: Number(port) }
// STORM_AGENT_FIREWALLED=1: the node does not say it is reachable, as a stormd behind a NAT; its
// connections then meet hyperdht 6.33–6.34's LAN race, which the agent's first-bytes check handles
const network = process.env.STORM_AGENT_FIREWALLED === '1'
  ? { dht: new HyperDHT({ bootstrap: nodes, host: '127.0.0.1', ...portOpt }) }
  : { bootstrap: nodes, ...portOpt }
const link = new AgentLink({ keyPair, managerKey, network, ...(log === undefined ? {} : { log }) })
link.once('connected', () => { process.stdout.write(`connected ${Math.round(performance.now() - t0)}\n`) })
// the first message from the manager: the connection carries data, not only opened
link.once('message', () => { process.stdout.write(`heard ${Math.round(performance.now() - t0)}\n`) })
link.start()
