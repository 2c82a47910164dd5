/**
 * Reports ingested per second along the manager's whole receive path, persisted — what the
 * runtime (`manager_runtime.ts`) does with each report a stormd sends, short of the socket:
 * open the signed envelope (UTF-8 JSON, envelope schema, ed25519 over the bytes received,
 * replay guard writing its file, body schema), apply it (`StormManager.onMessage`, the state on
 * `SqliteStateStore`, the flow history fed), and keep it in `reports.db` (`SqliteReportStore`,
 * group commit): a report counts once its `onMessage` has resolved, i.e. once it is on disk.
 * Beside it, in the same rounds: the envelope opened alone (everything before the manager), the
 * manager's part alone (no envelope), zod's parse of the same bodies and the ed25519 check alone
 * — the floor of any path that checks every signature, so the whole path's CPU time per report ÷
 * the check's is how far the path is from the ceiling of one core. Rates are given per second of
 * wall time and per second of the process's CPU time (one core's worth: the path runs on one
 * thread; the fdatasyncs on libuv's pool are counted too). Before the rounds every member
 * reports once, untimed: the state a running Storm is in (each node known, its report in
 * `reports.db`, a newcomer's one-time lift done).
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import crypto from 'hypercore-crypto'
import { ReportSchema, type Report } from '../src/protocol/messages.ts'
import { encode, MAX_TTL_MS, openEnvelope, seal } from '../src/protocol/envelope.ts'
import { ReplayGuard } from '../src/protocol/replay_guard.ts'
import { SqliteReportStore } from '../src/manager/state/sqlite_report_store.ts'
import { FlowRecorder } from '../src/manager/flow_recorder.ts'
import { FlowHistoryDocSchema, FLOW_HISTORY_VERSION, emptyFlowHistory, type FlowHistoryDoc } from '../src/manager/flow_history.ts'
import { JsonFileStore } from '../src/shared/json_store.ts'
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
  /** Rounds; the first is a warm-up (after the untimed report of every member). */
  samples: number
}

export interface ReportsFigures {
  members: number
  channels: number
  /** Mean channels per report and mean report size on the wire (JSON body), bytes. */
  channelsPerReport: number
  bodyBytes: number
  /** Reports per second of wall time, one sample per round. */
  zodParse: Summary
  verify: Summary
  open: Summary
  manager: Summary
  receivePath: Summary
  /** Reports per second of CPU time (the process's), one sample per round. */
  managerCpu: Summary
  openCpu: Summary
  receivePathCpu: Summary
  verifyCpu: Summary
  /** Time per report ÷ zod parse's, paired rounds. */
  managerVsZod: Summary
  receivePathVsZod: Summary
  /**
   * CPU time per report on the receive path ÷ the ed25519 check's alone, paired rounds: 1 would
   * be the ceiling of one core while every signature is checked.
   */
  receivePathVsVerify: Summary
  /** What `reports.db` took: transactions (one per batch), rows, fdatasyncs. */
  store: { batches: number, rows: number, syncs: number, stored: number }
}

