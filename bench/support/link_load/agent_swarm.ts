/**
 * Load generator: N light agents in one process, driven over IPC. Each speaks for one member of
 * the load Storm with that member's real ed25519 key, over the real link (`AgentLink` →
 * HyperDHT → Noise → signed envelopes, verified both ways), and behaves as stormd does on the
 * wire: `hello` then a `report` on every connection, then heartbeats and reports on timers, sent
 * only while connected. What it does not have is an LND or a directive runner: its reports are
 * the synthetic Storm's (`reportOf`), and directives, approvals and history are not exercised.
 *
 * A full stormd per agent would be 3,000 processes; one HyperDHT node (LOAD_DHTS for more) opens
 * every agent's connection with that agent's key pair (`dht.connect(key, { keyPair })`).
 *
 * Every message carries a number, per agent, in `health.blockHeight` (1, 2, 3… across heartbeats
 * and reports): the manager's observation of the member must end on the agent's last number.
 *
 * By default each agent holds the current roster, as a stormd that has been connected before
 * does (its hello carries the roster's digest, so the manager does not send it again); with
 * LOAD_FRESH_ROSTER=1 none does, as on the first connection after pairing, and the manager sends
 * each its ~340 KB roster (3,000 members).
 *
 * Env: LOAD_BOOTSTRAP (JSON), LOAD_MANAGER_KEY, LOAD_MEMBERS, LOAD_DHTS (default 1), LOAD_FRESH_ROSTER.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks'
import HyperDHT from 'hyperdht'
import { MAX_MESSAGE_BYTES } from '../../../src/app/manager_runtime.ts'
import { AgentLink } from '../../../src/protocol/index.ts'
import { rosterDigest } from '../../../src/protocol/roster_digest.ts'
import type { Report } from '../../../src/protocol/messages.ts'
import { IpcPeer } from '../../../test/crash/ipc.ts'
import { loadAgentKeyPair, loadNodeSummary, loadStorm } from './load_storm.ts'

process.on('disconnect', () => { process.exit(1) })

const bootstrap = JSON.parse(process.env.LOAD_BOOTSTRAP!) as Array<{ host: string, port: number }>
const managerKey = process.env.LOAD_MANAGER_KEY!
const members = Number(process.env.LOAD_MEMBERS)
const dhtCount = Math.max(1, Number(process.env.LOAD_DHTS ?? 1))
/** Base of the numbers agents put in `health.blockHeight`. */
const HEIGHT_BASE = 0

const syn = loadStorm(members)
const freshRoster = process.env.LOAD_FRESH_ROSTER === '1'
/** The digest of the roster each agent holds: every member's node, or nothing yet. */
const heldRoster = rosterDigest(freshRoster ? [] : syn.members.map((_, i) => loadNodeSummary(syn, i).publicKey))
/**
 * On the loopback the load generator's UDP port is reachable by anyone, and it says so
 * (`firewalled: false`): a new HyperDHT node otherwise believes itself firewalled for minutes,
 * and its connections then race hyperdht 6.34's LAN shortcut against holepunching, which on
 * the loopback leaves some half-open (this end opened, the manager never told; they time out
 * after 20 s and reconnect). That is the reconnect problem of issue 12, not load. Ephemeral, as a
 * stormd's node is: it never serves the DHT (the manager's key must be looked up on the testnet).
 */
const dhts = Array.from({ length: dhtCount }, () => new HyperDHT({ bootstrap, host: '127.0.0.1', firewalled: false, ephemeral: true }))
await Promise.all(dhts.map(d => d.fullyBootstrapped()))
/**
 * One UDP socket carries what 3,000 stormd would receive on 3,000 sockets: give it the receive
 * buffer they would have between them (up to the kernel's limit), or the load generator's own
 * socket drops the rosters it is sent. LOAD_RCVBUF=0 leaves the default.
 */
