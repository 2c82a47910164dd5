/**
 * A manager's report store killed with SIGKILL right after reports were taken: keeps three
 * reports, says `kept` once each `keep` resolved, then kills itself before anything is closed.
 */
import { join } from 'node:path'
import { SqliteReportStore } from '../../../src/manager/state/sqlite_report_store.ts'
import { SAMPLE_BODIES } from '../../protocol/sample_bodies.ts'

const dir = process.argv[2]!
const store = new SqliteReportStore({ path: join(dir, 'reports.db') })
await Promise.all(['m1', 'm2', 'm3'].map((m, i) => store.keep({ key: m, member: m, agentKey: String(i + 1).repeat(64), receivedAt: 1000 + i, report: SAMPLE_BODIES.report })))
process.stdout.write('kept\n')
process.kill(process.pid, 'SIGKILL')
