/**
 * Reports ingested per second: every member's report through `StormManager.onMessage`, against
 * the bare zod parse of the same bodies (so the ratio is the manager's overhead), plus the whole
 * receive path short of the socket (open the signed envelope, then the manager).
 */
import crypto from 'hypercore-crypto'
import { ReportSchema, type Report } from '../src/protocol/messages.ts'
import { encode, MAX_TTL_MS, openEnvelope, seal } from '../src/protocol/envelope.ts'
import { ReplayGuard } from '../src/protocol/replay_guard.ts'
import { count, perSecond, sig, times } from './lib/format.ts'
import { calibrate, timeBatch } from './lib/measure.ts'
import { pairedRatio, summarize, type Summary } from './lib/stats.ts'
import type { Bench } from './lib/types.ts'
import { benchManager } from './support/bench_manager.ts'
import { syntheticStorm } from './support/synthetic_storm.ts'

export interface ReportsConfig {
  members: number
  channelsPerMember: number
  /**
   * Reports per round, from consecutive members (the next round takes the next ones): a report
   * costs what the size of the Storm makes it cost, so a round need not cover every member.
   */
  reportsPerRound: number
  /** Rounds; the first is a warm-up. */
  samples: number
}

export interface ReportsFigures {
  members: number
  channels: number
  /** Mean channels per report and mean report size on the wire (JSON body), bytes. */
  channelsPerReport: number
  bodyBytes: number
  /** Reports per second, one sample per round. */
  zodParse: Summary
  manager: Summary
  receivePath: Summary
  /** Time per report ÷ zod parse's, paired rounds. */
  managerVsZod: Summary
  receivePathVsZod: Summary
}

export const REPORTS: Bench<ReportsConfig, ReportsFigures> = {
  name: 'reports',
  title: 'Reports ingested per second by the manager',
  presets: {
    tiny: { members: 10, channelsPerMember: 4, reportsPerRound: 10, samples: 2 },
    default: { members: 3000, channelsPerMember: 8, reportsPerRound: 1000, samples: 7 },
    full: { members: 10_000, channelsPerMember: 8, reportsPerRound: 2000, samples: 4 }
  },
  async run (config, progress) {
    const start = process.hrtime.bigint()
    const syn = syntheticStorm({ members: config.members, channelsPerMember: config.channelsPerMember })
    // the manager as it runs: its state in SQLite, what a report changes written before the next
    const bm = await benchManager(syn.state, syn.now, 'sqlite')
    try {
      const bodies = syn.members.map((_, i) => syn.reportOf(i))
      const agents = syn.members.map(m => m.agentKey)
      // the link's side: envelopes sealed once by one agent key; a fresh replay guard per round
      const signer = crypto.keyPair(Buffer.alloc(32, 7))
      const managerKey = crypto.keyPair(Buffer.alloc(32, 8))
      const to = managerKey.publicKey.toString('hex')
      const from = signer.publicKey.toString('hex')
      const sealedAt = Date.now()
      const wire = bodies.map((body, i) => encode(seal(signer, { type: 'report', body, to, seq: i + 1, now: sealedAt, ttlMs: MAX_TTL_MS })))
      const n = Math.min(config.reportsPerRound, bodies.length)
      // the members whose reports round s carries
      let first = 0
      const slice = (): number[] => Array.from({ length: n }, (_, k) => (first + k) % bodies.length)
      const zod = (): void => { for (const i of slice()) ReportSchema.parse(bodies[i]) }
      const manager = async (): Promise<void> => {
        for (const i of slice()) void bm.manager.onMessage(agents[i]!, { type: 'report', id: `r${i}`, from: agents[i]!, body: bodies[i]! }, 'member')
        await bm.manager.whenIdle()
      }
      const receive = async (): Promise<void> => {
        // envelopes of one signer must come in seq order: a fresh guard per round
        const replay = new ReplayGuard()
        for (const i of slice().sort((a, b) => a - b)) {
          const opened = openEnvelope(wire[i]!, { now: sealedAt, self: to, expectFrom: from, replay })
          if (!opened.ok) throw new Error(`reports: envelope refused: ${opened.error.code}`)
          void bm.manager.onMessage(agents[i]!, { ...opened.value, from: agents[i]! }, 'member')
        }
        await bm.manager.whenIdle()
      }
      // zod alone is quick at small sizes: repeat it within a round until the clock can see it
      const zodRepeat = await calibrate(count => { for (let i = 0; i < count; i++) zod() }, 20, 1 << 12)
      const perReport = { zod: [] as number[], manager: [] as number[], receive: [] as number[] }
      for (let s = 0; s < config.samples; s++) {
        const z = await timeBatch(c => { for (let i = 0; i < c; i++) zod() }, zodRepeat) / zodRepeat / n
        const m = await timeBatch(manager, 1) / n
        const r = await timeBatch(receive, 1) / n
        first = (first + n) % bodies.length
        progress(`reports: round ${s + 1}/${config.samples}: zod ${sig(1000 / z)}/s, manager ${sig(1000 / m)}/s, receive path ${sig(1000 / r)}/s`)
        if (s === 0) continue
        perReport.zod.push(z)
        perReport.manager.push(m)
        perReport.receive.push(r)
      }
      if (bm.manager.observations.get(syn.members[0]!.id).report === undefined) throw new Error('reports: the manager kept no report')
      const rate = (ms: number[]): Summary => summarize(ms.map(x => 1000 / x))
      const figures: ReportsFigures = {
        members: config.members,
        channels: syn.channels.length,
        channelsPerReport: bodies.reduce((s, b) => s + b.channels.length, 0) / bodies.length,
        bodyBytes: bodies.reduce((s, b: Report) => s + Buffer.byteLength(JSON.stringify(b)), 0) / bodies.length,
        zodParse: rate(perReport.zod),
        manager: rate(perReport.manager),
        receivePath: rate(perReport.receive),
        managerVsZod: pairedRatio(perReport.manager, perReport.zod),
        receivePathVsZod: pairedRatio(perReport.receive, perReport.zod)
      }
      const spread = (s: Summary): string => `${perSecond(s.median)} (${count(s.min)}–${count(s.max)})`
      return {
        name: 'reports',
        title: REPORTS.title,
        config,
        figures,
        tables: [{
          title: `Reports ingested per second — ${count(config.members)} members, ${sig(figures.channelsPerReport)} channels and ${count(figures.bodyBytes)} bytes per report; median (min–max) of ${config.samples - 1} rounds of ${count(n)}`,
          columns: ['what', 'reports per second', 'time per report vs zod'],
          rows: [
            ['ReportSchema.parse (baseline)', spread(figures.zodParse), '×1'],
            ['StormManager.onMessage(report), SqliteStateStore', spread(figures.manager), times(figures.managerVsZod)],
            ['openEnvelope + onMessage, SqliteStateStore (receive path, no socket)', spread(figures.receivePath), times(figures.receivePathVsZod)]
          ],
          notes: ['a round: reports from the next members in turn, queued as the link delivers them, then awaited; ratios are paired by round']
        }],
        notes: [
          'The receive path is what the link does per message (UTF-8 JSON, envelope schema, ed25519 signature over the bytes received — envelope v2, no canonical re-encoding —, replay, body schema) followed by the manager.',
          'Persisted: the manager runs on its SQLite store; a report that moves a channel (opening → open, closing → closed) is written before the next message; the latest report per member stays in memory (high-rate data is never written per report).'
        ],
        seconds: Number(process.hrtime.bigint() - start) / 1e9
      }
    } finally {
      await bm.close()
    }
  }
}
