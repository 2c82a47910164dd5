/**
 * The dashboard's sections, each from one part of the read model: members, the channel graph,
 * fees and votes, pending work, flow over time, expected earnings.
 */
import type { StormView, MemberView, DirectiveView, FeesView, FlowView, EarningsView, ChannelGraph } from '../../manager/queries/index.ts'
import { html, type Html } from '../html.ts'
import { graphSvg } from '../graph_svg.ts'
import { barChart } from '../chart_svg.ts'
import type { Fmt } from './format.ts'

export function figures (f: Fmt, v: StormView): Html {
  const active = v.members.filter(m => m.status === 'active' || m.status === 'leaving').length
  const open = v.graph.channels.filter(c => c.state === 'active' || c.state === 'inactive').length
  const card = (label: string, value: string, id: string): Html => html`<div class="figure" data-figure="${id}"><span class="value">${value}</span><span class="label">${label}</span></div>`
  return html`<section class="figures">
${card(f.t('dash-fig-members'), f.int(active), 'members')}
${card(f.t('dash-fig-channels'), f.int(open), 'channels')}
${card(f.t('dash-fig-capacity'), f.t('dash-sats', { n: f.int(v.graph.capacity) }), 'capacity')}
${card(f.t('dash-fig-fee'), f.t('dash-fee', { base: f.int(Number(v.fees.consensus.baseFeeMsat)), rate: f.int(v.fees.consensus.feeRatePpm) }), 'fee')}
${card(f.t('dash-fig-earnings'), f.known(v.earnings.perMillionPerDay, n => f.t('dash-sats', { n: f.dec(n) })), 'earnings')}
</section>`
}

export function membersSection (f: Fmt, members: MemberView[]): Html {
  const rows = members.map(m => html`<tr data-member="${m.id}" data-status="${m.status}">
<td>${m.name}${m.alias === null ? '' : html` <small>(${m.alias})</small>`}</td>
<td><span class="status status-${m.status}">${f.t('dash-status-' + m.status)}</span>${m.away ? html` <small>${f.t('dash-member-away')}</small>` : ''}${m.flow === 'private' ? html` <small>${f.t('dash-flow-private')}</small>` : ''}</td>
<td>${m.online ? html`<span class="online">● ${f.t('dash-online')}</span>` : html`<span class="offline">○ ${f.t('dash-offline-member')}</span>`}</td>
<td class="num">${f.int(m.stake)}${m.stakeBasis === 'allocations' ? html`<sup title="${f.t('dash-stake-allocations')}">*</sup>` : ''}</td>
<td class="num">${f.pct(m.stakeShare)}</td>
<td class="num">${m.rating.known ? f.int(m.rating.value) : f.t('dash-not-rated')}</td>
<td class="num">${f.int(m.channels)}</td>
</tr>`)
  return html`<section id="members"><h2>${f.t('dash-members')}</h2>
<div class="scroll"><table class="members">
<thead><tr><th>${f.t('dash-col-member')}</th><th>${f.t('dash-col-status')}</th><th>${f.t('dash-col-online')}</th><th class="num">${f.t('dash-col-stake')}</th><th class="num">${f.t('dash-col-share')}</th><th class="num">${f.t('dash-col-rating')}</th><th class="num">${f.t('dash-col-channels')}</th></tr></thead>
<tbody>${rows}</tbody></table></div>
${members.some(m => m.stakeBasis === 'allocations') ? html`<p class="note">* ${f.t('dash-stake-allocations')}</p>` : ''}
</section>`
}

export function graphSection (f: Fmt, g: ChannelGraph): Html {
  const svg = graphSvg(g, {
    title: f.t('dash-graph'),
    empty: f.t('dash-graph-empty'),
    channel: (c, a, b) => c.balance.known
      ? f.t('dash-graph-channel', { a, b, capacity: f.int(c.capacity), share: f.pct(c.balance.value.aShare), point: f.pct(c.balance.value.settings.balancePoint), zone: f.t('dash-zone-' + c.balance.value.zone.replace('_', '-')) })
      : f.t('dash-graph-channel-unknown', { a, b, capacity: f.int(c.capacity), state: f.t('dash-chan-' + c.state) })
  })
  const b = g.balance
  return html`<section id="graph"><h2>${f.t('dash-graph')}</h2>
${svg}
<p class="legend"><span class="swatch ok"></span>${f.t('dash-legend-balanced')} <span class="swatch warn"></span>${f.t('dash-legend-drifting')} <span class="swatch bad"></span>${f.t('dash-legend-far')} <span class="swatch unknown"></span>${f.t('dash-legend-unknown')}</p>
<p class="note">${f.t('dash-balance-point', { point: f.pct(b.balancePoint), deadzone: f.pct(b.deadzone) })} ${f.t(b.source === 'rules' ? 'dash-balance-from-rules' : 'dash-balance-from-default')}</p>
</section>`
}

