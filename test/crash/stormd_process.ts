/**
 * stormd as its own process, for the kill -9 harness: `startAgentRuntime` on a data directory
 * (its JSON state, key and replay log), its link on the test's DHT testnet. Its Lightning node is
 * the test's simulated node, reached over IPC — as a real stormd reaches LND over gRPC, so the
 * node (and what it did) outlives a kill of stormd. `STORM_CRASH_AT` arms a crash point.
 *
 * Env: STORM_CRASH_DIR (data directory), STORM_CRASH_BOOTSTRAP (the testnet's bootstrap, JSON).
 */
import { appendFileSync } from 'node:fs'
import { startAgentRuntime } from '../../src/app/agent_runtime.ts'
import { parseAgentConfig } from '../../src/agent/config.ts'
import type { LightningEvent, LightningNode } from '../../src/agent/lightning_port.ts'
import { IpcPeer } from './ipc.ts'

// the test is gone (ended or killed): so is this process, never left running on its own
process.on('disconnect', () => { process.exit(1) })

const dir = process.env.STORM_CRASH_DIR!
const bootstrap = JSON.parse(process.env.STORM_CRASH_BOOTSTRAP!) as Array<{ host: string, port: number }>
const logFile = `${dir}.log`

const listeners = new Set<(e: LightningEvent) => void>()
const peer = new IpcPeer(process, {
  pair: async (invite: string) => { await runtime.pair(invite) },
  start: async () => { await runtime.agent.start() },
  /** stormd's own record of its directives (its state file, as loaded and kept). */
  directives: () => runtime.agent.state.directives
})
peer.onEvent((name, data) => { if (name === 'ln') for (const l of listeners) l(data as LightningEvent) })

/** Every method of the port is a call to the test's simulated node; errors come back as StormErrors. */
const lightning = new Proxy({} as LightningNode, {
  get (_t, method: string) {
    if (method === 'subscribe') {
      return (l: (e: LightningEvent) => void) => { listeners.add(l); return () => { listeners.delete(l) } }
    }
    if (method === 'then') return undefined
    return (...args: unknown[]) => peer.call('ln', method, args)
  }
})

const config = parseAgentConfig({
  node: 'simnet',
  network: 'simnet',
  dataDir: dir,
  reportInterval: 5,
  heartbeatInterval: 5,
  autoApprove: '',
  // the harness opens a channel per peer every other round: more than a day's default of 10
  maxChannelsPerDay: 100
})
const runtime = await startAgentRuntime({
  config,
  lightning,
  network: { bootstrap, host: '127.0.0.1' },
  backupSchedule: null,
  log: (level, event, data) => { appendFileSync(logFile, JSON.stringify({ pid: process.pid, level, event, ...data }) + '\n') }
})
peer.emit('ready', {})