const RCVBUF = Number(process.env.LOAD_RCVBUF ?? 4 << 20)
for (const d of dhts) {
  const io = (d as unknown as { io: { serverSocket: UdxSocket, clientSocket: UdxSocket } }).io
  if (RCVBUF > 0) for (const s of [io.serverSocket, io.clientSocket]) s.setRecvBufferSize(RCVBUF)
}

interface Agent {
  i: number
  key: string
  link: AgentLink
  /** The last number sent in `health.blockHeight`. */
  beat: number
  /** Sent while connected: hello, heartbeat, report. */
  sent: [number, number, number]
  /** Connected, and (when it held no roster) the manager's roster came back: it took the hello. */
  ready: boolean
  connects: number
  disconnects: number
  lastReportAt: number
  /** performance.now() at start, first connection, first roster. */
  startedAt: number
  connectedAt: number
  readyAt: number
  timers: NodeJS.Timeout[]
}

interface UdxSocket { setRecvBufferSize (size: number): number, getRecvBufferSize (): number }

const agents: Agent[] = []
/** Link log events across agents (connection errors by code), and messages received by type. */
const events = new Map<string, number>()
const inbound = new Map<string, number>()
const count = (m: Map<string, number>, k: string): void => { m.set(k, (m.get(k) ?? 0) + 1) }
let onReady: (() => void) | null = null

function report (a: Agent): Report {
  const now = Date.now()
  const r = syn.reportOf(a.i)
  r.at = now
  r.health = { healthy: true, blockHeight: HEIGHT_BASE + ++a.beat }
  if (r.flow !== undefined) r.flow = { ...r.flow, from: a.lastReportAt === 0 ? now - 60_000 : a.lastReportAt, to: now }
  a.lastReportAt = now
  return r
}

function sendReport (a: Agent): void {
  if (!a.link.connected) return
  a.link.send('report', report(a))
  a.sent[2]++
}

function sendHeartbeat (a: Agent): void {
  if (!a.link.connected) return
  a.link.send('heartbeat', { at: Date.now(), health: { healthy: true, blockHeight: HEIGHT_BASE + ++a.beat } })
  a.sent[1]++
}

function becomeReady (a: Agent): void {
  if (a.ready) return
  a.ready = true
  if (a.readyAt === 0) a.readyAt = performance.now()
  onReady?.()
}

function startAgent (i: number): Agent {
  const keyPair = loadAgentKeyPair(i)
  const link = new AgentLink({
    keyPair,
    managerKey,
    // as stormd (agent_runtime.ts): the roster of a large Storm is well over the 64 KiB default
    maxEnvelopeBytes: MAX_MESSAGE_BYTES,
    network: { dht: dhts[i % dhts.length] },
    log: (event, data) => { if (event === 'connection_error' || event === 'queue_overflow' || event === 'handler_error' || event === 'protocol_error') count(events, `${event}:${(data as { code?: string }).code ?? ''}`) }
  })
  const a: Agent = { i, key: keyPair.publicKey.toString('hex'), link, beat: 0, sent: [0, 0, 0], ready: false, connects: 0, disconnects: 0, lastReportAt: 0, startedAt: performance.now(), connectedAt: 0, readyAt: 0, timers: [] }
  link.on('connected', () => {
    a.connects++
    if (a.connectedAt === 0) a.connectedAt = performance.now()
    // as stormd: hello with the node it paired with, then a report
    link.send('hello', { agentVersion: 'storm-load/1', node: loadNodeSummary(syn, i), finished: [], rosterDigest: heldRoster })
    a.sent[0]++
    sendReport(a)
    if (!freshRoster) becomeReady(a)
  })
  link.on('disconnected', () => { a.disconnects++; a.ready = false })
  link.on('message', (msg) => {
    count(inbound, msg.type)
    if (msg.type === 'roster') becomeReady(a)
  })
  link.start()
  return a
}

function counts (): Record<string, number[]> {
  return Object.fromEntries(agents.map(a => [a.key, [...a.sent, HEIGHT_BASE + a.beat, a.connects, a.disconnects]]))
}

