/**
 * Directive round trip over the real link on a local DHT testnet: the manager sends a directive,
 * the agent answers with its result, timed at the manager. The baseline is a raw HyperDHT
 * connection on the same testnet echoing the same directive's bytes, so the ratio is what the
 * link (sealing, signing, checking, queueing) adds to the transport.
 */
import { once } from 'node:events'
import HyperDHT from 'hyperdht'
import type { NoiseSecretStream } from 'hyperdht'
import { AgentLink, ManagerLink, generateKeyPair, localTestnet, encode, seal } from '../src/protocol/index.ts'
import type { LinkNetwork, Message, MessageBody } from '../src/protocol/index.ts'
import { count, duration, durationSpread, times } from './lib/format.ts'
import { wholePath } from './support/whole_path.ts'
import { pairedRatio, summarize, type Summary } from './lib/stats.ts'
import type { Bench } from './lib/types.ts'

export interface RoundTripConfig {
  /** Timed round trips of each kind. */
  roundTrips: number
  /** Untimed round trips of each kind first. */
  warmup: number
  /** Link and raw round trips alternate in blocks of this many. */
  block: number
  /** The whole path: members in the manager's state, and timed trips (after `warmup` / 10 untimed). */
  members: number
  pathTrips: number
}

export interface RoundTripFigures {
  /** Milliseconds per round trip. */
  link: Summary
  raw: Summary
  /** link ÷ raw, per block of medians. */
  linkVsRaw: Summary
  /** Bytes of the directive envelope sent (and echoed by the baseline). */
  directiveBytes: number
  /** The whole path, ms: addFunds → result stored, and directive sent → result stored. */
  pathTotal: Summary
  pathDirective: Summary
  /** Process CPU time (user + system, every thread) per whole-path trip, ms: what load does not inflate. */
  pathCpuPerTrip: number
}

const DIRECTIVE: MessageBody<'directive'> = {
  kind: 'open_channel',
  params: { peer: '02' + 'b2'.repeat(32), peerMember: 'Qx7bN2k', capacity: 2_000_000, allocation: 'jX78nVt', socket: '10.0.0.2:9735' },
  id: 'dir0',
  reason: 'allocation jX78nVt: 2000000 sats to @bob',
  createdAt: 1_767_225_600_000,
  expiresAt: 1_767_312_000_000,
  requiresApproval: true
}

export const ROUND_TRIP: Bench<RoundTripConfig, RoundTripFigures> = {
  name: 'roundtrip',
  title: 'Directive round trip over Hyperswarm (local DHT testnet)',
  presets: {
    tiny: { roundTrips: 4, warmup: 2, block: 2, members: 20, pathTrips: 3 },
    default: { roundTrips: 1000, warmup: 50, block: 50, members: 3000, pathTrips: 200 },
    full: { roundTrips: 5000, warmup: 100, block: 100, members: 10_000, pathTrips: 500 }
  },
  async run (config, progress) {
    const start = process.hrtime.bigint()
    const testnet = await localTestnet()
    const closers: Array<() => Promise<void>> = [() => testnet.destroy()]
    try {
      progress('roundtrip: connecting the link and the raw echo')
      const linkTrip = await linkPair(testnet.network, closers)
      const rawTrip = await rawEcho(testnet.network, closers)
      for (let i = 0; i < config.warmup; i++) {
        await linkTrip(i)
        await rawTrip()
      }
      const link: number[] = []
      const raw: number[] = []
      const blockLink: number[] = []
      const blockRaw: number[] = []
      for (let done = 0, b = 0; done < config.roundTrips; b++) {
        const size = Math.min(config.block, config.roundTrips - done)
        const l: number[] = []
        const r: number[] = []
        // alternate which goes first, so neither always follows the other's garbage
        for (const side of b % 2 === 0 ? ['link', 'raw'] : ['raw', 'link']) {
          for (let i = 0; i < size; i++) {
            if (side === 'link') l.push(await linkTrip(config.warmup + done + i))
            else r.push(await rawTrip())
          }
        }
        link.push(...l)
        raw.push(...r)
        blockLink.push(summarize(l).median)
        blockRaw.push(summarize(r).median)
        done += size
      }
      progress(`roundtrip: the whole path at ${config.members} members`)
      const path = await wholePath(testnet.network, config.members, config.pathTrips + Math.ceil(config.warmup / 10))
      closers.push(() => path.close())
      for (let i = 0; i < Math.ceil(config.warmup / 10); i++) await path.trip()
      const pathTotal: number[] = []
      const pathDirective: number[] = []
      const cpu0 = process.cpuUsage()
      for (let i = 0; i < config.pathTrips; i++) {
        const t = await path.trip()
        pathTotal.push(t.total)
        pathDirective.push(t.directive)
      }
      const cpu = process.cpuUsage(cpu0)
      const figures: RoundTripFigures = {
        link: summarize(link),
        raw: summarize(raw),
        linkVsRaw: pairedRatio(blockLink, blockRaw),
        directiveBytes: encode(seal(generateKeyPair(), { type: 'directive', body: DIRECTIVE, to: 'ab'.repeat(32), seq: 1, now: Date.now() })).byteLength,
        pathTotal: summarize(pathTotal),
        pathDirective: summarize(pathDirective),
        pathCpuPerTrip: (cpu.user + cpu.system) / 1000 / config.pathTrips
      }
      const pathRow = (what: string, s: Summary): string[] => [what, durationSpread(s), duration(s.median), duration(s.p99)]
      const row = (what: string, s: Summary, vs: string): string[] => [what, durationSpread(s), duration(s.p95), vs]
      return {
        name: 'roundtrip',
        title: ROUND_TRIP.title,
        config,
        figures,
        tables: [{
          title: `Round trip — ${config.roundTrips} of each, median (min–max)`,
          columns: ['what', 'round trip', 'p95', 'vs raw echo'],
          rows: [
            row('ManagerLink directive → AgentLink → result', figures.link, times(figures.linkVsRaw)),
            row(`raw HyperDHT echo of ${figures.directiveBytes} bytes (baseline)`, figures.raw, '×1')
          ],
          notes: ['one process, three DHT nodes on 127.0.0.1; the ratio is paired by blocks of ' + String(config.block)]
        }, {
          title: `The whole path at ${count(config.members)} members: manager (SQLite store, signed history) → stormd → simulated LND → manager — ${config.pathTrips} trips, median (min–max)`,
          columns: ['what', 'time', 'p50', 'p99'],
          rows: [
            pathRow('directive sent → stormd opens the channel → result stored at the manager', figures.pathDirective),
            pathRow('addFunds (plan, store, history, send) → … → result stored', figures.pathTotal)
          ],
          notes: ['each trip opens one 100,000-sat channel to a fresh member with a simulated node (the synthetic members stay in the state, marked leaving so the planner does not pick nodes that exist only on paper); stormd checks its limits, stores, opens on the simulated node, stores, answers; the manager stores the result and its history entry',
            `process CPU per trip (manager, stormd and the DHT in this one process, every thread): ${duration(figures.pathCpuPerTrip)} — wall times above include waiting for a core on a loaded machine`]
        }],
        notes: ['Both ends run in this process, so the figure is CPU and loopback latency, not a network\'s.'],
        seconds: Number(process.hrtime.bigint() - start) / 1e9
      }
    } finally {
      for (const close of closers.reverse()) await close()
    }
  }
}

