/**
 * A bar chart of one series over time, as SVG (our own code): one bar per bucket that some report
 * reached; time with no report is left empty, not drawn as zero.
 */
import { html, type Html } from './html.ts'

export interface ChartOptions {
  title: string
  /** Bucket starts and values. */
  points: Array<{ start: number, value: number }>
  from: number
  to: number
  bucketMs: number
  colour: string
  format: (n: number) => string
  formatTime: (ms: number) => string
  empty: string
}

const W = 900
const H = 200
const PAD = { left: 8, right: 8, top: 22, bottom: 22 }

export function barChart (o: ChartOptions): Html {
  if (o.points.length === 0) return html`<p class="empty">${o.empty}</p>`
  const span = Math.max(o.bucketMs, o.to - o.from)
  const max = Math.max(...o.points.map(p => p.value))
  const plotW = W - PAD.left - PAD.right
  const plotH = H - PAD.top - PAD.bottom
  const barW = Math.max(1, (plotW * o.bucketMs) / span - 1)
  const bars = o.points.map(p => {
    const x = PAD.left + ((p.start - o.from) / span) * plotW
    const h = max === 0 ? 0 : (p.value / max) * plotH
    return html`<rect class="bar" x="${x.toFixed(1)}" y="${(PAD.top + plotH - h).toFixed(1)}" width="${barW.toFixed(1)}" height="${Math.max(h, max === 0 ? 0 : 0.5).toFixed(1)}" fill="${o.colour}"><title>${o.formatTime(p.start)}: ${o.format(p.value)}</title></rect>`
  })
  return html`<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="${o.title}" xmlns="http://www.w3.org/2000/svg">
<text x="${PAD.left}" y="14" class="axis">${o.title} — max ${o.format(max)}</text>
<line x1="${PAD.left}" y1="${PAD.top + plotH}" x2="${W - PAD.right}" y2="${PAD.top + plotH}" stroke="#c5cad3"/>
${bars}
<text x="${PAD.left}" y="${H - 6}" class="axis">${o.formatTime(o.from)}</text>
<text x="${W - PAD.right}" y="${H - 6}" text-anchor="end" class="axis">${o.formatTime(o.to)}</text>
</svg>`
}
