import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SqliteReportStore } from '../src/manager/state/sqlite_report_store.ts'
import { FlowRecorder } from '../src/manager/flow_recorder.ts'
import { FlowHistoryDocSchema, FLOW_HISTORY_VERSION, emptyFlowHistory, type FlowHistoryDoc } from '../src/manager/flow_history.ts'
import { stormNodesOf } from '../src/app/manager_runtime.ts'
import { JsonFileStore } from '../src/shared/json_store.ts'
import { benchManager } from '../bench/support/bench_manager.ts'
import { syntheticStorm } from '../bench/support/synthetic_storm.ts'
const syn = syntheticStorm({ members: 3000, channelsPerMember: 8 })
const dir = await mkdtemp(join(tmpdir(), 'prof-'))
const mode = process.argv[2] ?? 'all'
const reports = mode === 'nostore' ? undefined : new SqliteReportStore({ path: join(dir, 'reports.db') })
const bm = await benchManager(syn.state, syn.now, 'sqlite', undefined, reports ? { reports } : {})
if (mode !== 'noflow' ) {
const flow = new FlowRecorder({ store: new JsonFileStore<FlowHistoryDoc>({ path: join(dir, 'flow.json'), schema: FlowHistoryDocSchema, version: FLOW_HISTORY_VERSION, create: () => emptyFlowHistory() }), observations: bm.manager.observations, stormNodes: stormNodesOf(bm.manager) })
await flow.start()
}
const bodies = syn.members.map((_, i) => syn.reportOf(i))
for (let round = 0; round < 6; round++) {
  const c = process.cpuUsage()
  const done = []
  for (let i = 0; i < 3000; i++) done.push(bm.manager.onMessage(syn.members[i]!.agentKey, { type: 'report', id: `r${i}`, from: syn.members[i]!.agentKey, body: bodies[i]! }, 'member'))
  await Promise.all(done)
  const u = process.cpuUsage(c)
  console.log(mode, 'µs cpu/report', ((u.user + u.system) / 3000).toFixed(1))
}
process.exit(0)
