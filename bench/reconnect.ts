/**
 * Reconnect time over the real link on a local DHT testnet (hyperdht on 127.0.0.1), each end in
 * its own process where the case needs it:
 * - first connect (the baseline): an agent starts while the manager runs;
 * - stormd restart: the agent's process is SIGKILLed and started again with the same key on the
 *   same UDP port (the manager's side of the old connection is left open); timed from the new
 *   process's start;
 * - manager restart, graceful: the manager's process closes its link (SIGTERM) and a new one
 *   listens under the same key; timed from the new manager's process start to the agent hearing from it;
 * - manager restart, crash: the manager's process is SIGKILLed, so the agent's connection is left
 *   half-open (no goodbye reaches it); timed the same way, and from the kill.
 * Every time is until the agent has *heard* from the manager over the new connection (its first
 * message), not merely until the connection opened: a connection that opens and carries nothing is
 * what costs users the wait. Real time, several runs of each; ratios against the first connect of
 * the same run.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { AgentLink, generateKeyPair, localTestnet } from '../src/protocol/index.ts'
import { durationSpread, times } from './lib/format.ts'
import { summarize, type Summary } from './lib/stats.ts'
import type { Bench } from './lib/types.ts'

export interface ReconnectConfig {
  /** Runs of each case. */
  runs: number
}

export interface ReconnectFigures {
  /** Milliseconds. */
  firstConnect: Summary
  stormdRestart: Summary
  managerGraceful: Summary
  managerCrash: Summary
  /** Manager crash: from the kill (the new manager starting at once) to the agent connected. */
  managerCrashFromKill: Summary
}

const AGENT_CHILD = fileURLToPath(new URL('../scripts/reconnect_child.ts', import.meta.url))
const MANAGER_CHILD = fileURLToPath(new URL('./support/reconnect_manager.ts', import.meta.url))
/** One case that takes longer than this is reported as this (and the run goes on). */
const CASE_TIMEOUT_MS = 120_000

interface Child { proc: ChildProcess, line: (re: RegExp) => Promise<RegExpExecArray>, exited: Promise<void> }

function child (file: string, args: string[]): Child {
  const proc = spawn(process.execPath, [file, ...args], { stdio: ['ignore', 'pipe', 'inherit'] })
  let out = ''
  const waiting = new Set<() => void>()
  proc.stdout!.on('data', (b: Buffer) => { out += b.toString(); for (const w of waiting) w() })
  const exited = new Promise<void>(resolve => proc.on('exit', () => resolve()))
  return {
    proc,
    exited,
    line: (re) => new Promise((resolve, reject) => {
      const check = (): void => {
        const m = re.exec(out)
        if (m !== null) {
          waiting.delete(check)
          out = out.slice(m.index + m[0].length)
          resolve(m)
        }
      }
      waiting.add(check)
      void exited.then(() => { if (waiting.has(check)) reject(new Error(`${file} exited`)) })
      check()
    })
  }
}

async function kill (c: Child, signal: NodeJS.Signals): Promise<void> {
  if (c.proc.exitCode !== null || c.proc.signalCode !== null) return
  c.proc.kill(signal)
  await c.exited
}

function within<T> (p: Promise<T>, what: string): Promise<T> {
  return Promise.race([p, new Promise<T>((_resolve, reject) => setTimeout(() => reject(new Error(`${what}: over ${CASE_TIMEOUT_MS} ms`)), CASE_TIMEOUT_MS).unref())])
}

