/**
 * Storm's things in words: directives, their status, members. Shared by every front end.
 */
import type { StormManager } from '../manager/storm_manager.ts'
import type { DirectiveRecord } from '../manager/state/schema.ts'
import { isAwaitingOwner } from '../manager/directives/lifecycle.ts'
import { membersView, nodeName as nodeNameOf, memberName as memberNameOf } from '../manager/queries/index.ts'
import type { Translator } from '../shared/i18n.ts'
import { StormError } from '../shared/errors.ts'
import { openedSats } from '../protocol/channel_opens.ts'
import { nodesOf } from '../manager/members/member_nodes.ts'

/** A button; `action` is what the front end hands back when it is tapped (`approve:ID`). */
export interface Button { label: string, action: string }

type Names = Pick<StormManager, 'state'>

/** The member name for a node key (or a short key when it is not a member's). */
export function nodeName (m: Names, nodeKey: string): string {
  return nodeNameOf(m.state, nodeKey)
}

/**
 * One of the member's own nodes, in a directive to that member ("your node carol"): its alias, or
 * the start of its key — never the member's name, which does not say which of its nodes.
 */
function ownNodeName (m: Names, memberId: string, nodeKey: string): string {
  const member = Object.hasOwn(m.state.members, memberId) ? m.state.members[memberId] : undefined
  const node = member === undefined ? undefined : nodesOf(member).find(n => n.node.publicKey === nodeKey)
  return node !== undefined && node.node.alias !== '' ? node.node.alias : nodeKey.slice(0, 12) + '…'
}

/** What the directive asks, e.g. "open a 500,000 sat channel to @alice". */
export function describeDirective (r: DirectiveRecord, m: Names, t: Translator): string {
  const d = r.directive
  switch (d.kind) {
    case 'open_channel':
      return t.t('directive-open-channel', { amount: d.params.capacity, peer: nodeName(m, d.params.peer) })
    case 'open_channels': {
      const list = d.params.channels.map(c => t.t('directive-open-channels-item', { amount: c.capacity, peer: nodeName(m, c.peer) })).join(', ')
      return t.t('directive-open-channels', { count: d.params.channels.length, total: openedSats(d), list })
    }
    case 'close_channel':
      return t.t(d.params.force ? 'directive-force-close-channel' : 'directive-close-channel', { peer: nodeName(m, d.params.peer), channel: shortChannelPoint(d.params.channelPoint) })
    case 'rebalance':
      return t.t('directive-rebalance', { amount: d.params.amount, route: d.params.hops.map(h => nodeName(m, h)).join(' → '), fee: d.params.maxFee })
    case 'set_fees':
      return t.t('directive-set-fees', { base: Number(d.params.baseFeeMsat), ppm: d.params.feeRatePpm })
    case 'do_not_disconnect':
      return t.t('directive-do-not-disconnect')
    case 'safe_to_disconnect':
      return t.t('directive-safe-to-disconnect')
    case 'create_invoice':
      return t.t('directive-create-invoice', { amount: d.params.amount, payer: ownNodeName(m, r.target, d.params.payer) })
    case 'pay_invoice':
      return t.t('directive-pay-invoice', { amount: d.params.amount, payee: ownNodeName(m, r.target, d.params.payee), fee: d.params.maxFee })
  }
}

/** The status in words, with the outcome when there is one. */
export function directiveStatus (r: DirectiveRecord, m: Names, t: Translator): string {
  switch (r.status) {
    case 'rejected':
      // only the member a directive is for may reject it, from the chat or from stormcli
      return t.t('status-rejected', { name: memberNameOf(m.state, r.target) })
    case 'succeeded': {
      const res = r.result ?? {}
      if (typeof res.channelPoint === 'string' && r.directive.kind === 'open_channel') return t.t('status-succeeded-channel', { channel: res.channelPoint })
      if (typeof res.fundingTxid === 'string' && r.directive.kind === 'open_channels') return t.t('status-succeeded-channels', { count: Number(res.channels ?? 0), tx: res.fundingTxid })
      if (typeof res.fee === 'number') return t.t('status-succeeded-payment', { fee: res.fee })
      return t.t('status-succeeded')
    }
    case 'failed': {
      const reason = r.error === undefined ? t.t('error-unexpected', { code: '?' }) : t.error(new StormError(r.error.code, r.error.params))
      return t.t('status-failed', { reason })
    }
    case 'executing':
      return t.t(r.directive.kind === 'do_not_disconnect' ? 'status-in-effect' : 'status-executing')
    default:
      return t.t(`status-${r.status.replace(/_/g, '-')}`)
  }
}

/** [Approve] [Reject] while the owner may still decide. */
export function directiveButtons (r: DirectiveRecord, t: Translator): Button[][] {
  if (!r.directive.requiresApproval || !isAwaitingOwner(r.status)) return []
  return [[
    { label: t.t('button-approve'), action: `approve:${r.directive.id}` },
    { label: t.t('button-reject'), action: `reject:${r.directive.id}` }
  ]]
}

/** The member list: name, status, node, connection, rating and stake (the read model's view). */
export function membersText (m: StormManager, t: Translator): string {
  const rows = membersView(m.readSource())
  if (rows.length === 0) return t.t('members-none', { group: m.group })
  const lines = rows.flatMap(x => [t.t('members-line', {
    name: x.name,
    status: t.t(`member-status-${x.status}`),
    node: x.alias !== null && x.alias !== '' ? x.alias : x.paired ? x.id : t.t('members-not-paired'),
    online: x.online ? t.t('members-online') : t.t('members-offline'),
    rating: x.rating.known ? x.rating.value : '?',
    stake: x.stake
  }) + (x.away ? t.t('members-away') : '') + (x.flow === 'private' ? t.t('members-flow-private') : ''),
  // a fleet: one line more per further node
  ...x.fleet.map(n => t.t('members-fleet-node', { node: n.alias !== '' ? n.alias : n.publicKey.slice(0, 12), online: n.online ? t.t('members-online') : t.t('members-offline') }))])
  return [t.t('members-title', { group: m.group, count: rows.length }), ...lines].join('\n')
}

/** `f7f50b59…:0` for a funding outpoint. */
export function shortChannelPoint (channelPoint: string): string {
  const [txid = '', vout = ''] = channelPoint.split(':')
  return `${txid.slice(0, 8)}…:${vout}`
}