/** A manager link and an agent link that answers every directive with a result. */
async function linkPair (network: LinkNetwork, closers: Array<() => Promise<void>>): Promise<(i: number) => Promise<number>> {
  const managerKeys = generateKeyPair()
  const agentKeys = generateKeyPair()
  const agentKey = agentKeys.publicKey.toString('hex')
  const manager = new ManagerLink({ keyPair: managerKeys, network, admit: key => key === agentKey ? 'member' : null })
  closers.push(() => manager.close())
  await manager.listen()
  const agent = new AgentLink({ keyPair: agentKeys, managerKey: manager.publicKey, network, backoff: { initialMs: 20, maxMs: 200 } })
  closers.push(() => agent.close())
  agent.on('message', (msg: Message) => {
    if (msg.type === 'directive') agent.send('result', { directive: msg.body.id, outcome: 'succeeded', detail: { channelPoint: 'd4'.repeat(32) + ':0' } })
  })
  const connected = once(manager, 'connected')
  agent.start()
  await connected
  return async (i) => {
    const id = `dir${i}`
    const answered = new Promise<void>(resolve => {
      const onMessage = (_key: string, msg: Message): void => {
        if (msg.type !== 'result' || msg.body.directive !== id) return
        manager.off('message', onMessage)
        resolve()
      }
      manager.on('message', onMessage)
    })
    const t0 = process.hrtime.bigint()
    manager.send(agentKey, 'directive', { ...DIRECTIVE, id })
    await answered
    return Number(process.hrtime.bigint() - t0) / 1e6
  }
}

/** A raw HyperDHT server echoing what it receives, and a client sending the directive's bytes. */
async function rawEcho (network: LinkNetwork, closers: Array<() => Promise<void>>): Promise<() => Promise<number>> {
  const bootstrap = network.bootstrap ?? []
  const serverDht = new HyperDHT({ bootstrap, host: '127.0.0.1' })
  const clientDht = new HyperDHT({ bootstrap, host: '127.0.0.1' })
  closers.push(() => serverDht.destroy(), () => clientDht.destroy())
  const keyPair = generateKeyPair()
  const server = serverDht.createServer({}, (stream: NoiseSecretStream) => {
    stream.on('error', () => {})
    stream.on('data', (data: Buffer) => stream.write(data))
  })
  await server.listen(keyPair)
  closers.push(() => server.close())
  const stream = clientDht.connect(keyPair.publicKey)
  stream.on('error', () => {})
  closers.push(async () => { stream.destroy() })
  await stream.opened
  const bytes = encode(seal(generateKeyPair(), { type: 'directive', body: DIRECTIVE, to: 'ab'.repeat(32), seq: 1, now: Date.now() }))
  return async () => {
    const echoed = once(stream, 'data')
    const t0 = process.hrtime.bigint()
    stream.write(bytes)
    await echoed
    return Number(process.hrtime.bigint() - t0) / 1e6
  }
}
