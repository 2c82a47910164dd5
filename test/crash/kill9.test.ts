/**
 * kill -9 across processes: the manager and your stormd run as separate processes (children of
 * this test), on a DHT testnet and a simulated Lightning network this test holds. You add funds
 * again and again; each round one process is armed to SIGKILL itself at one named point of a
 * directive's life (`STORM_CRASH_AT`, src/shared/crash_point.ts), is started again from its files,
 * and the round goes on until the Storm settles. After every round: nothing lost (each directive
 * ended, none left in flight), nothing twice (one channel on the network per directive that
 * succeeded, none without one), stormd's record and the manager's agree, and the signed history
 * agrees with the state (each directive created once, its last recorded status the stored one).
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { fork, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SimNetwork, type SimNode } from '../../src/simnet/index.ts'
import { localTestnet } from '../../src/protocol/index.ts'
import { parseAgentConfig } from '../../src/agent/config.ts'
import { DIRECTIVE_KINDS, type DirectiveMessage } from '../../src/protocol/messages.ts'
import { openedPoints } from '../../src/protocol/channel_opens.ts'
import { startAgentRuntime, type AgentRuntime } from '../../src/app/agent_runtime.ts'
import type { LightningNode } from '../../src/agent/lightning_port.ts'
import { IpcPeer } from './ipc.ts'

const TERMINAL = new Set(['succeeded', 'failed', 'rejected', 'expired', 'revoked', 'cancelled'])

/** Where each round's armed process dies: the manager's apply path and history, stormd's runner. */
export const CRASH_POINTS: Array<{ proc: 'manager' | 'stormd', at: string }> = [
  { proc: 'manager', at: 'manager_stored:directive_created' },
  { proc: 'manager', at: 'history_appended:directive_created' },
  { proc: 'manager', at: 'manager_history:directive_sent' },
  { proc: 'manager', at: 'manager_stored:directive_approved' },
  { proc: 'manager', at: 'manager_history:directive_executing' },
  { proc: 'manager', at: 'manager_stored:directive_result' },
  { proc: 'manager', at: 'manager_stored:channel_open' },
  { proc: 'stormd', at: 'stormd_received' },
  { proc: 'stormd', at: 'stormd_executing' },
  { proc: 'stormd', at: 'stormd_executed' },
  { proc: 'stormd', at: 'stormd_finished' }
]

interface Proc { child: ChildProcess, peer: IpcPeer, exit: Promise<{ code: number | null, signal: NodeJS.Signals | null }> }