export const REPORTS: Bench<ReportsConfig, ReportsFigures> = {
  name: 'reports',
  title: 'Reports ingested per second by the manager, persisted',
  presets: {
    tiny: { members: 10, channelsPerMember: 4, reportsPerRound: 10, samples: 2 },
    default: { members: 3000, channelsPerMember: 8, reportsPerRound: 1000, samples: 7 },
    full: { members: 10_000, channelsPerMember: 8, reportsPerRound: 2000, samples: 4 }
  },
  async run (config, progress) {
    const start = process.hrtime.bigint()
    const syn = syntheticStorm({ members: config.members, channelsPerMember: config.channelsPerMember })
    // the manager as the runtime composes it: state in SQLite, reports in reports.db, flow history fed
    const dir = await mkdtemp(join(tmpdir(), 'storm-bench-reports-'))
    const reports = new SqliteReportStore({ path: join(dir, 'reports.db') })
    const bm = await benchManager(syn.state, syn.now, 'sqlite', undefined, { reports })
    const flow = new FlowRecorder({
      store: new JsonFileStore<FlowHistoryDoc>({ path: join(dir, 'flow.json'), schema: FlowHistoryDocSchema, version: FLOW_HISTORY_VERSION, create: () => emptyFlowHistory() }),
      observations: bm.manager.observations,
      stormNodes: () => bm.manager.stormNodeKeys()
    })
    await flow.start()
    try {
      const bodies = syn.members.map((_, i) => syn.reportOf(i))
      const agents = syn.members.map(m => m.agentKey)
      // the link's side: envelopes sealed once by one agent key; a fresh replay guard (and file) per round
      const signer = crypto.keyPair(Buffer.alloc(32, 7))
      const managerKey = crypto.keyPair(Buffer.alloc(32, 8))
      const to = managerKey.publicKey.toString('hex')
      const from = signer.publicKey.toString('hex')
      const sealedAt = Date.now()
      const wire = bodies.map((body, i) => encode(seal(signer, { type: 'report', body, to, seq: i + 1, now: sealedAt, ttlMs: MAX_TTL_MS })))
      const signedHead = Buffer.from('storm-envelope-v2\n{')
      const verifyArgs = wire.map(w => ({ message: Buffer.concat([signedHead, w.subarray(138)]), sig: Buffer.from(w.toString('latin1', 8, 136), 'hex') }))
      const n = Math.min(config.reportsPerRound, bodies.length)
      // the members whose reports round s carries, in the order their envelopes were sealed
      let first = 0
      const slice = (): number[] => Array.from({ length: n }, (_, k) => (first + k) % bodies.length).sort((a, b) => a - b)
      const zod = (): void => { for (const i of slice()) ReportSchema.parse(bodies[i]) }
      const verify = (): void => {
        for (const i of slice()) if (!crypto.verify(verifyArgs[i]!.message, verifyArgs[i]!.sig, signer.publicKey)) throw new Error('reports: the signature does not verify')
      }
      const manager = async (): Promise<void> => {
        const done: Array<Promise<void>> = []
        for (const i of slice()) done.push(bm.manager.onMessage(agents[i]!, { type: 'report', id: `r${i}`, from: agents[i]!, body: bodies[i]! }, 'member'))
        await Promise.all(done)
      }
      let round = 0
      const receive = async (replay: ReplayGuard, members: number[] = slice()): Promise<void> => {
        const done: Array<Promise<void>> = []
        for (const i of members) {
          const opened = openEnvelope(wire[i]!, { now: sealedAt, self: to, expectFrom: from, replay })
          if (!opened.ok) throw new Error(`reports: envelope refused: ${opened.error.code}`)
          done.push(bm.manager.onMessage(agents[i]!, { ...opened.value, from: agents[i]! }, 'member', opened.envelope))
        }
        // every report taken: applied, and on disk
        await Promise.all(done)
      }
      // the envelopes alone, up to what the manager is handed
      const open = (replay: ReplayGuard): void => {
        for (const i of slice()) {
          const opened = openEnvelope(wire[i]!, { now: sealedAt, self: to, expectFrom: from, replay })
          if (!opened.ok) throw new Error(`reports: envelope refused: ${opened.error.code}`)
        }
      }
      const cpuMs = async (fn: () => void | Promise<void>): Promise<{ wall: number, cpu: number }> => {
        const c = process.cpuUsage()
        const wall = await timeBatch(async () => { await fn() }, 1)
        const u = process.cpuUsage(c)
        return { wall, cpu: (u.user + u.system) / 1000 }
      }
      // zod and verify alone are quick at small sizes: repeat within a round until the clock can see them
      const zodRepeat = await calibrate(count => { for (let i = 0; i < count; i++) zod() }, 20, 1 << 12)
      const verifyRepeat = await calibrate(count => { for (let i = 0; i < count; i++) verify() }, 20, 1 << 12)
      // every member reports once, untimed: each node known and its report on disk, newcomers lifted
      const warm = new ReplayGuard({ file: join(dir, 'replay-warm.log') })
      await receive(warm, bodies.map((_, i) => i))
      warm.close()
      const per = { zod: [] as number[], verify: [] as number[], verifyCpu: [] as number[], open: [] as number[], openCpu: [] as number[], manager: [] as number[], managerCpu: [] as number[], receive: [] as number[], receiveCpu: [] as number[] }
      for (let s = 0; s < config.samples; s++) {
        const z = await timeBatch(c => { for (let i = 0; i < c; i++) zod() }, zodRepeat) / zodRepeat / n
        const v = await cpuMs(() => { for (let i = 0; i < verifyRepeat; i++) verify() })
        const openGuard = new ReplayGuard({ file: join(dir, `replay-open-${round}.log`) })
        const o = await cpuMs(() => { open(openGuard) })
        openGuard.close()
        const m = await cpuMs(manager)
        const replay = new ReplayGuard({ file: join(dir, `replay-${round++}.log`) })
        const r = await cpuMs(() => receive(replay))
        replay.close()
        first = (first + n) % bodies.length
        const rate = (ms: number): string => sig(1000 / (ms / n))
        progress(`reports: round ${s + 1}/${config.samples}: zod ${sig(1000 / z)}/s, verify ${rate(v.wall / verifyRepeat)}/s (${rate(v.cpu / verifyRepeat)}/CPU s), envelope opened ${rate(o.wall)}/s (${rate(o.cpu)}/CPU s), manager ${rate(m.wall)}/s (${rate(m.cpu)}/CPU s), receive path ${rate(r.wall)}/s (${rate(r.cpu)}/CPU s)`)
        if (s === 0) continue
        per.zod.push(z)
        per.verify.push(v.wall / verifyRepeat / n)
        per.verifyCpu.push(v.cpu / verifyRepeat / n)
        per.open.push(o.wall / n)
        per.openCpu.push(o.cpu / n)
        per.manager.push(m.wall / n)
        per.managerCpu.push(m.cpu / n)
        per.receive.push(r.wall / n)
        per.receiveCpu.push(r.cpu / n)
      }
      if (bm.manager.observations.get(syn.members[0]!.id).report === undefined) throw new Error('reports: the manager kept no report')
      const stored = reports.stored().length
      if (stored !== bodies.length) throw new Error(`reports: ${stored} reports on disk, expected ${bodies.length}`)
      const rate = (ms: number[]): Summary => summarize(ms.map(x => 1000 / x))
      const figures: ReportsFigures = {
        members: config.members,
        channels: syn.channels.length,
        channelsPerReport: bodies.reduce((s, b) => s + b.channels.length, 0) / bodies.length,
        bodyBytes: bodies.reduce((s, b: Report) => s + Buffer.byteLength(JSON.stringify(b)), 0) / bodies.length,
        zodParse: rate(per.zod),
        verify: rate(per.verify),
        open: rate(per.open),
        manager: rate(per.manager),
        receivePath: rate(per.receive),
        managerCpu: rate(per.managerCpu),
        openCpu: rate(per.openCpu),
        receivePathCpu: rate(per.receiveCpu),
        verifyCpu: rate(per.verifyCpu),
        managerVsZod: pairedRatio(per.manager, per.zod),
        receivePathVsZod: pairedRatio(per.receive, per.zod),
        receivePathVsVerify: pairedRatio(per.receiveCpu, per.verifyCpu),
        store: { ...reports.counts, stored }
      }
      const spread = (s: Summary): string => `${perSecond(s.median)} (${count(s.min)}–${count(s.max)})`
      return {
        name: 'reports',
        title: REPORTS.title,
        config,
        figures,
        tables: [{
          title: `Reports ingested per second — ${count(config.members)} members, ${sig(figures.channelsPerReport)} channels and ${count(figures.bodyBytes)} bytes per report; median (min–max) of ${config.samples - 1} rounds of ${count(n)}`,
          columns: ['what', 'per second (wall)', 'per CPU second', 'time per report vs zod'],
          rows: [
            ['ReportSchema.parse (baseline)', spread(figures.zodParse), '', '×1'],
            ['ed25519 verify alone (sodium, as the link): the ceiling', spread(figures.verify), spread(figures.verifyCpu), ''],
            ['openEnvelope alone (JSON, schemas, ed25519, replay guard and its file)', spread(figures.open), spread(figures.openCpu), ''],
            ['onMessage(report), state + reports.db + flow history', spread(figures.manager), spread(figures.managerCpu), times(figures.managerVsZod)],
            ['whole receive path, persisted (openEnvelope + onMessage, awaited on disk)', spread(figures.receivePath), spread(figures.receivePathCpu), times(figures.receivePathVsZod)]
          ],
          notes: [
            'a round: reports from the next members in turn, queued as the link delivers them, then awaited until each is on disk; ratios are paired by round',
            `whole receive path CPU per report ÷ ed25519 verify's alone: ${times(figures.receivePathVsVerify)} (×1 would be the ceiling of one core while every signature is checked)`,
            `reports.db: ${count(figures.store.rows)} rows in ${count(figures.store.batches)} transactions, ${count(figures.store.syncs)} fdatasyncs`
          ]
        }],
        notes: [
          'Before the rounds every member reported once, untimed (each node known, its report on disk, newcomers lifted once): the rounds measure a running Storm.',
          'The receive path is what the link and the runtime do per message: UTF-8 JSON, envelope schema, ed25519 signature over the bytes received (envelope v2, no canonical re-encoding), replay guard (its file appended), body schema; then the manager: apply, the state on SQLite (what the report changed), the flow history fed, the report kept in reports.db — counted when its onMessage resolves, once its group commit is fdatasynced.',
          'Per CPU second = reports per second of the process\'s CPU time: what one core does, whatever else the machine runs.'
        ],
        seconds: Number(process.hrtime.bigint() - start) / 1e9
      }
    } finally {
      await flow.close()
      await bm.close()
      await reports.close()
      await rm(dir, { recursive: true, force: true })
    }
  }
}
