/**
 * A stormd that comes back: killed (SIGKILL, no goodbye) and started again with the same key on
 * the same UDP port while the manager still holds its old, half-open connection; and a connection
 * that opens on the agent's side while the manager's half never comes up (what hyperdht 6.33–6.34
 * can do between two peers on one host or LAN). Real link on a local DHT testnet; the stormd is a
 * process of its own (scripts/reconnect_child.ts), as in `npm run bench -- reconnect`.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { EventEmitter } from 'node:events'
import { fileURLToPath } from 'node:url'
import HyperDHT from 'hyperdht'
import crypto from 'hypercore-crypto'
import { AGENT_FIRST_BYTES_MS, AGENT_FIRST_WORD_MS, AgentLink, generateKeyPair, localTestnet, ManagerLink } from '../../src/protocol/index.ts'
import type { LocalTestnet } from '../../src/protocol/index.ts'
import { openDht } from '../../src/protocol/link/network.ts'
import { collect, waitFor } from './wait_for.ts'

const CHILD = fileURLToPath(new URL('../../scripts/reconnect_child.ts', import.meta.url))

let testnet: LocalTestnet
before(async () => { testnet = await localTestnet() })
after(async () => { await testnet.destroy() })

/** The manager's DHT node, built as the link builds it, here so the test can count the UDX streams it holds. */
interface RawStreams { size: number }
function managerDht (): HyperDHT & { rawStreams: RawStreams, createRawStream: (opts: object) => unknown } {
  return openDht(testnet.network).dht as HyperDHT & { rawStreams: RawStreams, createRawStream: (opts: object) => unknown }
}

/** Starts a stormd stand-in; resolves with the ms from its start to the manager's first message. */
function stormd (seed: string, managerKey: string, port: number): { heard: Promise<number>, kill: () => Promise<void> } {
  const proc = spawn(process.execPath, [CHILD, seed, managerKey, JSON.stringify(testnet.network.bootstrap), String(port)], { stdio: ['ignore', 'pipe', 'inherit'] })
  const exited = new Promise<void>(resolve => proc.on('exit', () => resolve()))
  const heard = new Promise<number>((resolve, reject) => {
    let out = ''
    proc.stdout.on('data', (b: Buffer) => {
      out += b.toString()
      const m = /heard (\d+)/.exec(out)
      if (m !== null) resolve(Number(m[1]))
    })
    void exited.then(() => reject(new Error('stormd exited before hearing the manager')))
  })
  heard.catch(() => {})
  return { heard, kill: async () => { if (proc.exitCode === null && proc.signalCode === null) { proc.kill('SIGKILL'); await exited } } }
}

test('stormd is killed and started again on the same port: it hears the manager within seconds, and the manager keeps one connection for it, the new one', async (t) => {
  const dht = managerDht()
  const events = new EventEmitter()
  const manager = new ManagerLink({ keyPair: generateKeyPair(), network: { dht }, admit: () => 'member', log: (e, d) => { events.emit(e, d) } })
  t.after(async () => { await manager.close(); await dht.destroy() })
  manager.on('connected', (agentKey) => { manager.send(agentKey, 'roster', { group: 'test', members: [] }) })
  await manager.listen()
  const replaced = collect(events, 'replaced')

  const seed = generateKeyPair().secretKey.subarray(0, 32).toString('hex')
  const agentKey = crypto.keyPair(Buffer.from(seed, 'hex')).publicKey.toString('hex')
  const port = 40_000 + Math.floor(Math.random() * 9_000)
  const first = stormd(seed, manager.publicKey, port)
  t.after(first.kill)
  await first.heard
  await first.kill()
  assert.ok(manager.isConnected(agentKey), 'the old connection is still open on the manager: it was told nothing')

  const again = stormd(seed, manager.publicKey, port)
  t.after(again.kill)
  const ms = await again.heard
  assert.ok(ms < AGENT_FIRST_WORD_MS, `the restarted stormd heard the manager after ${ms} ms (its process start included), under the ${AGENT_FIRST_WORD_MS} ms it took to give up a silent connection`)
  assert.equal(replaced.length, 1, 'the half-open connection was replaced by the new one')
  assert.deepEqual(manager.connectedAgents().map(a => a.agentKey), [agentKey])
  // the replaced connection is destroyed, not left open beside the new one
  const deadline = Date.now() + 5_000
  while (dht.rawStreams.size > 1 && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 20))
  assert.equal(dht.rawStreams.size, 1, 'one UDX stream on the manager for the one stormd: no orphan')
})

test("a connection that opens on the agent's side while the manager's half never comes up is given up within seconds, and the next one reaches the manager", async (t) => {
  // a reachable manager answers with its address, so the agent's side opens at once, and the
  // manager's side waits for the agent's first packet, which its first half drops, as hyperdht's
  // destroyed half does
  const dht = new HyperDHT({ bootstrap: testnet.network.bootstrap!, host: '127.0.0.1', firewalled: false }) as HyperDHT & { createRawStream: (opts: object) => unknown }
  const create = dht.createRawStream.bind(dht)
  let made = 0
  dht.createRawStream = (opts: object) => create(made++ === 0 ? { ...opts, firewall: () => true } : opts)
  const manager = new ManagerLink({ keyPair: generateKeyPair(), network: { dht }, admit: () => 'member' })
  t.after(async () => { await manager.close(); await dht.destroy() })
  manager.on('connected', (agentKey) => { manager.send(agentKey, 'roster', { group: 'test', members: [] }) })
  await manager.listen()

  const events = new EventEmitter()
  // a node that does not yet know its own address (as any new one): the manager waits for its first packet
  const agentDht = new HyperDHT({ bootstrap: testnet.network.bootstrap!, host: '127.0.0.1' })
  const agent = new AgentLink({ keyPair: generateKeyPair(), managerKey: manager.publicKey, network: { dht: agentDht }, log: (e, d) => { events.emit(e, d) } })
  t.after(async () => { await agent.close(); await agentDht.destroy() })
  const silent = collect(events, 'silent_connection')
  const opened = waitFor(agent, 'connected', 'the first connection to open on the agent')
  const heard = waitFor(agent, 'message', 'the manager\'s roster', { timeoutMs: AGENT_FIRST_WORD_MS })
  const start = Date.now()
  agent.start()
  await opened
  await heard
  const ms = Date.now() - start
  assert.equal(silent.length, 1, 'the silent connection was given up once')
  assert.ok(made >= 2, 'the roster came over a second connection')
  assert.ok(ms >= AGENT_FIRST_BYTES_MS, `not before its first-bytes wait (${ms} ms)`)
  assert.ok(ms < AGENT_FIRST_WORD_MS, `heard after ${ms} ms, before the ${AGENT_FIRST_WORD_MS} ms first-word timeout`)
})
