/**
 * Load: 3,000 agents heartbeat and report to ONE manager over the real link for a sustained
 * period. The manager is its own process (`startManagerRuntime` on a 3,000-member SQLite state,
 * its signed history, ManagerLink on a HyperDHT testnet on 127.0.0.1); the agents are light
 * agents in one load-generator process, each with its member's real key, speaking the real
 * protocol over its own Noise connection (see bench/support/link_load/agent_swarm.ts for what a
 * light agent does and does not do).
 *
 * What must hold: every agent connects and is greeted (its hello taken, the roster sent back);
 * during the sustained phase no connection drops, every heartbeat and report an agent sent is
 * handed to the manager and the manager's observation of each member ends on that agent's last
 * message; the manager's memory stays flat after the warm-up (after gc: the heap in use, external
 * memory, and the resident size of the C allocator's heaps; RSS itself is sampled and printed); and members' chat commands are answered throughout (latency printed, not asserted).
 *
 * Why memory is measured as it is (December 2026, found with LOAD_MEMLOG, see below). The check
 * used to be "RSS beyond the heap V8 keeps reserved (rss − heapTotal) grows < 64 MiB over a
 * minute after 10 s of warm-up", and failed in about half of the runs. Two things moved it, and
 * neither is a leak:
 * - V8 shrinking its heap. When V8 gives back heap after a peak (heapTotal −60 MiB in one step),
 *   the pages stay resident (RSS unchanged, not lazily freed), so rss − heapTotal rose by as much
 *   with no native allocation at all. How much V8 shrinks within the minute depends on how large
 *   the heap was at the start: the failing runs were those starting at ~150 MiB after gc.
 * - glibc keeping what it freed. Under this load the manager allocates ~1 MiB/s of ArrayBuffers
 *   (udx read buffers, decrypted messages), which V8 frees only at a full collection, started
 *   when external memory has grown ~64 MiB since the last one: glibc's main heap has to hold that
 *   much garbage at the peak and keeps the pages afterwards for the next round. It grew ~47 MiB
 *   during the first ~60–90 s of load and then not at all (to the KiB, for 4 more minutes).
 * So native memory is now read two ways, after gc: external memory (Buffers and ArrayBuffers, what
 * the manager's own code allocates outside V8's heap, as V8 counts it: exact, no allocator in
 * between), and the C allocator's resident heaps (`native_memory.ts`: glibc's main heap and its
 * arenas, where nothing of V8's heap is: every native allocation, SQLite's and the sockets'
 * included). The latter is a high-water mark: a leak there shows only once it has filled the
 * room the allocator keeps for garbage (tens of MiB; a planted leak of 22 MiB of Buffers raised it
 * by 9 MiB in two minutes), so it catches large native leaks, and external memory the small ones.
 * The warm-up lasts until V8 has made two full collections of its own under the load (the
 * allocator's working set reached), and the sustained phase is two minutes, so that a leak of 1 KiB
 * per report (~18 MiB in two minutes at 3,000 agents) fails a bound below: external memory for a
 * Buffer, the heap for a JS object. `LOAD_LEAK=native:1024` (or `heap:1024`) plants such a leak
 * in the manager to see it fail.
 *
 * Sizes (env): LOAD_AGENTS (3000), LOAD_SUSTAIN_S (120), LOAD_WARMUP_S (the least warm-up, 30;
 * it then lasts until two full collections, at most LOAD_WARMUP_MAX_S, 300), LOAD_HEARTBEAT_MS
 * (5000: six times stormd's default rate), LOAD_REPORT_MS (20000: three times), LOAD_CONCURRENCY
 * (agents connecting at once, 32), LOAD_CONNECT_S (time allowed for all to connect, 240).
 * Figures are printed as `# load:` lines; LOAD_MEMLOG=file has the manager write its memory,
 * by kind, once a second.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { startLoadRig, type MemoryReading } from '../../bench/support/link_load/harness.ts'
import { flatness, percentile } from '../../bench/support/link_load/figures.ts'

const env = (name: string, fallback: number): number => {
  const v = process.env[name]
  return v === undefined || v === '' ? fallback : Number(v)
}
const AGENTS = env('LOAD_AGENTS', 3000)
const SUSTAIN_MS = env('LOAD_SUSTAIN_S', 120) * 1000
const WARMUP_MS = env('LOAD_WARMUP_S', 30) * 1000
const WARMUP_MAX_MS = env('LOAD_WARMUP_MAX_S', 300) * 1000
/** Full collections V8 makes on its own under the load before the sustained phase starts. */
const WARMUP_GCS = 2
/**
 * And the allocator settled: its resident heaps grew less than this over the last 30 s. One CI
 * run whose two collections came early (43 s) measured from 143 MiB, before the allocator had
 * reached the ~180 MiB it keeps under this load, and failed with +38 MiB; runs that started at
 * ~178 MiB grew +1 to +14.
 */
