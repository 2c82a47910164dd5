/**
 * Storm's benchmarks, in the order `npm run bench` runs them. Each is a `Bench`: presets
 * (`tiny` for the smoke test, `default`, `full`) and a run returning figures and tables.
 */
import type { Bench } from './lib/types.ts'
import { EXIT } from './exit.ts'
import { CONNECTIONS } from './connections.ts'
import { LIQUIDITY } from './liquidity/index.ts'
import { MEMORY } from './memory.ts'
import { PLANNING } from './planning.ts'
import { REPORTS } from './reports.ts'
import { RECONNECT } from './reconnect.ts'
import { ROUND_TRIP } from './round_trip.ts'
import { DOWNTIME } from './downtime.ts'

export type { Bench, BenchResult, Table } from './lib/types.ts'
export { CONNECTIONS, EXIT, LIQUIDITY, MEMORY, PLANNING, RECONNECT, REPORTS, ROUND_TRIP, DOWNTIME }

/** Every bench, by the name `npm run bench -- <name>` selects it with. */
export const BENCHES: readonly Bench[] = [LIQUIDITY, EXIT, PLANNING, REPORTS, ROUND_TRIP, RECONNECT, MEMORY, CONNECTIONS, DOWNTIME]
