/**
 * Puts a link load together: a HyperDHT testnet on 127.0.0.1 (in this process), the manager as
 * its own process on a seeded N-member state (`manager_process.ts`), and a load generator
 * process of N light agents (`agent_swarm.ts`). Used by the load test (`test/load/`) and the
 * connections bench (`bench/connections.ts`).
 */
import { fork, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SqliteStateStore } from '../../../src/manager/state/sqlite_state_store.ts'
import { localTestnet, type LocalTestnet } from '../../../src/protocol/index.ts'
import { IpcPeer } from '../../../test/crash/ipc.ts'
import { loadStorm } from './load_storm.ts'
import { MANAGER_NODE_OPTIONS } from '../../../src/app/manager_node_options.ts'

/** The manager's memory; `mallocHeaps`: resident bytes of glibc's heaps (`native_memory.ts`). */
export interface MemoryReading { rss: number, heapUsed: number, heapTotal: number, external: number, arrayBuffers: number, mallocHeaps: number }

/** A child process and its IPC peer. */
export interface Child {
  process: ChildProcess
  peer: IpcPeer
  /** The data of its `ready` event. */
  ready: Record<string, unknown>
}

export interface LoadRig {
  testnet: LocalTestnet
  manager: Child
  managerKey: string
  /** The seeded state: member i's chat identity, to type commands as that member. */
  chatOf (i: number): { platform: string, userId: string, name: string }
  /** Starts the load generator (`members` agents, not yet connected). */
  startSwarm (opts?: { dhts?: number, freshRoster?: boolean }): Promise<Child>
  /** Stops both processes (gracefully, then by force) and the testnet, and removes the data. */
  close (): Promise<void>
}

/** Seeds a data directory with the N-member load Storm, starts the testnet and the manager. */
export async function startLoadRig (members: number, log: (line: string) => void = () => {}): Promise<LoadRig> {
  const dir = await mkdtemp(join(tmpdir(), 'storm-load-'))
  const children: Child[] = []
  let testnet: LocalTestnet | null = null
  const close = async (): Promise<void> => {
    for (const c of children.reverse()) await stopChild(c)
    await testnet?.destroy()
    await rm(dir, { recursive: true, force: true })
  }
  try {
    const t0 = performance.now()
    const syn = loadStorm(members)
    const chats = syn.members.map(m => syn.state.members[m.id]!.chat)
    const store = new SqliteStateStore({ path: join(dir, 'state.db'), create: () => syn.state })
    await store.load()
    store.close()
    log(`seeded a ${members}-member state in ${Math.round(performance.now() - t0)} ms`)
    testnet = await localTestnet()
    const bootstrap = JSON.stringify(testnet.network.bootstrap)
    // with the Node options `npm start` gives the manager: what is measured is the process as it runs
    const manager = await startChild('manager_process.ts', { LOAD_DIR: dir, LOAD_BOOTSTRAP: bootstrap }, MANAGER_NODE_OPTIONS)
    children.push(manager)
    const managerKey = String(manager.ready.key)
    log(`manager up in ${Math.round(Number(manager.ready.startMs))} ms with ${String(manager.ready.members)} members`)
    return {
      testnet,
      manager,
      managerKey,
      chatOf: (i) => {
        const c = chats[i]!
        return { platform: c.platform, userId: c.userId, name: c.name }
      },
      startSwarm: async (opts = {}) => {
        const swarm = await startChild('agent_swarm.ts', { LOAD_BOOTSTRAP: bootstrap, LOAD_MANAGER_KEY: managerKey, LOAD_MEMBERS: String(members), LOAD_DHTS: String(opts.dhts ?? 1), LOAD_FRESH_ROSTER: opts.freshRoster === true ? '1' : '0' })
        children.push(swarm)
        return swarm
      },
      close
    }
  } catch (e) {
    await close()
    throw e
  }
}

async function startChild (file: string, env: Record<string, string>, nodeOptions: readonly string[] = []): Promise<Child> {
  const child = fork(join(import.meta.dirname, file), [], {
    // LOAD_NODE_ARGS: more Node options for both processes (e.g. --cpu-prof to profile them), after
    // the process's own, so they can override them
    execArgv: ['--expose-gc', ...nodeOptions, ...(process.env.LOAD_NODE_ARGS ?? '').split(' ').filter(a => a !== '')],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc']
  })
  const peer = new IpcPeer(child)
  const ready = await new Promise<Record<string, unknown>>((resolve, reject) => {
    peer.onEvent((name, data) => { if (name === 'ready') resolve(data as Record<string, unknown>) })
    child.once('exit', (code, signal) => reject(new Error(`${file} exited (${code ?? signal}) before it was ready`)))
  })
  return { process: child, peer, ready }
}

async function stopChild (c: Child): Promise<void> {
  if (c.process.exitCode !== null || c.process.signalCode !== null) return
  const exited = new Promise<void>(resolve => c.process.once('exit', () => resolve()))
  const force = setTimeout(() => c.process.kill('SIGKILL'), 15_000)
  c.peer.call('stop').catch(() => { c.process.kill('SIGKILL') })
  await exited
  clearTimeout(force)
}