const WARMUP_SETTLED_MS = 30_000
const WARMUP_SETTLED_BYTES = 4 * 2 ** 20
const HEARTBEAT_MS = env('LOAD_HEARTBEAT_MS', 5000)
const REPORT_MS = env('LOAD_REPORT_MS', 20_000)
const CONCURRENCY = env('LOAD_CONCURRENCY', 32)
const CONNECT_MS = env('LOAD_CONNECT_S', 240) * 1000
/** LOAD_STALL_MS: halfway through the sustained phase, the manager's event loop blocks that long (0: never). */
const STALL_MS = env('LOAD_STALL_MS', 0)
/** Between chat commands during the sustained phase. */
const COMMAND_EVERY_MS = 2000
/** A command not answered in this long is stuck (a liveness bound, not a speed target). */
const COMMAND_STUCK_MS = 60_000
/** After the load stops: time allowed for what is in flight to reach the manager. */
const DRAIN_MS = 30_000
/**
 * Memory growth allowed over the sustained phase (after the warm-up), read after gc: V8's heap in
 * use; external memory (the backing stores of Buffers and ArrayBuffers: native memory the
 * manager's code allocates, which V8 knows of); and the C allocator's resident heaps (all native
 * memory, SQLite's and the sockets' included, but a high-water mark: see the top of the file).
 * Measured over two minutes on a busy 2-core machine, no leak (seven runs, 1,500 and 3,000 agents):
 * heap −18 to +9 MiB, external −44 to +1 MiB, the allocator's heaps +1 to +14 MiB (the most with
 * ~3,000 reconnections during the load; +8 in a run without any, where the garbage between two
 * collections peaked 10 MiB higher than in the warm-up); with a planted leak of 1 KiB per report
 * (22 MiB): external +29 MiB, the allocator's heaps +9 MiB.
 */
const HEAP_GROWTH_BOUND = 16 * 2 ** 20
const EXTERNAL_GROWTH_BOUND = 12 * 2 ** 20
const NATIVE_GROWTH_BOUND = 24 * 2 ** 20

const MiB = (b: number): string => `${(b / 2 ** 20).toFixed(0)} MiB`
const say = (line: string): void => { process.stdout.write(`# load: ${line}\n`) }
const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))

type Sent = Record<string, [hello: number, heartbeat: number, report: number, last: number, connects: number, disconnects: number]>
type Received = Record<string, [hello: number, heartbeat: number, report: number, other: number]>
type Observed = Record<string, [height: number | null, reportAt: number | null, connected: boolean]>

