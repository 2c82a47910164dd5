/**
 * The liquidity bench's chart: success against load — per Storm shape, each strategy's success
 * per round (x: payments carried so far; y: share delivered, 0–100 %, gridlines every 20 %),
 * median over seeds. Pure JavaScript PNG (pngjs), no native build; no text is drawn, the colours
 * are listed in the bench's notes and in `CHART_SERIES`.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { PNG } from 'pngjs'
import { summarize } from '../lib/stats.ts'
import type { LiquidityFigures } from './index.ts'
import type { WorkloadShape } from './workload.ts'

type Rgb = readonly [number, number, number]

/** The series drawn and their colours. */
export const CHART_SERIES: ReadonlyArray<{ label: string, colour: Rgb, placement: string, rebalancing: string | 'oracle' | 'capacity' }> = [
  { label: 'capacity bound (storm placement)', colour: [150, 150, 150], placement: 'storm planner', rebalancing: 'capacity' },
  { label: 'oracle (storm placement)', colour: [0, 0, 0], placement: 'storm planner', rebalancing: 'oracle' },
  { label: 'storm planner + storm circular', colour: [220, 30, 30], placement: 'storm planner', rebalancing: 'storm circular' },
  { label: 'storm planner + none', colour: [240, 150, 20], placement: 'storm planner', rebalancing: 'none' },
  { label: 'storm planner + pairwise', colour: [140, 60, 200], placement: 'storm planner', rebalancing: 'pairwise' },
  { label: 'random + none', colour: [40, 90, 220], placement: 'random', rebalancing: 'none' },
  { label: 'pref. attachment + none', colour: [30, 160, 60], placement: 'pref. attachment', rebalancing: 'none' }
]

const W = 480
const H = 300
const PAD = 30

/** Renders the chart as PNG bytes. */
export function renderChart (figures: LiquidityFigures, work: WorkloadShape): Buffer {
  const cols = Math.min(2, Math.max(1, figures.storms.length))
  const rows = Math.max(1, Math.ceil(figures.storms.length / cols))
  const png = new PNG({ width: cols * W, height: rows * H + 20 })
  fill(png, 0, 0, png.width, png.height, [255, 255, 255])
  // the legend: a swatch per series, in CHART_SERIES' order
  CHART_SERIES.forEach((s, i) => fill(png, 10 + i * 30, 5, 20, 10, s.colour))
  figures.storms.forEach((storm, k) => {
    const ox = (k % cols) * W
    const oy = 20 + Math.floor(k / cols) * H
    const x0 = ox + PAD
    const x1 = ox + W - PAD / 2
    const y0 = oy + H - PAD
    const y1 = oy + PAD / 2
    for (let g = 0; g <= 5; g++) {
      const y = Math.round(y0 - (y0 - y1) * g / 5)
      fill(png, x0, y, x1 - x0, 1, g === 0 ? [0, 0, 0] : [225, 225, 225])
    }
    fill(png, x0, y1, 1, y0 - y1, [0, 0, 0])
    const rounds = work.rounds
    for (const s of CHART_SERIES) {
      const perRound: number[][] = []
      if (s.rebalancing === 'oracle' || s.rebalancing === 'capacity') {
        for (const b of storm.bounds.filter(x => x.placement === s.placement)) perRound.push(s.rebalancing === 'oracle' ? b.oracle.perRound : b.capacity.perRound)
      } else {
        for (const r of storm.runs.filter(x => x.placement === s.placement && x.rebalancing === s.rebalancing)) perRound.push(r.perRound)
      }
      if (perRound.length === 0) continue
      const points = Array.from({ length: rounds }, (_, i) => summarize(perRound.map(p => p[i] ?? 0)).median)
      const at = (i: number): [number, number] => [
        x0 + Math.round((x1 - x0) * (rounds === 1 ? 0.5 : i / (rounds - 1))),
        y0 - Math.round((y0 - y1) * points[i]!)
      ]
      for (let i = 1; i < rounds; i++) line(png, at(i - 1), at(i), s.colour)
      for (let i = 0; i < rounds; i++) { const [x, y] = at(i); fill(png, x - 2, y - 2, 5, 5, s.colour) }
    }
  })
  return PNG.sync.write(png)
}

/** Writes the chart to `path`, creating its folder. */
export function writeChart (path: string, figures: LiquidityFigures, work: WorkloadShape): void {
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, renderChart(figures, work))
}

function fill (png: PNG, x: number, y: number, w: number, h: number, c: Rgb): void {
  for (let j = Math.max(0, y); j < Math.min(png.height, y + h); j++) {
    for (let i = Math.max(0, x); i < Math.min(png.width, x + w); i++) set(png, i, j, c)
  }
}

function set (png: PNG, x: number, y: number, c: Rgb): void {
  if (x < 0 || y < 0 || x >= png.width || y >= png.height) return
  const o = (y * png.width + x) * 4
  png.data[o] = c[0]
  png.data[o + 1] = c[1]
  png.data[o + 2] = c[2]
  png.data[o + 3] = 255
}

/** A 2-pixel line (Bresenham). */
function line (png: PNG, [xa, ya]: [number, number], [xb, yb]: [number, number], c: Rgb): void {
  const dx = Math.abs(xb - xa)
  const dy = -Math.abs(yb - ya)
  const sx = xa < xb ? 1 : -1
  const sy = ya < yb ? 1 : -1
  let err = dx + dy
  let x = xa
  let y = ya
  for (;;) {
    set(png, x, y, c); set(png, x + 1, y, c); set(png, x, y + 1, c)
    if (x === xb && y === yb) break
    const e2 = 2 * err
    if (e2 >= dy) { err += dy; x += sx }
    if (e2 <= dx) { err += dx; y += sy }
  }
}
