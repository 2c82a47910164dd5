/**
 * Memory at Storm scale: the manager's heap with the state of N members and each member's latest
 * report held in its observations, against the bare JSON size of the same data (state plus
 * reports) as the baseline. Needs `--expose-gc` (`bench/run.ts` restarts itself with it).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ReportSchema } from '../src/protocol/messages.ts'
import { SqliteStateStore } from '../src/manager/state/sqlite_state_store.ts'
import { JsonFileStore } from '../src/shared/json_store.ts'
import { StateSchema, STATE_VERSION, type State } from '../src/manager/state/schema.ts'
import { bytes, count, durationSpread, sig, times } from './lib/format.ts'
import { canCollect, heapAfterGc } from './lib/measure.ts'
import { summarize, type Summary } from './lib/stats.ts'
import type { Bench } from './lib/types.ts'
import { benchManager, type BenchManager } from './support/bench_manager.ts'
import { syntheticStorm, type SyntheticStorm } from './support/synthetic_storm.ts'

export interface MemoryConfig {
  members: number
  channelsPerMember: number
  /** Independent builds measured. */
  samples: number
}

export interface MemoryFigures {
  /** False when the heap could not be collected first: the figures then include garbage. */
  collected: boolean
  members: number
  channels: number
  directives: number
  /** Heap bytes, one sample per build. */
  heapTotal: Summary
  heapState: Summary
  heapObservations: Summary
  /** Bare JSON bytes of the state, of all reports, and both. */
  jsonState: number
  jsonReports: number
  jsonTotal: number
  bytesPerMember: number
  /** heap ÷ JSON. */
  heapVsJson: number
  stateVsJson: number
  observationsVsJson: number
  /** Process RSS with the manager on its SQLite store, after gc, bytes (one sample per build). */
  rss: Summary
  /** Time to load the state at start, ms: the SQLite store, and the JSON document it replaced. */
  loadSqlite: Summary
  loadJson: Summary
}

export const MEMORY: Bench<MemoryConfig, MemoryFigures> = {
  name: 'memory',
  title: 'Memory: the manager at N members',
  presets: {
    tiny: { members: 20, channelsPerMember: 4, samples: 1 },
    default: { members: 3000, channelsPerMember: 8, samples: 3 },
    full: { members: 10_000, channelsPerMember: 8, samples: 2 }
  },
  async run (config, progress) {
    const start = process.hrtime.bigint()
    const total: number[] = []
    const state: number[] = []
    const observations: number[] = []
    let json = { state: 0, reports: 0, channels: 0, directives: 0 }
    const rss: number[] = []
    const loadSqlite: number[] = []
    const loadJson: number[] = []
    for (let s = 0; s < config.samples; s++) {
      const m = await measureOnce(config)
      rss.push(m.rss)
      loadSqlite.push(m.loadSqlite)
      loadJson.push(m.loadJson)
      progress(`memory: build ${s + 1}/${config.samples}: ${bytes(m.total)} heap`)
      total.push(m.total)
      state.push(m.state)
      observations.push(m.observations)
      json = m.json
    }
    const jsonTotal = json.state + json.reports
    const heapTotal = summarize(total)
    const heapState = summarize(state)
    const heapObservations = summarize(observations)
    const figures: MemoryFigures = {
      collected: canCollect(),
      members: config.members,
      channels: json.channels,
      directives: json.directives,
      heapTotal,
      heapState,
      heapObservations,
      jsonState: json.state,
      jsonReports: json.reports,
      jsonTotal,
      bytesPerMember: heapTotal.median / config.members,
      heapVsJson: heapTotal.median / jsonTotal,
      stateVsJson: heapState.median / json.state,
      observationsVsJson: heapObservations.median / json.reports,
      rss: summarize(rss),
      loadSqlite: summarize(loadSqlite),
      loadJson: summarize(loadJson)
    }
    const spread = (x: Summary): string => config.samples > 1 ? `${bytes(x.median)} (${bytes(x.min)}–${bytes(x.max)})` : bytes(x.median)
    return {
      name: 'memory',
      title: MEMORY.title,
      config,
      figures,
      tables: [{
        title: `Heap at ${count(config.members)} members (${count(json.channels)} channels, ${count(json.directives)} directives) — median (min–max) of ${config.samples} builds`,
        columns: ['what', 'heap', 'per member', 'bare JSON (baseline)', 'heap vs JSON'],
        rows: [
          ['state (members, allocations, directives)', spread(heapState), bytes(heapState.median / config.members), bytes(json.state), times(figures.stateVsJson)],
          ['observations (latest report per member)', spread(heapObservations), bytes(heapObservations.median / config.members), bytes(json.reports), times(figures.observationsVsJson)],
          ['total', spread(heapTotal), bytes(figures.bytesPerMember), bytes(jsonTotal), times(figures.heapVsJson)]
        ],
        notes: [`heapUsed after gc, minus the heap before the build; ${sig(config.channelsPerMember)} Storm channels per member, flow included in reports`]
      }, {
        title: `The manager process at ${count(config.members)} members, its state in SQLite — median (min–max) of ${config.samples} builds`,
        columns: ['what', 'figure'],
        rows: [
          ['process RSS after gc (state, reports, SQLite store; no agent connections)', config.samples > 1 ? `${bytes(figures.rss.median)} (${bytes(figures.rss.min)}–${bytes(figures.rss.max)})` : bytes(figures.rss.median)],
          ['state load at start: SqliteStateStore.load (read-only check, zod, then open)', durationSpread(figures.loadSqlite)],
          ['state load at start: JsonFileStore.load of the same state (before)', durationSpread(figures.loadJson)]
        ],
        notes: ['RSS is the whole process (Node, the bench scaffolding dropped); agents\' live connections are not part of it (see the roundtrip bench for the link)']
      }],
      notes: canCollect() ? [] : ['global.gc was not exposed: run through bench/run.ts (it adds --expose-gc), else these figures include garbage.'],
      seconds: Number(process.hrtime.bigint() - start) / 1e9
    }
  }
}

