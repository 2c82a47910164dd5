/**
 * Text tables and number formats for the printed results: fixed-width columns, figures with
 * their unit, spreads as `median (min–max)`.
 */
import type { Summary } from './stats.ts'
import type { Table } from './types.ts'

/** A table as lines: title, header, rule, rows, notes. Numbers are right-aligned. */
export function renderTable (table: Table): string[] {
  const widths = table.columns.map((c, i) => Math.max(c.length, ...table.rows.map(r => (r[i] ?? '').length)))
  const line = (cells: string[]): string => cells.map((c, i) => {
    const w = widths[i]!
    return i === 0 || !/^[-+\d.×(∞]/.test(c) ? c.padEnd(w) : c.padStart(w)
  }).join('  ').trimEnd()
  const out = [table.title, line(table.columns), widths.map(w => '-'.repeat(w)).join('  ')]
  for (const row of table.rows) out.push(line(row))
  for (const note of table.notes ?? []) out.push('  ' + note)
  return out
}

/** A duration in ms with a sensible unit: `812 ns`, `4.31 µs`, `2.10 ms`, `1.52 s`. */
export function duration (ms: number): string {
  if (!Number.isFinite(ms)) return String(ms)
  if (ms < 0.001) return `${(ms * 1e6).toFixed(0)} ns`
  if (ms < 1) return `${sig(ms * 1000)} µs`
  if (ms < 1000) return `${sig(ms)} ms`
  return `${sig(ms / 1000)} s`
}

/** A summary of durations (ms): `2.10 ms (1.95–2.60)`. */
export function durationSpread (s: Summary): string {
  if (s.n === 1) return duration(s.median)
  return `${duration(s.median)} (${duration(s.min)}–${duration(s.max)})`
}

/** A ratio: `×1.32`, with its spread when given: `×1.32 (1.20–1.41)`. */
export function times (r: number | Summary): string {
  if (typeof r === 'number') return `×${sig(r)}`
  if (r.n === 1) return `×${sig(r.median)}`
  return `×${sig(r.median)} (${sig(r.min)}–${sig(r.max)})`
}

/** A share in [0, 1] as a percentage: `93.4%`. */
export function percent (x: number): string {
  return Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : String(x)
}

/** A share's spread: `93.4% (91.0–95.2)`. */
export function percentSpread (s: Summary): string {
  if (s.n === 1) return percent(s.median)
  return `${percent(s.median)} (${(s.min * 100).toFixed(1)}–${(s.max * 100).toFixed(1)})`
}

/** A count with thousands separators: `1,234,567`. */
export function count (n: number): string {
  return Math.round(n).toLocaleString('en-US')
}

/** A rate per second: `12,300/s`. */
export function perSecond (n: number): string {
  return `${count(n)}/s`
}

/** Bytes with a binary unit: `1.5 MiB`. */
export function bytes (n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB']
  let v = n
  let u = 0
  while (Math.abs(v) >= 1024 && u < units.length - 1) { v /= 1024; u++ }
  return u === 0 ? `${Math.round(v)} B` : `${sig(v)} ${units[u]}`
}

/** Three significant digits, without exponent notation for the sizes benches see. */
export function sig (x: number): string {
  if (!Number.isFinite(x)) return x > 0 ? '∞' : String(x)
  const a = Math.abs(x)
  if (a >= 100) return x.toFixed(0)
  if (a >= 10) return x.toFixed(1)
  if (a >= 1) return x.toFixed(2)
  return x.toPrecision(3)
}