test(`${AGENTS} agents heartbeat and report to one manager over the real link: nothing dropped, memory flat, chat answered`, { timeout: CONNECT_MS + Math.max(WARMUP_MS, WARMUP_MAX_MS) + SUSTAIN_MS + DRAIN_MS + 240_000 }, async () => {
  const t0 = performance.now()
  const rig = await startLoadRig(AGENTS, say)
  const manager = rig.manager.peer
  try {
    const swarm = await rig.startSwarm()
    swarm.peer.onEvent((name, data) => {
      if (name !== 'progress') return
      // with the manager's longest event-loop delay since the last line: which side stalls
      manager.call<{ max: number }>('loopDelay').then(d => say(`connecting: ${JSON.stringify(data)}; manager loop delay max ${d.max.toFixed(0)} ms`), () => {})
    })

    // every agent connects, says hello (and reports) and gets the roster back
    const c = await swarm.peer.call<{ ready: number, ms: number, events: Record<string, number>, toConnect: number[], toRoster: number[] }>('connect', CONCURRENCY, CONNECT_MS)
    say(`connected ${c.ready}/${AGENTS} agents in ${(c.ms / 1000).toFixed(1)} s (start → connected p50/p90/max ${c.toConnect.map(x => x.toFixed(0)).join('/')} ms, connected → roster ${c.toRoster.map(x => x.toFixed(0)).join('/')} ms); link errors on the way: ${JSON.stringify(c.events)}`)
    assert.equal(c.ready, AGENTS, `every agent connects and is greeted within ${CONNECT_MS / 1000} s`)

    // warm-up, then the sustained phase: memory and chat are measured there
    // what the connecting phase sent has arrived (or never will): the load is counted from here
    await sleep(3000)
    const atLoad = await swarm.peer.call<Sent>('counts')
    const receivedAtLoad = await manager.call<Received>('received')
    const lostConnecting = Object.entries(atLoad).filter(([key, s]) => { const r = receivedAtLoad[key] ?? [0, 0, 0, 0]; return r[0] !== s[0] || r[1] !== s[1] || r[2] !== s[2] }).length
    say(`agents whose hello or first report never reached the manager while connecting (written into a connection that was then replaced): ${lostConnecting}`)
    await manager.call('loopDelay')
    const gcsBefore = await manager.call<number>('majorGcs')
    const loadFrom = performance.now()
    await swarm.peer.call('load', HEARTBEAT_MS, REPORT_MS)
    await sleep(WARMUP_MS)
    // …and until the C allocator has reached the working set it keeps under this load: its
    // resident heaps grew less than WARMUP_SETTLED_BYTES over the last WARMUP_SETTLED_MS (a leak
    // never settles: the warm-up then ends at WARMUP_MAX_MS and the phase measures the leak)
    const heaps: Array<[number, number]> = []
    const settled = async (): Promise<boolean> => {
      const now = performance.now()
      heaps.push([now, (await manager.call<MemoryReading>('memory', false)).mallocHeaps])
      const past = heaps.find(h => h[0] >= now - WARMUP_SETTLED_MS)!
      return now - heaps[0]![0] >= WARMUP_SETTLED_MS && heaps[heaps.length - 1]![1] - past[1] < WARMUP_SETTLED_BYTES
    }
    while (performance.now() - loadFrom < WARMUP_MAX_MS && ((await manager.call<number>('majorGcs')) - gcsBefore < WARMUP_GCS || !(await settled()))) await sleep(1000)
    const warmupGcs = (await manager.call<number>('majorGcs')) - gcsBefore
    const warmupMs = performance.now() - loadFrom
    const warmupDelay = await manager.call<{ p50: number, p99: number, max: number }>('loopDelay')
    const warmupSwarmDelay = await swarm.peer.call<{ p50: number, p99: number, max: number }>('loopDelay')
    say(`event-loop delay over the warm-up: manager p99 ${warmupDelay.p99.toFixed(0)} ms, max ${warmupDelay.max.toFixed(0)} ms; load generator p99 ${warmupSwarmDelay.p99.toFixed(0)} ms, max ${warmupSwarmDelay.max.toFixed(0)} ms`)
    say(`warm-up: ${(warmupMs / 1000).toFixed(0)} s, ${warmupGcs} full collections by V8 under the load; the allocator's resident heaps ${heaps.length > 0 ? `${(heaps[0]![1] / 2 ** 20).toFixed(0)} → ${(heaps[heaps.length - 1]![1] / 2 ** 20).toFixed(0)} MiB over the ${((heaps[heaps.length - 1]![0] - heaps[0]![0]) / 1000).toFixed(0)} s it was watched after them` : 'not sampled'}`)
    const linkBefore = await manager.call<{ connects: number, disconnects: number }>('link')
    say(`manager at the start of the load: ${JSON.stringify(linkBefore)}`)
    const heapStart = await manager.call<MemoryReading>('memory', true)
    const sustainFrom = await manager.call<number>('now')
    // LOAD_PROFILE=file: the manager's CPU over the sustained phase, as a .cpuprofile (Chrome DevTools)
    const profiled = process.env.LOAD_PROFILE === undefined ? null : manager.call<string>('profile', SUSTAIN_MS, process.env.LOAD_PROFILE)
    await manager.call('loopDelay')
    const member0 = rig.chatOf(0)
    const latencies: Array<{ command: string, ms: number }> = []
    const commands = ['/getinfo', '/lang es', '/getinfo', '/lang en']
    let stalled = false
    for (let k = 0; ; k++) {
      const command = commands[k % commands.length]!
      const reply = await Promise.race([
        manager.call<{ ms: number, ok: boolean, text: string }>('command', command, member0),
        sleep(COMMAND_STUCK_MS).then(() => null)
      ])
      assert.ok(reply !== null, `${command} is answered during the load`)
      assert.ok(reply.ok && reply.text.length > 0, `${command} succeeds: ${reply.text.slice(0, 200)}`)
      latencies.push({ command, ms: reply.ms })
      const elapsed = (await manager.call<number>('now')) - sustainFrom
      if (STALL_MS > 0 && !stalled && elapsed >= SUSTAIN_MS / 2) {
        stalled = true
        say(`the manager's event loop stalls for ${STALL_MS} ms (a busy wait), ${(elapsed / 1000).toFixed(0)} s into the load`)
        await manager.call('stall', STALL_MS)
      }
      if (elapsed >= SUSTAIN_MS) break
      await sleep(COMMAND_EVERY_MS)
    }
    const sustainTo = await manager.call<number>('now')
    say(`sustained phase on the manager's clock: ${sustainFrom} → ${sustainTo} ms`)
    const delay = await manager.call<{ p50: number, p99: number, max: number }>('loopDelay')
    if (profiled !== null) say(`manager CPU profile: ${await profiled}`)
    const sent = await swarm.peer.call<Sent>('stopLoad')
    const heapEnd = await manager.call<MemoryReading>('memory', true)
    const samples = await manager.call<Array<[number, number, number]>>('samples', sustainFrom)
    const inPhase = samples.filter(s => s[0] <= sustainTo)

    // what was sent has all reached the manager (waiting out what is still in flight)
    const totals = (rows: Array<number[]>, i: number): number => rows.reduce((n, r) => n + r[i]!, 0)
    const sentRows = Object.values(sent)
    let received: Received = {}
    for (const deadline = performance.now() + DRAIN_MS; performance.now() < deadline; await sleep(500)) {
      received = await manager.call<Received>('received')
      const got = Object.values(received)
      if (totals(got, 1) >= totals(sentRows, 1) && totals(got, 2) >= totals(sentRows, 2)) break
    }
    const observed = await manager.call<Observed>('observed')
    const linkAfter = await manager.call<{ connected: number, connects: number, disconnects: number, logged: Record<string, number> }>('link')
    const swarmStats = await swarm.peer.call<{ rss: number, events: Record<string, number> }>('stats')
    const swarmDelay = await swarm.peer.call<{ p50: number, p99: number, max: number }>('loopDelay')

    // figures
    const seconds = (sustainTo - sustainFrom) / 1000
    const hb = totals(sentRows, 1)
    const reports = totals(sentRows, 2)
    const got = Object.values(received)
    say(`sustained ${seconds.toFixed(0)} s after ${(warmupMs / 1000).toFixed(0)} s of warm-up: agents sent ${hb} heartbeats and ${reports} reports in all (${(hb / ((sustainTo - sustainFrom + warmupMs) / 1000)).toFixed(0)} heartbeats/s, ${(reports / ((sustainTo - sustainFrom + warmupMs) / 1000)).toFixed(0)} reports/s), hellos ${totals(sentRows, 0)}`)
    say(`manager received ${totals(got, 1)} heartbeats, ${totals(got, 2)} reports, ${totals(got, 0)} hellos, ${totals(got, 3)} other; connected at the end ${linkAfter.connected}; disconnects during the load ${linkAfter.disconnects - linkBefore.disconnects}`)
    const f = flatness(inPhase.map(s => [s[0], s[1]]))
    say(`manager RSS over the sustained phase: start ${MiB(f.first)}, end ${MiB(f.last)}, min ${MiB(f.min)}, max ${MiB(f.max)}, trend ${(f.slopePerMin / 2 ** 20).toFixed(1)} MiB/min (${inPhase.length} samples); heap after gc ${MiB(heapStart.heapUsed)} → ${MiB(heapEnd.heapUsed)} (reserved ${MiB(heapStart.heapTotal)} → ${MiB(heapEnd.heapTotal)}, external ${MiB(heapStart.external)} → ${MiB(heapEnd.external)}); RSS after gc ${MiB(heapStart.rss)} → ${MiB(heapEnd.rss)}; native (the C allocator's resident heaps) ${MiB(heapStart.mallocHeaps)} → ${MiB(heapEnd.mallocHeaps)} (the old measure, RSS beyond the reserved heap: ${MiB(heapStart.rss - heapStart.heapTotal)} → ${MiB(heapEnd.rss - heapEnd.heapTotal)})`)
    for (const name of ['/getinfo', '/lang']) {
      const ms = latencies.filter(l => l.command.startsWith(name)).map(l => l.ms)
      say(`${name} answered under load: ${ms.length} times, p50 ${percentile(ms, 0.5).toFixed(1)} ms, p99 ${percentile(ms, 0.99).toFixed(1)} ms, max ${Math.max(...ms).toFixed(1)} ms`)
    }
    say(`manager event-loop delay over the sustained phase: p50 ${delay.p50.toFixed(1)} ms, p99 ${delay.p99.toFixed(1)} ms, max ${delay.max.toFixed(1)} ms`)
    say(`load generator event-loop delay since the load started: p50 ${swarmDelay.p50.toFixed(1)} ms, p99 ${swarmDelay.p99.toFixed(1)} ms, max ${swarmDelay.max.toFixed(1)} ms`)
    say(`load generator RSS ${MiB(swarmStats.rss)}, its link errors ${JSON.stringify(swarmStats.events)}; manager log events ${JSON.stringify(linkAfter.logged)}; total ${((performance.now() - t0) / 1000).toFixed(0)} s`)

    // nothing dropped: per agent, what it sent is what the link handed the manager, and the
    // manager's observation of the member ends on the agent's last numbered message
    const lost: string[] = []
    for (const [key, s] of Object.entries(sent)) {
      const r = received[key] ?? [0, 0, 0, 0]
      const s0 = atLoad[key]!
      const r0 = receivedAtLoad[key] ?? [0, 0, 0, 0]
      const o = observed[key]
      const d = [0, 1, 2].map(k => [s[k]! - s0[k]!, r[k]! - r0[k]!] as const)
      if (d.some(([x, y]) => x !== y)) lost.push(`${key.slice(0, 8)} sent ${d.map(x => x[0]).join('/')} received ${d.map(x => x[1]).join('/')} during the load`)
      else if (o === undefined || o[0] !== s[3]) lost.push(`${key.slice(0, 8)}: last message ${s[3]}, manager observed ${o?.[0] ?? 'nothing'}`)
    }
    assert.deepEqual(lost.slice(0, 10), [], `${lost.length} agents' messages were not all accounted for`)
    assert.equal(linkAfter.disconnects - linkBefore.disconnects, 0, 'no connection drops during the load')
    assert.equal(Object.entries(sent).reduce((n, [key, s]) => n + s[5] - (atLoad[key]?.[5] ?? 0), 0), 0, 'no agent saw its connection drop during the load')
    assert.equal(linkAfter.connected, AGENTS, 'every agent is still connected')
    assert.equal(Object.keys(linkAfter.logged).filter(e => /failed|overflow|handler_error/.test(e)).length, 0, `the manager logged no failure: ${JSON.stringify(linkAfter.logged)}`)

    // memory flat after the warm-up
    assert.ok(heapEnd.heapUsed - heapStart.heapUsed <= Math.max(HEAP_GROWTH_BOUND, heapStart.heapUsed * 0.1), `the heap after gc stays flat: ${MiB(heapStart.heapUsed)} → ${MiB(heapEnd.heapUsed)}`)
    assert.ok(heapEnd.external - heapStart.external <= EXTERNAL_GROWTH_BOUND, `external memory (Buffers, ArrayBuffers) after gc stays flat: ${MiB(heapStart.external)} → ${MiB(heapEnd.external)}`)
    // native memory (sockets, buffers, SQLite, RocksDB): the C allocator's heaps, whose resident
    // size is its high-water mark; reached in the warm-up, it must not rise (see the top of the file)
    assert.ok(heapEnd.mallocHeaps - heapStart.mallocHeaps <= NATIVE_GROWTH_BOUND, `native memory (the C allocator's resident heaps) stays flat: ${MiB(heapStart.mallocHeaps)} → ${MiB(heapEnd.mallocHeaps)}`)
  } finally {
    await rig.close()
  }
})