interface Measured {
  total: number
  state: number
  observations: number
  json: { state: number, reports: number, channels: number, directives: number }
  rss: number
  loadSqlite: number
  loadJson: number
}

/**
 * Builds the Storm, measures the heap with the scaffolding still alive before and after the
 * reports (their difference is the observations), then drops the scaffolding and measures what
 * the manager alone keeps.
 */
async function measureOnce (config: MemoryConfig): Promise<Measured> {
  const before = heapAfterGc()
  let syn: SyntheticStorm | null = syntheticStorm({ members: config.members, channelsPerMember: config.channelsPerMember })
  const jsonState = Buffer.byteLength(JSON.stringify(syn.state))
  const directives = Object.keys(syn.state.directives).length
  const channels = syn.channels.length
  // a copy for the JSON store's load: the manager takes the state over
  const jsonText = JSON.stringify(syn.state)
  let bm: BenchManager | null = await benchManager(syn.state, syn.now, 'sqlite')
  const withoutReports = heapAfterGc()
  let jsonReports = 0
  for (let i = 0; i < syn.members.length; i++) {
    // as the link hands it over: bytes off the wire, parsed, checked by the body schema
    const wire = JSON.stringify(syn.reportOf(i))
    jsonReports += Buffer.byteLength(wire)
    const agentKey = syn.members[i]!.agentKey
    void bm.manager.onMessage(agentKey, { type: 'report', id: `r${i}`, from: agentKey, body: ReportSchema.parse(JSON.parse(wire)) }, 'member')
  }
  await bm.manager.whenIdle()
  const withReports = heapAfterGc()
  syn = null
  const kept = heapAfterGc()
  const observations = withReports - withoutReports
  const result: Measured = {
    total: kept - before,
    state: kept - before - observations,
    observations,
    json: { state: jsonState, reports: jsonReports, channels, directives },
    rss: 0,
    loadSqlite: 0,
    loadJson: 0
  }
  if (bm.manager.state.group === '') throw new Error('memory: the manager lost its state')
  heapAfterGc()
  result.rss = process.memoryUsage().rss
  result.loadSqlite = await timeLoad(new SqliteStateStore({ path: bm.storePath!, create: () => { throw new Error('memory: no state to load') } }))
  const dir = await mkdtemp(join(tmpdir(), 'storm-bench-json-'))
  try {
    await writeFile(join(dir, 'state.json'), jsonText)
    result.loadJson = await timeLoad(new JsonFileStore<State>({ path: join(dir, 'state.json'), schema: StateSchema, version: STATE_VERSION, create: () => { throw new Error('memory: no state to load') } }))
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
  await bm.close()
  bm = null
  return result
}

/** Milliseconds to load a stored state, as a manager does at start. */
async function timeLoad (store: { load (): Promise<unknown>, close?: () => void }): Promise<number> {
  const t0 = process.hrtime.bigint()
  await store.load()
  const ms = Number(process.hrtime.bigint() - t0) / 1e6
  store.close?.()
  return ms
}
