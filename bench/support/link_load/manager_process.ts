/**
 * The manager under load, as its own process: the real `startManagerRuntime` (SQLite state,
 * signed Hypercore history, ManagerLink on HyperDHT) on a data directory the parent seeded with
 * a large state, driven over IPC. It counts what the link hands the manager per agent and type,
 * samples its own memory, and answers chat commands through the console front end (`ConsoleChat`,
 * the same parse → run → render path as Telegram) so their latency under load can be timed.
 *
 * Env: LOAD_DIR (data directory, holding state.db), LOAD_BOOTSTRAP (the testnet's bootstrap, JSON).
 * Started with --expose-gc so memory can be read after a collection.
 */
import { Writable } from 'node:stream'
import { writeHeapSnapshot } from 'node:v8'
import { writeFile } from 'node:fs/promises'
import { Session } from 'node:inspector/promises'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { startManagerRuntime } from '../../../src/app/manager_runtime.ts'
import { ConsoleChat } from '../../../src/bot/console/console_chat.ts'
import { findMemberByAgent } from '../../../src/manager/members/find_member.ts'
import { defaultRules } from '../../../src/manager/rules.ts'
import { Locales } from '../../../src/shared/i18n.ts'
import { IpcPeer } from '../../../test/crash/ipc.ts'
import { gcCount, nativeMemory, startMemLog } from './native_memory.ts'

// the parent is gone (ended or killed): so is this process, never left running on its own
process.on('disconnect', () => { process.exit(1) })

const dir = process.env.LOAD_DIR!
const bootstrap = JSON.parse(process.env.LOAD_BOOTSTRAP!) as Array<{ host: string, port: number }>

/** Events the runtime logged, by name (warnings included: nothing may fail silently under load). */
const logged = new Map<string, number>()
const log = (event: string, data: Record<string, unknown>): void => {
  // connection errors by their code (a timeout, a reset, a failed decryption are not the same story)
  if (event === 'connection_error') event = `connection_error:${String(data.code)}`
  logged.set(event, (logged.get(event) ?? 0) + 1)
  if (/failed|overflow/.test(event)) process.stderr.write(`manager: ${event} ${JSON.stringify(data).slice(0, 300)}\n`)
}

const locales = Locales.load()
const startedAt = performance.now()
const runtime = await startManagerRuntime({
  dataDir: dir,
  rules: defaultRules({ group: 'Supercell', visibility: 'public' }),
  locales,
  network: { bootstrap, host: '127.0.0.1' },
  backupSchedule: null,
  log
})
const startMs = performance.now() - startedAt

/** What the link handed the manager, per agent: [hello, heartbeat, report, other]. */
const received = new Map<string, [number, number, number, number]>()
const SLOT: Record<string, number> = { hello: 0, heartbeat: 1, report: 2 }
let connects = 0
let disconnects = 0
runtime.link.on('message', (key, msg) => {
  let c = received.get(key)
  if (c === undefined) received.set(key, c = [0, 0, 0, 0])
  c[SLOT[msg.type] ?? 3]!++
})
runtime.link.on('connected', () => { connects++ })
runtime.link.on('disconnected', () => { disconnects++ })

if (process.env.LOAD_MEMLOG !== undefined) startMemLog(process.env.LOAD_MEMLOG, () => Math.round(performance.now() - startedAt), () => ({ connected: runtime.link.connectedAgents().length, connects, disconnects }))

/** Memory samples, one a second: [ms since start, rss, heapUsed]. */
const samples: Array<[number, number, number]> = []
const sampler = setInterval(() => {
  const m = process.memoryUsage()
  samples.push([Math.round(performance.now() - startedAt), m.rss, m.heapUsed])
}, 1000)

/** The event loop's delay (how late a timer fires), from the start or the last reset. */
const loopDelay = monitorEventLoopDelay({ resolution: 10 })
loopDelay.enable()

/** One console front end per member who types commands (each keeps its own language). */
const chats = new Map<string, ConsoleChat>()

function memory (gc: boolean) {
  if (gc && typeof globalThis.gc === 'function') {
    for (let i = 0; i < 3; i++) globalThis.gc()
    gcCount.forced += 3
  }
  const m = process.memoryUsage()
  const n = nativeMemory()
  return { rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers, mallocHeaps: n.brk + n.arenas }
}

