/**
 * The shape every bench shares: presets of its configuration, a run that returns figures for
 * JSON and tables for people, and notes saying what each row is.
 */

/** A table as printed: a title, column headers, rows of cells already formatted. */
export interface Table {
  title: string
  columns: string[]
  rows: string[][]
  /** Lines printed under the table (what the rows are, how ratios read). */
  notes?: string[]
}

/** What one bench returns. */
export interface BenchResult<C = unknown, F = unknown> {
  name: string
  title: string
  config: C
  /** Machine-readable figures (written to the JSON results). */
  figures: F
  tables: Table[]
  /** Caveats that apply to the whole bench. */
  notes: string[]
  /** Wall time of the run, seconds. */
  seconds: number
}

/** Presets: `tiny` for the smoke test, `default` for `npm run bench`, `full` behind `--full`. */
export interface Presets<C> {
  tiny: C
  default: C
  full: C
}

/** Progress lines for the person waiting (stderr); results go in the tables. */
export type Progress = (line: string) => void

/** A bench: a name to select it by, presets, and a run. */
export interface Bench<C = unknown, F = unknown> {
  name: string
  title: string
  presets: Presets<C>
  run (config: C, progress: Progress): Promise<BenchResult<C, F>>
}

/** A bench run for JSON: figures with the configuration and notes, without the printed tables. */
export function forJson (result: BenchResult): Omit<BenchResult, 'tables'> {
  const { tables: _tables, ...rest } = result
  return rest
}