export function feesSection (f: Fmt, fees: FeesView): Html {
  const c = fees.consensus
  const rows = fees.votes.distribution.map(d => html`<tr>
<td>${f.t('dash-fee', { base: f.int(Number(d.baseFeeMsat)), rate: f.int(d.feeRatePpm) })}</td>
<td class="num">${f.int(d.voters)}</td>
<td class="num">${f.int(d.stake)}</td>
<td class="bar-cell"><progress max="1" value="${d.share.toFixed(4)}">${f.pct(d.share)}</progress> ${f.pct(d.share)}</td>
</tr>`)
  return html`<section id="fees"><h2>${f.t('dash-fees')}</h2>
<p class="consensus">${f.t('dash-consensus', { base: f.int(Number(c.baseFeeMsat)), rate: f.int(c.feeRatePpm) })} ${c.decidedAt === null ? f.t('dash-consensus-default') : f.t('dash-consensus-decided', { at: f.time(c.decidedAt) })}</p>
<h3>${f.t('dash-votes')}</h3>
${fees.votes.voters === 0
  ? html`<p class="empty">${f.t('dash-votes-none')}</p>`
  : html`<p>${f.t('dash-votes-summary', { voters: fees.votes.voters, share: f.pct(fees.votes.totalStake === 0 ? 0 : fees.votes.votedStake / fees.votes.totalStake) })}</p>
<div class="scroll"><table class="votes"><thead><tr><th>${f.t('dash-col-choice')}</th><th class="num">${f.t('dash-col-voters')}</th><th class="num">${f.t('dash-col-stake')}</th><th>${f.t('dash-col-weight')}</th></tr></thead><tbody>${rows}</tbody></table></div>`}
</section>`
}

export function pendingSection (f: Fmt, v: StormView): Html {
  const p = v.pending
  const row = (d: DirectiveView): Html => html`<tr data-directive="${d.id}" data-status="${d.status}">
<td><code>${d.id}</code></td><td>${d.targetName}</td>
<td>${f.t('dash-kind-' + d.kind.replace(/_/g, '-'))}${d.amount === null ? '' : ' · ' + f.t('dash-sats', { n: f.int(d.amount) })}${d.peerName === null ? '' : ' → ' + d.peerName}</td>
<td><span class="dstatus dstatus-${d.status}">${f.t('dash-dstatus-' + d.status.replace(/_/g, '-'))}</span></td>
<td>${f.time(d.expiresAt)}</td></tr>`
  return html`<section id="pending"><h2>${f.t('dash-pending')}</h2>
${p.directives.length === 0
  ? html`<p class="empty" data-empty="directives">${f.t('dash-pending-none')}</p>`
  : html`<div class="scroll"><table class="directives"><thead><tr><th>${f.t('dash-col-id')}</th><th>${f.t('dash-col-member')}</th><th>${f.t('dash-col-what')}</th><th>${f.t('dash-col-status')}</th><th>${f.t('dash-col-expires')}</th></tr></thead><tbody>${p.directives.map(row)}</tbody></table></div>`}
<h3>${f.t('dash-proposals')}</h3>
${!p.proposals.known
  ? html`<p class="empty">${f.t('dash-proposals-unavailable')}</p>`
  : p.proposals.value.length === 0
    ? html`<p class="empty">${f.t('dash-proposals-none')}</p>`
    : html`<ul class="proposals">${p.proposals.value.map(x => html`<li>${x.kind}${x.targetName === null ? '' : ' · ' + x.targetName} — ${f.t('dash-proposal-votes', { voters: x.voters, share: f.pct(x.votedShare), deadline: f.time(x.deadline) })}</li>`)}</ul>`}
</section>`
}

export function flowSection (f: Fmt, flow: FlowView): Html {
  const chart = (title: string, colour: string, value: (p: FlowView['points'][number]) => number, unit: (n: number) => string): Html => barChart({
    title,
    colour,
    points: flow.points.map(p => ({ start: p.start, value: value(p) })),
    from: flow.from,
    to: flow.to,
    bucketMs: flow.bucketMs,
    format: unit,
    formatTime: f.time,
    empty: f.t('dash-flow-none')
  })
  return html`<section id="flow"><h2>${f.t('dash-flow')}</h2>
<p data-flow-rate="${flow.forwardsPerSecond.known ? 'known' : flow.forwardsPerSecond.reason}">${flow.forwardsPerSecond.known && flow.satsPerDay.known
  ? f.t('dash-flow-rates', { tps: f.dec(flow.forwardsPerSecond.value, 4), perDay: f.int(flow.satsPerDay.value), forwards: f.int(flow.totals.forwards), fees: f.int(flow.totals.fees) })
  : f.t('dash-flow-rates-unknown', { why: f.known(flow.forwardsPerSecond, () => ''), forwards: f.int(flow.totals.forwards), fees: f.int(flow.totals.fees) })}</p>
${chart(f.t('dash-chart-amount'), '#3566c8', p => p.amount, n => f.t('dash-sats', { n: f.int(n) }))}
${chart(f.t('dash-chart-fees'), '#2e9d5b', p => p.fees, n => f.t('dash-sats', { n: f.int(n) }))}
${flow.skippedWindows > 0 ? html`<p class="note">${f.t('dash-flow-skipped', { n: flow.skippedWindows })}</p>` : ''}
</section>`
}

export function earningsSection (f: Fmt, e: EarningsView): Html {
  return html`<section id="earnings"><h2>${f.t('dash-earnings')}</h2>
<p class="big" data-earnings="${e.perMillionPerDay.known ? e.perMillionPerDay.value.toFixed(3) : 'unknown'}">${f.known(e.perMillionPerDay, n => f.t('dash-earnings-value', { n: f.dec(n) }))}</p>
<p class="formula"><code>${f.t('dash-earnings-formula')}</code></p>
<p class="formula"><code>${f.t('dash-earnings-numbers', { fees: f.dec(e.fees, 3), days: f.dec(e.days, e.days < 1 ? 4 : 2), capacity: f.int(e.capacity) })}${e.perMillionPerDay.known ? ' = ' + f.dec(e.perMillionPerDay.value) : ''}</code></p>
<p class="note">${f.t('dash-earnings-note')}</p>
</section>`
}