/**
 * LOAD_LEAK=native:<bytes> or heap:<bytes>: a leak planted on purpose, that many bytes kept per
 * report the link hands over (a Buffer: native memory; a string: V8's heap). Only to show that
 * the load test's memory checks catch a leak of that size; never set in a real run.
 */
const leak = /^(native|heap):(\d+)$/.exec(process.env.LOAD_LEAK ?? '')
const leaked: unknown[] = []
if (leak !== null) {
  const bytes = Number(leak[2])
  runtime.link.on('message', (_key, msg) => {
    if (msg.type !== 'report') return
    leaked.push(leak[1] === 'native' ? Buffer.alloc(bytes, leaked.length & 0xff) : `${leaked.length}:`.padEnd(bytes, 'x'))
  })
}

const peer = new IpcPeer(process, {
  memory: (gc: boolean) => memory(gc),
  /** Samples taken at or after `since` (ms since this process started). */
  samples: (since: number) => samples.filter(s => s[0] >= since),
  now: () => Math.round(performance.now() - startedAt),
  /** Full collections V8 started on its own so far (not those `memory(true)` forced). */
  majorGcs: () => gcCount.major,
  link: () => ({ connected: runtime.link.connectedAgents().length, connects, disconnects, logged: Object.fromEntries(logged) }),
  /** Per agent key: [hello, heartbeat, report, other] the link handed the manager. */
  received: () => Object.fromEntries(received),
  /**
   * Once the manager has run every message handed to it: per agent key, the member's health
   * block height as the manager last observed it (the load agents number their messages there),
   * when its last report was sent, and whether it is connected.
   */
  observed: async () => {
    await runtime.manager.whenIdle()
    const out: Record<string, [number | null, number | null, boolean]> = {}
    for (const key of received.keys()) {
      const m = findMemberByAgent(runtime.manager.state, key)
      const o = m === undefined ? undefined : runtime.manager.observations.get(m.id)
      out[key] = [o?.health?.blockHeight ?? null, o?.report?.at ?? null, runtime.link.isConnected(key)]
    }
    return out
  },
  /** Runs a chat command as that member types it; its reply and how long it took, ms. */
  command: async (text: string, who: { platform: string, userId: string, name: string }) => {
    const id = `${who.platform}:${who.userId}`
    let c = chats.get(id)
    if (c === undefined) {
      c = new ConsoleChat({
        manager: runtime.manager,
        locales,
        actor: { kind: 'chat', platform: who.platform, userId: who.userId, name: who.name, isAdmin: false },
        lang: 'en',
        input: process.stdin,
        output: new Writable({ write (_chunk, _enc, cb) { cb() } }),
        interactive: false,
        pairingInvite: runtime.invite
      })
      chats.set(id, c)
    }
    const t0 = performance.now()
    const reply = await c.handle(text)
    return { ms: performance.now() - t0, ok: reply.ok, text: reply.text }
  },
  heapSnapshot: (path: string) => writeHeapSnapshot(path),
  /**
   * Blocks this process's event loop for `ms` (a busy wait), as a long full collection, a slow
   * synchronous write or a starved core would: nothing is read from the sockets meanwhile.
   */
  stall: (ms: number) => {
    const until = performance.now() + ms
    while (performance.now() < until) { /* stalled on purpose */ }
    return ms
  },
  /** The event loop's delay since the last call, ms: p50, p99, max (and resets it). */
  loopDelay: () => {
    const out = { p50: loopDelay.percentile(50) / 1e6, p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 }
    loopDelay.reset()
    return out
  },
  /** Profiles this process's CPU for `ms` and writes the profile (a .cpuprofile) to `path`. */
  profile: async (ms: number, path: string) => {
    const session = new Session()
    session.connect()
    await session.post('Profiler.enable')
    await session.post('Profiler.start')
    await new Promise(resolve => setTimeout(resolve, ms))
    const { profile } = await session.post('Profiler.stop')
    session.disconnect()
    await writeFile(path, JSON.stringify(profile))
    return path
  },
  stop: async () => {
    clearInterval(sampler)
    await runtime.close()
    setImmediate(() => process.exit(0))
  }
})
peer.emit('ready', { key: runtime.managerKey, startMs, members: Object.keys(runtime.manager.state.members).length })