/** The event loop's delay while the load runs. */
const loadDelay = monitorEventLoopDelay({ resolution: 20 })

const peer = new IpcPeer(process, {
  /**
   * Starts every agent, at most `concurrency` at a time not yet ready (connected, hello taken:
   * the roster came back). Resolves when all are ready, or after `timeoutMs` with how many were.
   */
  connect: async (concurrency: number, timeoutMs: number) => {
    const t0 = performance.now()
    let next = agents.length
    const readyCount = (): number => agents.reduce((n, a) => n + (a.ready ? 1 : 0), 0)
    // the event loop's longest delay in each interval: a stalled generator times its own agents out
    const delay = monitorEventLoopDelay({ resolution: 20 })
    delay.enable()
    const progress = setInterval(() => {
      peer.emit('progress', { ready: readyCount(), started: agents.length, ms: Math.round(performance.now() - t0), loopDelayMaxMs: Math.round(delay.max / 1e6), errors: Object.fromEntries(events) })
      delay.reset()
    }, 5000)
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs)
      const fill = (): void => {
        const ready = readyCount()
        while (next < members && agents.length - ready < concurrency) agents.push(startAgent(next++))
        if (ready === members) {
          clearTimeout(timer)
          resolve()
        }
      }
      onReady = fill
      fill()
    })
    clearInterval(progress)
    delay.disable()
    onReady = null
    const done = agents.filter(a => a.readyAt > 0)
    const pct = (xs: number[], p: number): number => xs.length === 0 ? NaN : xs.sort((x, y) => x - y)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!
    const toConnect = done.map(a => a.connectedAt - a.startedAt)
    const toRoster = done.map(a => a.readyAt - a.connectedAt)
    return {
      ready: readyCount(),
      ms: performance.now() - t0,
      events: Object.fromEntries(events),
      /** Start → first connection, and first connection → roster, ms: p50, p90, max. */
      toConnect: [pct(toConnect, 0.5), pct(toConnect, 0.9), pct(toConnect, 1)],
      toRoster: [pct(toRoster, 0.5), pct(toRoster, 0.9), pct(toRoster, 1)]
    }
  },
  /** Heartbeats every `heartbeatMs` and reports every `reportMs` per agent, each agent on its own phase. */
  load: (heartbeatMs: number, reportMs: number) => {
    loadDelay.reset()
    loadDelay.enable()
    for (const a of agents) {
      const every = (ms: number, fn: () => void): void => {
        a.timers.push(setTimeout(() => {
          fn()
          a.timers.push(setInterval(fn, ms))
        }, Math.floor(Math.random() * ms)))
      }
      every(heartbeatMs, () => sendHeartbeat(a))
      every(reportMs, () => sendReport(a))
    }
  },
  /** Per agent key: [hello, heartbeat, report, last number, connects, disconnects] so far. */
  counts: () => counts(),
  /** Stops the timers; then as `counts`. */
  stopLoad: () => {
    for (const a of agents) for (const t of a.timers.splice(0)) clearTimeout(t)
    return counts()
  },
  /** This process's event-loop delay since the load started, ms (a starved generator times its own agents out). */
  loopDelay: () => ({ p50: loadDelay.percentile(50) / 1e6, p99: loadDelay.percentile(99) / 1e6, max: loadDelay.max / 1e6 }),
  stats: () => ({
    agents: agents.length,
    connected: agents.reduce((n, a) => n + (a.link.connected ? 1 : 0), 0),
    ready: agents.reduce((n, a) => n + (a.ready ? 1 : 0), 0),
    events: Object.fromEntries(events),
    inbound: Object.fromEntries(inbound),
    rss: process.memoryUsage().rss
  }),
  stop: async () => {
    await Promise.all(agents.map(a => a.link.close()))
    await Promise.all(dhts.map(d => d.destroy()))
    setImmediate(() => process.exit(0))
  }
})
peer.emit('ready', { members })
