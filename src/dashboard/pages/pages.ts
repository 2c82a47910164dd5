/**
 * The dashboard's pages: the public overview, the members' view, the comparison, and short
 * message pages (login refused, not logged in). Each returns the `<main>` content, so the live
 * update can swap just that.
 */
import type { StormView, StormSummary } from '../../manager/queries/index.ts'
import { html, type Html } from '../html.ts'
import type { ComparedStorm, CompareColumn } from '../compare.ts'
import { COMPARE_COLUMNS } from '../compare.ts'
import type { Fmt } from './format.ts'
import { figures, membersSection, graphSection, feesSection, pendingSection, flowSection, earningsSection } from './sections.ts'

/** What anyone may see: the Storm's figures, fees and votes, flow, earnings. No names, no balances. */
export function overviewMain (f: Fmt, v: StormView, o: { summaryUrl: string | null, loggedIn: boolean }): Html {
  return html`${figures(f, v)}
${o.loggedIn ? html`<p class="hint"><a href="/storm">${f.t('dash-go-storm')}</a></p>` : html`<p class="hint">${f.t('dash-login-hint')}</p>`}
<div class="grid">${feesSection(f, v.fees)}${earningsSection(f, v.earnings)}</div>
${flowSection(f, v.flow)}
${o.summaryUrl === null ? '' : html`<p class="note">${f.t('dash-summary-published')} <a href="${o.summaryUrl}">summary.json</a> · <a href="/summary.schema.json">${f.t('dash-summary-schema')}</a></p>`}`
}

/** The members' view: everything, the member's own pending directives first. */
export function stormMain (f: Fmt, v: StormView, me: string): Html {
  const mine = v.pending.directives.filter(d => d.target === me)
  const self = v.members.find(m => m.id === me)
  return html`${figures(f, v)}
<section id="you"><h2>${f.t('dash-you', { name: self?.name ?? me })}</h2>
<p>${f.t('dash-you-figures', { stake: f.int(self?.stake ?? 0), channels: self?.channels ?? 0, waiting: mine.filter(d => d.status === 'awaiting_approval').length })}</p>
</section>
${membersSection(f, v.members)}
${graphSection(f, v.graph)}
<div class="grid">${feesSection(f, v.fees)}${earningsSection(f, v.earnings)}</div>
${pendingSection(f, v)}
${flowSection(f, v.flow)}`
}

/** The comparison: this Storm and the configured ones, sortable by each column. */
export function compareMain (f: Fmt, rows: ComparedStorm[], sort: { column: CompareColumn, dir: 'asc' | 'desc' }): Html {
  const head = COMPARE_COLUMNS.map(col => {
    const active = sort.column === col
    const dir = active && sort.dir === 'desc' ? 'asc' : active ? 'desc' : col === 'name' ? 'asc' : 'desc'
    const mark = active ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : ''
    return html`<th${col === 'name' ? '' : html` class="num"`} aria-sort="${active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}"><a href="/compare?sort=${col}&amp;dir=${dir}" data-sort="${col}">${f.t('dash-cmp-' + col)}${mark}</a></th>`
  })
  const cell = (s: StormSummary | undefined, show: (s: StormSummary) => string | Html): Html => s === undefined ? html`<td class="num">—</td>` : html`<td class="num">${show(s)}</td>`
  const body = rows.map(r => {
    const s = r.summary
    const flag = r.status === 'ok' ? '' : html` <span class="flag flag-${r.status}" title="${r.detail ?? ''}">${f.t('dash-cmp-status-' + r.status.replace('_', '-'))}</span>`
    return html`<tr data-url="${r.url}" data-status="${r.status}">
<td class="name">${s === undefined ? new URL(r.url).host : s.name}${flag}${r.status === 'stale' && r.ageMs !== undefined ? html`<br><small class="detail">${f.t('dash-cmp-age', { hours: Math.round(r.ageMs / 3_600_000) })}</small>` : ''}${r.detail === undefined || r.status === 'ok' ? '' : html`<br><small class="detail">${r.detail}</small>`}</td>
${cell(s, x => f.int(Number(x.baseFeeMsat)))}
${cell(s, x => f.int(x.feeRatePpm))}
${cell(s, x => x.flowRate.forwardsPerSecond === null ? f.t('dash-unknown-no-data') : f.dec(x.flowRate.forwardsPerSecond, 4))}
${cell(s, x => f.int(x.members))}
${cell(s, x => f.int(x.capacity))}
${cell(s, x => x.expectedEarningsPer1MSatsPerDay === null ? f.t('dash-unknown-no-data') : f.dec(x.expectedEarningsPer1MSatsPerDay))}
</tr>`
  })
  return html`<section id="compare"><h2>${f.t('dash-compare')}</h2>
<p class="note">${f.t('dash-compare-note')}</p>
<div class="scroll"><table class="compare"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>
</section>`
}

/** A short page: a title and a sentence. */
export function messageMain (title: string, text: string): Html {
  return html`<section class="message"><h2>${title}</h2><p>${text}</p></section>`
}