async function spawnProc (file: string, dir: string, bootstrap: unknown, crashAt: string | undefined, handlers = {}): Promise<Proc> {
  const env: NodeJS.ProcessEnv = { ...process.env, STORM_CRASH_DIR: dir, STORM_CRASH_BOOTSTRAP: JSON.stringify(bootstrap) }
  delete env.STORM_CRASH_AT
  if (crashAt !== undefined) env.STORM_CRASH_AT = crashAt
  const child = fork(join(import.meta.dirname, file), [], { execArgv: [], env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  const peer = new IpcPeer(child, handlers)
  const exit = new Promise<{ code: number | null, signal: NodeJS.Signals | null }>(resolve => child.on('exit', (code, signal) => { resolve({ code, signal }) }))
  const ready = new Promise<void>((resolve, reject) => {
    peer.onEvent((name) => { if (name === 'ready') resolve() })
    void exit.then(e => { reject(new Error(`${file} ended before it was ready: ${JSON.stringify(e)}`)) })
  })
  await ready
  return { child, peer, exit }
}

async function waitFor<T> (what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let last: unknown
  for (;;) {
    try {
      const v = await fn()
      if (v !== undefined && v !== false) return v
    } catch (e) { last = e }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last === undefined ? '' : `: ${String(last)}`}`)
    await new Promise(resolve => setTimeout(resolve, 100))
  }
}

type Snapshot = {
  member: string | null
  connected: boolean
  reported: boolean
  directives: Array<{ id: string, kind: string, status: string, params: Record<string, unknown>, detail: Record<string, unknown> | null }>
  allocations: Array<{ id: string, kind: string, status: string, amount: number, channels: Array<{ state: string, channelPoint: string | null }> }>
}

test('kill -9 of the manager or stormd at every step of a directive: nothing lost, nothing twice, state and history agree', { timeout: 600_000 }, async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'storm-crash-'))
  const network = SimNetwork.create({ seed: 7, confirmations: 3, autoMineMs: 100 })
  const testnet = await localTestnet()
  const bootstrap = testnet.network.bootstrap!
  const others: AgentRuntime[] = []
  let manager: Proc | null = null
  let stormd: Proc | null = null
  const you: SimNode = network.addNode('you', { onchain: 50_000_000 })
  const ln = you as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>
  you.subscribe((e) => { stormd?.peer.emit('ln', e) })
  // what reached your node, counted on the node's side of the wire: each open and close it did
  const done = { opened: [] as string[], closed: [] as string[] }
  const lnHandlers = {
    ln: async (method: string, args: unknown[]) => {
      const r = await ln[method]!.apply(you, args)
      if (method === 'openChannels') done.opened.push(...(r as Array<{ channelPoint: string }>).map(c => c.channelPoint))
      if (method === 'closeChannel') done.closed.push((args[0] as { channelPoint: string }).channelPoint)
      return r
    }
  }
  const startManager = async (crashAt?: string): Promise<Proc> => (manager = await spawnProc('manager_process.ts', join(root, 'manager'), bootstrap, crashAt))
  const startStormd = async (crashAt?: string): Promise<Proc> => (stormd = await spawnProc('stormd_process.ts', join(root, 'you'), bootstrap, crashAt, lnHandlers))
  const snapshot = (): Promise<Snapshot> => manager!.peer.call<Snapshot>('snapshot', 'you')
  const kill = async (p: Proc | null): Promise<void> => {
    if (p === null || p.child.exitCode !== null || p.child.signalCode !== null) return
    p.child.kill('SIGKILL')
    await p.exit
  }
  /** Stops the manager as its operator would (it closes its link: stormd sees it go at once). */
  const stop = async (p: Proc | null): Promise<void> => {
    if (p === null || p.child.exitCode !== null || p.child.signalCode !== null) return
    void p.peer.call('stop').catch(() => {})
    const stopped = await Promise.race([p.exit.then(() => true), new Promise<false>(resolve => setTimeout(() => resolve(false), 15_000).unref())])
    if (!stopped) await kill(p)
  }
  /** Pairs as a member would: a code that got no answer in time (a busy machine) is asked again, twice at most. */
  const pairRetrying = async (name: string, pair: (invite: string) => Promise<unknown>): Promise<void> => {
    for (let attempt = 1; ; attempt++) {
      try {
        await pair(await manager!.peer.call<string>('pair', name))
        return
      } catch (e) {
        if (attempt >= 3 || (e as { code?: string }).code !== 'PAIRING_NO_ANSWER') throw e
        t.diagnostic(`pairing ${name}: no answer (attempt ${attempt}), asking a new code`)
      }
    }
  }
  try {
    await startManager()
    for (const name of ['alice', 'bob', 'carol']) {
      const node = network.addNode(name, { onchain: 10_000_000 })
      const config = parseAgentConfig({ node: 'simnet', network: 'simnet', dataDir: join(root, name), reportInterval: 5, heartbeatInterval: 5, autoApprove: DIRECTIVE_KINDS.join(',') })
      const rt = await startAgentRuntime({ config, lightning: node as LightningNode, network: testnet.network, backupSchedule: null })
      others.push(rt)
      await manager!.peer.call('connect', name)
      await pairRetrying(name, invite => rt.pair(invite))
    }
    await startStormd()
    await manager!.peer.call('connect', 'you')
    await pairRetrying('you', invite => stormd!.peer.call('pair', invite))
    await waitFor('your first report', async () => (await snapshot()).reported)

    let round = 0
    let firstManagerRound = true
    // STORM_CRASH_ONLY=<text>: only the points whose name holds it (to look into one)
    const only = process.env.STORM_CRASH_ONLY
    for (const point of CRASH_POINTS.filter(p => only === undefined || `${p.proc} ${p.at}`.includes(only))) {
      round++
      const roundStarted = Date.now()
      // arm the point: the process starts again with STORM_CRASH_AT. stormd is killed at rest (a
      // crash too); so is the manager the first time, later it is stopped as an operator would:
      // a SIGKILLed manager leaves stormd's connection half-open, which costs each round
      // AGENT_IDLE_TIMEOUT_MS before stormd looks for the new one (the crash point does that anyway)
      let armed: Proc
      if (point.proc === 'manager') {
        await (firstManagerRound ? kill(manager) : stop(manager))
        firstManagerRound = false
        armed = await startManager(point.at)
      } else {
        await kill(stormd)
        armed = await startStormd(point.at)
        await armed.peer.call('start')
      }
      await waitFor('stormd connected', async () => (await snapshot()).connected, 90_000)
      const before = new Set((await snapshot()).directives.map(d => d.id))
      let crashed = false
      // the user's side, as a person at the chat would do it: add funds, approve what waits
      const restartIfDead = async (): Promise<void> => {
        if (manager!.child.exitCode !== null || manager!.child.signalCode !== null) {
          if (manager === armed) crashed = (await manager.exit).signal === 'SIGKILL'
          await startManager()
        }
        if (stormd!.child.exitCode !== null || stormd!.child.signalCode !== null) {
          if (stormd === armed) crashed = (await stormd.exit).signal === 'SIGKILL'
          await startStormd()
          await stormd!.peer.call('start')
        }
      }
      await waitFor(`round ${round} (${point.proc} at ${point.at}) to settle`, async () => {
        await restartIfDead()
        const s = await snapshot()
        if (process.env.STORM_CRASH_DEBUG !== undefined) console.log(JSON.stringify({ round, crashed, s }))
        const mine = s.directives.filter(d => !before.has(d.id))
        if (mine.length === 0) {
          // nothing stored yet (or the request was lost with the process before it was stored, and
          // the user got no answer): the user asks, once the manager has your node's report again
          if (s.reported) {
            // remove what is open, else add: a batch that a crash ended as a whole leaves nothing to remove,
            // and one that opened leaves no peer to add to (one channel per peer)
            const open = s.allocations.some(a => a.kind === 'add' && a.channels.some(c => c.state === 'open'))
            await manager!.peer.call(open ? 'removeFunds' : 'addFunds', 'you', 1_000_000).catch((e: unknown) => {
              if (process.env.STORM_CRASH_DEBUG !== undefined) console.log('request failed', String(e))
            })
          }
          return false
        }
        if (mine.some(d => d.status === 'awaiting_approval' || d.status === 'sent' || d.status === 'created')) {
          await manager!.peer.call('approveAll', 'you').catch(() => {})
        }
        const settled = mine.every(d => TERMINAL.has(d.status)) && s.allocations.every(a => a.status !== 'pending' && a.status !== 'funding')
        if (!settled || !crashed) return false
        // and stormd has heard the last word (a hold lifted, a revoke): it may still be reconnecting
        const local = await stormd!.peer.call<Record<string, { status: string }>>('directives')
        return s.directives.every(d => local[d.id] === undefined || local[d.id]!.status === d.status) ? s : false
      }, Number(process.env.STORM_CRASH_ROUND_MS ?? 120_000))
      await restartIfDead()
      assert.ok(crashed, `the ${point.proc} was killed at ${point.at}`)
      await checkInvariants(manager!, stormd!, network, you, done)
      t.diagnostic(`round ${round} (${point.proc} at ${point.at}): ${((Date.now() - roundStarted) / 1000).toFixed(1)} s`)
    }
  } finally {
    network.stop()
    await kill(manager)
    await kill(stormd)
    for (const rt of others) await rt.close().catch(() => {})
    await testnet.destroy()
    if (process.env.STORM_CRASH_KEEP === undefined) await rm(root, { recursive: true, force: true })
    else console.log('kept', root, await readFile(join(root, 'manager.log'), 'utf8').catch(() => ''))
  }
})

async function checkInvariants (manager: Proc, stormd: Proc, network: SimNetwork, you: SimNode, done: { opened: string[], closed: string[] }): Promise<void> {
  const s = await manager.peer.call<Snapshot>('snapshot', 'you')
  // nothing lost: every directive ended
  for (const d of s.directives) assert.ok(TERMINAL.has(d.status), `directive ${d.id} (${d.kind}) ended, not ${d.status}`)
  // nothing twice: one channel of yours on the network per channel a succeeded open (one, or a batch in one transaction) names, no other
  const opened = s.directives.filter(d => (d.kind === 'open_channel' || d.kind === 'open_channels') && d.status === 'succeeded')
  const points = opened.flatMap(d => openedPoints({ kind: d.kind, params: d.params } as unknown as DirectiveMessage, (d.detail ?? undefined) as Parameters<typeof openedPoints>[1]).map(p => String(p)))
  assert.equal(new Set(points).size, points.length, 'no two directives claim one channel')
  assert.deepEqual([...done.opened].sort(), [...points].sort(), 'your node opened exactly the channels of succeeded directives, each once')
  const closes = s.directives.filter(d => d.kind === 'close_channel' && d.status === 'succeeded').map(d => String(d.detail?.channelPoint))
  assert.deepEqual([...done.closed].sort(), [...closes].sort(), 'your node closed exactly the channels of succeeded close directives, each once')
  // and what is open on the network is what was opened and not closed
  const open = [...network.channelsOf(you.publicKey), ...network.pendingChannelsOf(you.publicKey)].filter(c => c.initiator).map(c => c.channelPoint)
  assert.deepEqual(open.sort(), points.filter(p => !closes.includes(p)).sort(), 'the channels open on the network are the ones Storm thinks are open')
  // stormd's own record says what the manager's does
  const local = await stormd.peer.call<Record<string, { status: string }>>('directives')
  for (const d of s.directives) {
    const l = local[d.id]
    if (l !== undefined) assert.equal(l.status, d.status, `stormd and the manager agree on ${d.id}`)
  }
  // the signed history agrees with the state
  const history = await manager.peer.call<Array<{ index: number, event: string, data: Record<string, unknown> }>>('history', s.member)
  assert.equal(new Set(history.map(e => e.index)).size, history.length)
  for (const d of s.directives) {
    const created = history.filter(e => e.event === 'directive_created' && e.data.id === d.id)
    assert.equal(created.length, 1, `${d.id} created once in the history`)
    const moves = history.filter(e => e.event.startsWith('directive_') && e.event !== 'directive_created' && e.data.id === d.id)
    assert.equal(moves.at(-1)?.event, `directive_${d.status}`, `the history's last word on ${d.id} is its state`)
    const seen = moves.map(e => `${e.event}<${String(e.data.from)}`)
    assert.equal(new Set(seen).size, seen.length, `no move of ${d.id} recorded twice`)
  }
}
