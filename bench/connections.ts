/**
 * The manager process's memory with live agent connections: the real manager runtime (its own
 * process, `bench/support/link_load/manager_process.ts`) on an N-member state, measured after gc
 * with no agent connected (the baseline, in the same run), then with all N agents of a load
 * generator connected over the real link (HyperDHT on a 127.0.0.1 testnet), each having said
 * hello and sent a report as stormd does. What the connections add is the difference.
 */
import { bytes, count, sig } from './lib/format.ts'
import { summarize, type Summary } from './lib/stats.ts'
import type { Bench } from './lib/types.ts'
import { startLoadRig, type MemoryReading } from './support/link_load/harness.ts'

export interface ConnectionsConfig {
  members: number
  /** Readings after gc in each state (no connections, connected), a second apart. */
  readings: number
  /** Agents connecting at once. */
  concurrency: number
  /** Time allowed for every agent to connect, ms. */
  connectMs: number
}

export interface ConnectionsFigures {
  members: number
  connected: number
  connectSeconds: number
  baseline: Readings
  withConnections: Readings
  /** RSS the connections add, per connection. */
  rssPerConnection: number
  heapPerConnection: number
  /** The goal (issue 13): RSS at 3,000 members with live connections. */
  goalRss: number
}

/** Medians and spreads of the readings in one state. */
/** `external` is Node's: memory outside the JS heap that V8 knows of, array buffers included. */
export interface Readings { rss: Summary, heap: Summary, heapTotal: Summary, external: Summary, arrayBuffers: Summary }

const GOAL_RSS = 250e6
const pause = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))

export const CONNECTIONS: Bench<ConnectionsConfig, ConnectionsFigures> = {
  name: 'connections',
  title: 'The manager process with live agent connections (real link)',
  presets: {
    tiny: { members: 20, readings: 2, concurrency: 20, connectMs: 60_000 },
    default: { members: 3000, readings: 5, concurrency: 64, connectMs: 300_000 },
    full: { members: 10_000, readings: 5, concurrency: 64, connectMs: 900_000 }
  },
  async run (config, progress) {
    const start = process.hrtime.bigint()
    const rig = await startLoadRig(config.members, progress)
    try {
      const manager = rig.manager.peer
      const read = async (): Promise<MemoryReading[]> => {
        const out: MemoryReading[] = []
        for (let i = 0; i < config.readings; i++) {
          out.push(await manager.call<MemoryReading>('memory', true))
          await pause(1000)
        }
        return out
      }
      // the manager has loaded its state, listens, and nobody is connected
      await pause(2000)
      const base = await read()
      const swarm = await rig.startSwarm()
      swarm.peer.onEvent((name, data) => { if (name === 'progress') progress(`connecting: ${JSON.stringify(data)}`) })
      const c = await swarm.peer.call<{ ready: number, ms: number }>('connect', config.concurrency, config.connectMs)
      const link = await manager.call<{ connected: number }>('link')
      if (c.ready < config.members || link.connected < config.members) throw new Error(`only ${c.ready} agents connected (${link.connected} at the manager) of ${config.members} in ${sig(c.ms / 1000)} s`)
      // what the hellos and reports started has settled (stores, history, sends)
      await manager.call('observed')
      await pause(3000)
      const live = await read()
      const summary = (xs: MemoryReading[]): Readings => ({ rss: summarize(xs.map(x => x.rss)), heap: summarize(xs.map(x => x.heapUsed)), heapTotal: summarize(xs.map(x => x.heapTotal)), external: summarize(xs.map(x => x.external)), arrayBuffers: summarize(xs.map(x => x.arrayBuffers)) })
      const baseline = summary(base)
      const withConnections = summary(live)
      const figures: ConnectionsFigures = {
        members: config.members,
        connected: link.connected,
        connectSeconds: c.ms / 1000,
        baseline,
        withConnections,
        rssPerConnection: (withConnections.rss.median - baseline.rss.median) / config.members,
        heapPerConnection: (withConnections.heap.median - baseline.heap.median) / config.members,
        goalRss: GOAL_RSS
      }
      const spread = (s: Summary): string => `${bytes(s.median)} (${bytes(s.min)}–${bytes(s.max)})`
      return {
        name: 'connections',
        title: CONNECTIONS.title,
        config,
        figures,
        tables: [{
          title: `The manager process at ${count(config.members)} members — median (min–max) of ${config.readings} readings after gc`,
          columns: ['what', 'no connections (baseline)', `${count(link.connected)} live connections`, 'added per connection'],
          rows: [
            ['process RSS', spread(baseline.rss), spread(withConnections.rss), bytes(figures.rssPerConnection)],
            ['JS heap used', spread(baseline.heap), spread(withConnections.heap), bytes(figures.heapPerConnection)],
            ['JS heap reserved (heapTotal)', spread(baseline.heapTotal), spread(withConnections.heapTotal), bytes((withConnections.heapTotal.median - baseline.heapTotal.median) / config.members)],
            ['rest of RSS (native: sockets, buffers, code, malloc)', bytes(baseline.rss.median - baseline.heapTotal.median), bytes(withConnections.rss.median - withConnections.heapTotal.median), bytes((withConnections.rss.median - withConnections.heapTotal.median - baseline.rss.median + baseline.heapTotal.median) / config.members)],
            // Node's `external` includes the array buffers (adding both counted them twice)
            ['of which external to V8 (array buffers included)', spread(baseline.external), spread(withConnections.external), bytes((withConnections.external.median - baseline.external.median) / config.members)],
            ['of which array buffers', spread(baseline.arrayBuffers), spread(withConnections.arrayBuffers), bytes((withConnections.arrayBuffers.median - baseline.arrayBuffers.median) / config.members)]
          ],
          notes: [
            `goal (issue 13): RSS ≤ ${bytes(GOAL_RSS)} at 3,000 members with live connections; all ${count(config.members)} agents connected in ${sig(c.ms / 1000)} s`,
            'each agent: its own key and Noise connection, hello (holding the current roster) and one report, as stormd; the same state and process without connections is the baseline'
          ]
        }],
        notes: [],
        seconds: Number(process.hrtime.bigint() - start) / 1e9
      }
    } finally {
      await rig.close()
    }
  }
}
