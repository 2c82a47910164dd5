/**
 * `/stats` as a picture: the Storm's liquidity and flow in one PNG, drawn on the server in plain
 * TypeScript (`raster.ts`), for a chat to send as a photo (Telegram), an `m.image` (Matrix) or a
 * file (console). Text in the reader's language; unknown figures said as unknown.
 */
import type { StormView } from '../manager/queries/index.ts'
import type { Translator } from '../shared/i18n.ts'
import { Raster, type Rgb } from './raster.ts'
import { formatter } from './pages/format.ts'

const W = 800
const H = 480
const INK: Rgb = [29, 35, 48]
const MUTED: Rgb = [93, 102, 117]
const BLUE: Rgb = [53, 102, 200]
const GREEN: Rgb = [46, 157, 91]
const AMBER: Rgb = [214, 140, 20]
const GREY: Rgb = [160, 167, 180]
const LINE: Rgb = [221, 225, 231]

/** The Storm's stake by member, channel balance, fee and flow over time, as a PNG. */
export function renderStatsPng (view: StormView, tr: Translator): Buffer {
  const f = formatter(tr)
  const r = new Raster(W, H)
  r.text(20, 16, view.group, INK, 3)
  r.text(20, 44, f.time(view.at), MUTED, 2)

  // stake by member (left)
  r.text(20, 80, tr.t('stats-stake'), INK, 2)
  const members = view.members.filter(m => m.status === 'active' || m.status === 'leaving').slice(0, 8)
  const maxStake = Math.max(1, ...members.map(m => m.stake))
  members.forEach((m, i) => {
    const y = 104 + i * 20
    r.text(20, y + 2, m.name.slice(0, 12), INK, 1)
    const w = Math.round((m.stake / maxStake) * 200)
    r.rect(110, y, Math.max(w, 1), 12, m.stake === 0 ? LINE : BLUE)
    r.text(116 + w, y + 2, f.int(m.stake), MUTED, 1)
  })

  // channel balance and fees (right)
  const ch = view.graph.channels
  const balanced = ch.filter(c => c.balance.known && c.balance.value.zone === 'balanced').length
  const drifting = ch.filter(c => c.balance.known && c.balance.value.zone !== 'balanced').length
  const unknown = ch.length - balanced - drifting
  r.text(420, 80, tr.t('stats-balance', { channels: ch.length }), INK, 2)
  const row = (y: number, colour: Rgb, label: string, n: number): void => {
    r.rect(420, y, 14, 14, colour)
    r.text(442, y + 1, `${label}: ${n}`, INK, 2)
  }
  row(108, GREEN, tr.t('stats-balanced'), balanced)
  row(132, AMBER, tr.t('stats-drifting'), drifting)
  row(156, GREY, tr.t('stats-unknown'), unknown)
  r.text(420, 192, tr.t('stats-capacity', { capacity: f.int(view.graph.capacity) }), INK, 2)
  r.text(420, 216, tr.t('stats-fee', { base: f.int(Number(view.fees.consensus.baseFeeMsat)), rate: f.int(view.fees.consensus.feeRatePpm) }), INK, 2)
  r.text(420, 240, tr.t('stats-earnings', { value: f.known(view.earnings.perMillionPerDay, n => f.dec(n)) }), INK, 1)

  // flow over time (bottom)
  const top = 290
  const bottom = 450
  r.text(20, 266, tr.t('stats-flow'), INK, 2)
  r.line(20, bottom, W - 20, bottom, LINE)
  const points = view.flow.points
  if (points.length === 0) {
    r.text(20, top + 60, tr.t('stats-no-flow'), MUTED, 2)
  } else {
    const span = Math.max(view.flow.bucketMs, view.flow.to - view.flow.from)
    const max = Math.max(1, ...points.map(p => p.amount))
    const barW = Math.max(2, ((W - 40) * view.flow.bucketMs) / span - 1)
    for (const p of points) {
      const x = 20 + ((p.start - view.flow.from) / span) * (W - 40)
      const h = Math.max(1, (p.amount / max) * (bottom - top))
      r.rect(x, bottom - h, barW, h, BLUE)
    }
    r.text(20, top - 4, tr.t('stats-max', { value: f.int(max) }), MUTED, 1)
  }
  r.text(20, bottom + 8, f.time(view.flow.from), MUTED, 1)
  const end = f.time(view.flow.to)
  r.text(W - 20 - Raster.textWidth(end, 1), bottom + 8, end, MUTED, 1)
  return r.png()
}
