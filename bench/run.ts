/**
 * `npm run bench [-- NAME...] [--full | --tiny] [--out FILE]`: runs Storm's benchmarks (all, or
 * those named), prints a table per bench with absolute figures and ratios against baselines run
 * in the same process, and writes the results as JSON (default `bench/results/latest.json`).
 *
 * Restarts itself with `--expose-gc` when started without it, so memory figures are taken after
 * a collection; the npm script stays `node bench/run.ts`.
 */
import { spawn, execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { BENCHES } from './index.ts'
import { renderTable, sig } from './lib/format.ts'
import { canCollect } from './lib/measure.ts'
import { forJson, type BenchResult } from './lib/types.ts'

const HERE = dirname(fileURLToPath(import.meta.url))
const DEFAULT_OUT = join(HERE, 'results', 'latest.json')
const CHILD_FLAG = 'STORM_BENCH_CHILD'

const USAGE = `usage: npm run bench [-- NAME... [--full | --tiny] [--out FILE]]
  NAME        run only these benches: ${BENCHES.map(b => b.name).join(', ')}
  --full      full sizes (liquidity at 3,000 members, 10,000-member planning/reports/memory): ~10 minutes
  --tiny      smoke sizes: checks the benches work, figures mean nothing
  --out FILE  where to write the JSON results (default ${relative(process.cwd(), DEFAULT_OUT)})`

async function main (): Promise<number> {
  if (!canCollect() && process.env[CHILD_FLAG] === undefined) return respawnWithGc()
  let args
  try {
    args = parseArgs({
      allowPositionals: true,
      options: { full: { type: 'boolean' }, tiny: { type: 'boolean' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } }
    })
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`)
    return 2
  }
  const { values, positionals } = args
  if (values.help === true) {
    console.log(USAGE)
    return 0
  }
  if (values.full === true && values.tiny === true) {
    console.error(`--full and --tiny exclude each other\n${USAGE}`)
    return 2
  }
  const unknown = positionals.filter(p => !BENCHES.some(b => b.name === p))
  if (unknown.length > 0) {
    console.error(`unknown bench: ${unknown.join(', ')}\n${USAGE}`)
    return 2
  }
  const preset = values.full === true ? 'full' : values.tiny === true ? 'tiny' : 'default'
  const selected = positionals.length === 0 ? BENCHES : BENCHES.filter(b => positionals.includes(b.name))
  const environment = describeEnvironment(preset)
  console.log(`Storm benchmarks (${preset} sizes) — node ${process.version}, ${environment.cpus}× ${environment.cpuModel}, load ${environment.loadAtStart.map(l => l.toFixed(2)).join(' ')}${environment.commit === null ? '' : `, commit ${environment.commit.slice(0, 10)}`}`)
  if (!canCollect()) console.log('(global.gc is not exposed: memory figures include garbage)')
  const results: BenchResult[] = []
  const failed: Array<{ name: string, error: string }> = []
  const start = process.hrtime.bigint()
  for (const bench of selected) {
    console.log(`\n== ${bench.name}: ${bench.title}`)
    try {
      const result = await bench.run(bench.presets[preset], line => process.stderr.write(`  … ${line}\n`))
      results.push(result)
      for (const table of result.tables) console.log('\n' + renderTable(table).join('\n'))
      for (const note of result.notes) console.log(`* ${note}`)
      console.log(`(${bench.name}: ${sig(result.seconds)} s)`)
    } catch (e) {
      const error = e instanceof Error ? (e.stack ?? e.message) : String(e)
      failed.push({ name: bench.name, error })
      console.error(`${bench.name} failed: ${error}`)
    }
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9
  const out = values.out ?? DEFAULT_OUT
  mkdirSync(dirname(out), { recursive: true })
  writeFileSync(out, JSON.stringify({ environment: { ...environment, loadAtEnd: loadavg(), seconds }, results: results.map(forJson), failed }, null, 2) + '\n')
  console.log(`\n${results.length} bench(es) in ${sig(seconds)} s; results in ${relative(process.cwd(), out)}${failed.length > 0 ? `; FAILED: ${failed.map(f => f.name).join(', ')}` : ''}`)
  return failed.length > 0 ? 1 : 0
}

/** Runs this script again in a child Node with `--expose-gc`, passing the arguments through. */
function respawnWithGc (): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--expose-gc', ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
      stdio: 'inherit',
      env: { ...process.env, [CHILD_FLAG]: '1' }
    })
    // Ctrl-C reaches the child through the terminal's process group; just wait for it
    process.on('SIGINT', () => {})
    child.on('exit', (code, signal) => resolve(code ?? (signal === null ? 1 : 128)))
  })
}

function describeEnvironment (preset: string) {
  const cpu = cpus()
  let commit: string | null = null
  try {
    commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: HERE, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
  } catch {
    // not a git checkout: the results just do not say which commit
  }
  return {
    preset,
    date: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpus: cpu.length,
    cpuModel: cpu[0]?.model.trim() ?? 'unknown',
    loadAtStart: loadavg(),
    gcExposed: canCollect(),
    commit
  }
}

process.exitCode = await main()