export const RECONNECT: Bench<ReconnectConfig, ReconnectFigures> = {
  name: 'reconnect',
  title: 'Reconnect time: stormd or manager restarted (local DHT testnet, separate processes)',
  presets: { tiny: { runs: 1 }, default: { runs: 5 }, full: { runs: 15 } },
  async run (config, progress) {
    const started = performance.now()
    const testnet = await localTestnet()
    const bootstrap = JSON.stringify(testnet.network.bootstrap)
    const s = { firstConnect: [] as number[], stormdRestart: [] as number[], managerGraceful: [] as number[], managerCrash: [] as number[], managerCrashFromKill: [] as number[] }
    try {
      for (let run = 1; run <= config.runs; run++) {
        const managerSeed = generateKeyPair().secretKey.subarray(0, 32).toString('hex')
        const agentSeed = generateKeyPair().secretKey.subarray(0, 32).toString('hex')
        let manager = child(MANAGER_CHILD, [managerSeed, bootstrap])
        await within(manager.line(/listening \d+/), 'manager listening')
        const managerKey = (await import('hypercore-crypto')).default.keyPair(Buffer.from(managerSeed, 'hex')).publicKey.toString('hex')

        // stormd restarted by SIGKILL: the agent is a process of its own
        // both stormd processes bind one UDP port, as a real stormd does (HyperDHT's 49737 when free)
        const port = String(40_000 + Math.floor(Math.random() * 9_000))
        const first = child(AGENT_CHILD, [agentSeed, managerKey, bootstrap, port])
        s.firstConnect.push(Number((await within(first.line(/heard (\d+)/), 'first connect'))[1]))
        await kill(first, 'SIGKILL')
        const again = child(AGENT_CHILD, [agentSeed, managerKey, bootstrap, port])
        s.stormdRestart.push(Number((await within(again.line(/heard (\d+)/), 'stormd restart'))[1]))
        await kill(again, 'SIGKILL')

        // the manager restarted: an agent that stays up (in this process) must find the new one
        const agent = new AgentLink({ keyPair: (await import('hypercore-crypto')).default.keyPair(Buffer.from(agentSeed, 'hex')), managerKey, network: testnet.network, ...(process.env.STORM_BENCH_VERBOSE === undefined ? {} : { log: (e: string, d: object) => { progress(`${Math.round(performance.now())} agent ${e} ${JSON.stringify(d)}`) } }) })
        const connects: number[] = []
        // connected and heard from: the manager's roster came over the new connection
        agent.on('message', () => connects.push(performance.now()))
        const nextConnect = async (after: number): Promise<number> => {
          await within(new Promise<void>(resolve => {
            const check = (): void => { if (connects.some(t => t > after)) resolve(); else setTimeout(check, 5) }
            check()
          }), 'agent reconnect')
          return connects.find(t => t > after)!
        }
        agent.start()
        await nextConnect(0)
        try {
          await kill(manager, 'SIGTERM')
          const spawned = performance.now()
          if (process.env.STORM_BENCH_VERBOSE !== undefined) progress(`${Math.round(spawned)} manager stopped, starting again`)
          manager = child(MANAGER_CHILD, [managerSeed, bootstrap])
          s.managerGraceful.push((await nextConnect(spawned)) - spawned)

          await within(manager.line(/connected/), 'manager saw the agent')
          const killedAt = performance.now()
          await kill(manager, 'SIGKILL')
          const spawned2 = performance.now()
          manager = child(MANAGER_CHILD, [managerSeed, bootstrap])
          const back = await nextConnect(killedAt)
          s.managerCrash.push(back - spawned2)
          s.managerCrashFromKill.push(back - killedAt)
        } finally {
          await agent.close()
          await kill(manager, 'SIGKILL')
        }
        progress(`run ${run}/${config.runs}: first ${s.firstConnect.at(-1)} ms, stormd restart ${s.stormdRestart.at(-1)} ms, manager graceful ${Math.round(s.managerGraceful.at(-1)!)} ms, manager crash ${Math.round(s.managerCrash.at(-1)!)} ms (${Math.round(s.managerCrashFromKill.at(-1)!)} ms from the kill)`)
      }
    } finally {
      await testnet.destroy()
    }
    const figures: ReconnectFigures = {
      firstConnect: summarize(s.firstConnect),
      stormdRestart: summarize(s.stormdRestart),
      managerGraceful: summarize(s.managerGraceful),
      managerCrash: summarize(s.managerCrash),
      managerCrashFromKill: summarize(s.managerCrashFromKill)
    }
    const base = figures.firstConnect.median
    const row = (name: string, v: Summary): string[] => [name, durationSpread(v), times(v.median / base)]
    return {
      name: 'reconnect',
      title: RECONNECT.title,
      config,
      figures,
      tables: [{
        title: `Time to connected, median (min–max) of ${config.runs} runs`,
        columns: ['case', 'time', 'vs first connect'],
        rows: [
          row('first connect (baseline)', figures.firstConnect),
          row('stormd SIGKILL + restart', figures.stormdRestart),
          row('manager graceful restart', figures.managerGraceful),
          row('manager SIGKILL + restart (half-open)', figures.managerCrash),
          row('  … counted from the kill', figures.managerCrashFromKill)
        ],
        notes: [
          'Each row: until the manager\'s first message arrives on the new connection (it sends the roster at once), not only until it opens.',
          'stormd rows: from the new stormd process starting.',
          'manager rows: from the new manager process starting (at once after the old one ended) to the agent, which stayed up, connected.'
        ]
      }],
      notes: ['Real time on a shared machine: medians are what to compare.'],
      seconds: (performance.now() - started) / 1000
    }
  }
}
