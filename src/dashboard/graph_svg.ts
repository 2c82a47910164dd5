/**
 * The channel graph as SVG, drawn by our own small code (no library, nothing from a CDN):
 * members on a circle, each channel a line coloured by its balance against the balance point —
 * green inside the dead zone, amber to red the further it drifts — with a dot where the balance
 * sits (at the opener's end when the opener holds everything). Opening and closing channels are
 * dashed; channels without reported balances are grey.
 */
import type { ChannelGraph, GraphChannel } from '../manager/queries/index.ts'
import { html, raw, type Html } from './html.ts'

const SIZE = 420
const RADIUS = 150

export interface GraphLabels {
  title: string
  channel: (c: GraphChannel, a: string, b: string) => string
  empty: string
}

export function graphSvg (g: ChannelGraph, labels: GraphLabels): Html {
  if (g.nodes.length === 0) return html`<p class="empty">${labels.empty}</p>`
  const c = SIZE / 2
  const pos = new Map(g.nodes.map((n, i) => {
    const angle = -Math.PI / 2 + (2 * Math.PI * i) / g.nodes.length
    return [n.id, { x: c + RADIUS * Math.cos(angle), y: c + RADIUS * Math.sin(angle), angle }]
  }))
  const names = new Map(g.nodes.map(n => [n.id, n.name]))
  const maxCap = Math.max(1, ...g.channels.map(ch => ch.capacity))
  const lines = g.channels.map(ch => {
    const a = pos.get(ch.a)
    const b = pos.get(ch.b)
    if (a === undefined || b === undefined) return ''
    const width = (1.5 + 5 * Math.sqrt(ch.capacity / maxCap)).toFixed(1)
    const colour = colourOf(ch)
    const dashed = ch.state === 'opening' || ch.state === 'closing' || ch.state === 'inactive'
    // the dot: the balance sits nearer the side that holds more
    const t = ch.balance.known ? 1 - ch.balance.value.aShare : 0.5
    const dot = ch.balance.known
      ? html`<circle class="balance-dot" cx="${fx(a.x + (b.x - a.x) * t)}" cy="${fx(a.y + (b.y - a.y) * t)}" r="4" fill="${colour}" stroke="#fff" stroke-width="1.5"/>`
      : ''
    return html`<g class="channel" data-channel="${ch.id}" data-zone="${ch.balance.known ? ch.balance.value.zone : 'unknown'}" data-state="${ch.state}">
<title>${labels.channel(ch, names.get(ch.a) ?? ch.a, names.get(ch.b) ?? ch.b)}</title>
<line x1="${fx(a.x)}" y1="${fx(a.y)}" x2="${fx(b.x)}" y2="${fx(b.y)}" stroke="${colour}" stroke-width="${width}" stroke-linecap="round"${raw(dashed ? ' stroke-dasharray="6 5"' : '')}/>
${dot}</g>`
  })
  const nodes = g.nodes.map(n => {
    const p = pos.get(n.id)!
    const lx = c + (RADIUS + 28) * Math.cos(p.angle)
    const ly = c + (RADIUS + 28) * Math.sin(p.angle)
    const anchor = Math.abs(Math.cos(p.angle)) < 0.3 ? 'middle' : Math.cos(p.angle) > 0 ? 'start' : 'end'
    return html`<g class="member" data-member="${n.id}" data-online="${String(n.online)}">
<circle cx="${fx(p.x)}" cy="${fx(p.y)}" r="13" fill="${n.online ? '#3566c8' : '#9aa3b5'}" stroke="#fff" stroke-width="2"/>
<text x="${fx(lx)}" y="${fx(ly + 4)}" text-anchor="${anchor}" class="label">${n.name}</text></g>`
  })
  return html`<svg class="graph" viewBox="-60 -10 ${SIZE + 120} ${SIZE + 20}" role="img" aria-label="${labels.title}" xmlns="http://www.w3.org/2000/svg">
${lines}${nodes}</svg>`
}

/** Green within the dead zone; from amber to red as the drift grows to the whole channel. */
export function colourOf (ch: GraphChannel): string {
  if (!ch.balance.known) return '#a0a7b4'
  const b = ch.balance.value
  if (b.zone === 'balanced') return '#2e9d5b'
  const over = Math.min(1, (Math.abs(b.deviation) - b.settings.deadzone) / Math.max(0.01, 0.5 - b.settings.deadzone))
  const hue = Math.round(40 - 40 * over)
  return `hsl(${hue}, 85%, 45%)`
}

function fx (n: number): string {
  return n.toFixed(1)
}
