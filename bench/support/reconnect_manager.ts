/**
 * A stand-in for the manager process, for the reconnect bench: its link listening on the testnet
 * under a fixed key. Prints `listening <ms>` once agents can connect and `connected` for each
 * agent connection, to which it sends the roster at once (as the manager does on each hello). SIGTERM closes the link first (a graceful restart); SIGKILL leaves agents
 * with half-open connections (a crash, a power cut).
 *
 *   node bench/support/reconnect_manager.ts <seed hex> <bootstrap JSON>
 */
import crypto from 'hypercore-crypto'
import { ManagerLink } from '../../src/protocol/index.ts'

const [seed, bootstrap] = process.argv.slice(2) as [string, string]
const keyPair = crypto.keyPair(Buffer.from(seed, 'hex'))
const t0 = performance.now()
const link = new ManagerLink({ keyPair, network: { bootstrap: JSON.parse(bootstrap) as Array<{ host: string, port: number }> }, admit: () => 'member' })
link.on('connected', (agentKey) => {
  link.send(agentKey, 'roster', { group: 'bench', members: [] })
  process.stdout.write('connected\n')
})
process.on('SIGTERM', () => { void link.close().finally(() => process.exit(0)) })
process.on('disconnect', () => { process.exit(1) })
await link.listen()
process.stdout.write(`listening ${Math.round(performance.now() - t0)}\n`)
