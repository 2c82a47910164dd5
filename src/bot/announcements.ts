/**
 * What the chat is told when something happens in the Storm. Each announcement has a key: a
 * front end that can edit messages edits the earlier one with the same key in place (a directive
 * moving from sent to ✅), one that cannot prints a new line.
 */
import type { StormManager } from '../manager/storm_manager.ts'
import type { StormEvent } from '../manager/context.ts'
import type { Translator } from '../shared/i18n.ts'
import { declinedSats } from '../manager/allocations/track_allocation.ts'
import { describeDirective, directiveButtons, directiveStatus, type Button } from './render.ts'
import { governanceAnnouncement } from './governance_announcements.ts'
import { downtimeAnnouncement } from './downtime_announcements.ts'
import { movementAnnouncement } from './movement_announcements.ts'
import { memberName } from '../manager/queries/names.ts'

export interface Announcement {
  /** Same key → same message, edited. */
  key: string
  /** The member it is about, if any (whose buttons these are). */
  member?: string
  render (t: Translator): { text: string, buttons?: Button[][] }
}

export function announcementFor (e: StormEvent, m: StormManager): Announcement | null {
  switch (e.type) {
    case 'member_requested':
      return {
        key: `member:${e.member.id}`,
        member: e.member.id,
        render: t => ({
          text: t.t('announce-member-requested', { name: e.member.chat.name, group: m.group }),
          buttons: [[{ label: t.t('button-admit'), action: `admit:${e.member.id}` }, { label: t.t('button-decline'), action: `decline:${e.member.id}` }]]
        })
      }
    case 'member_declined':
      // the same message as the request: its buttons go, and it says how it ended
      return { key: `member:${e.member.id}`, member: e.member.id, render: t => ({ text: t.t('decline-done', { name: e.member.chat.name }) }) }
    case 'member_joined':
      return { key: `member:${e.member.id}`, member: e.member.id, render: t => ({ text: t.t('announce-member-joined', { name: e.member.chat.name, group: m.group }) }) }
    case 'member_paired':
      if (e.added !== undefined) {
        const node = e.added
        return {
          key: `paired:${e.member.id}:${node.publicKey}`,
          member: e.member.id,
          render: t => ({ text: t.t('announce-member-node-added', { name: e.member.chat.name, node: node.alias || node.publicKey.slice(0, 12), count: 1 + (e.member.fleet?.length ?? 0) }) })
        }
      }
      return {
        key: `paired:${e.member.id}`,
        member: e.member.id,
        render: t => ({ text: t.t('announce-member-paired', { name: e.member.chat.name, node: e.member.node?.alias || e.member.node?.publicKey.slice(0, 12) || '?' }) })
      }
    case 'member_left':
      return { key: `left:${e.member.id}`, member: e.member.id, render: t => ({ text: t.t(e.reason === 'banned' ? 'announce-member-banned' : 'announce-member-left', { name: e.member.chat.name }) }) }
    case 'directive_changed': {
      const r = e.record
      return {
        key: `directive:${r.directive.id}`,
        member: e.member.id,
        render: t => {
          const buttons = directiveButtons(r, t)
          return {
            text: t.t('announce-directive', { name: e.member.chat.name, id: r.directive.id, what: describeDirective(r, m, t), status: directiveStatus(r, m, t) }),
            ...(buttons.length > 0 ? { buttons } : {})
          }
        }
      }
    }
    case 'allocation_changed': {
      const a = e.allocation
      const name = e.member.chat.name
      // the member's reply already shows the plan; the group hears of it once something happens
      const declined = declinedSats(m, a)
      if (a.status === 'pending' && declined === 0) return null
      // what actually moved: a rejected or failed channel leaves a request done for less
      const moved = a.channels.filter(c => c.state === (a.kind === 'add' ? 'open' : 'closed')).reduce((n, c) => n + c.capacity, 0)
      const partial = a.status === 'done' && moved < a.amount
      const status = (t: Translator): string => {
        if (a.status === 'failed' && declined >= a.amount) return t.t('allocation-status-declined', { name })
        const base = !partial
          ? t.t(a.kind === 'remove' && a.status === 'funding' ? 'allocation-status-closing' : `allocation-status-${a.status}`)
          : t.t(declined > 0 && moved + declined >= a.amount ? 'allocation-status-done-for' : 'allocation-status-done-partial', { moved })
        return declined > 0 ? t.t('allocation-status-with-declined', { status: base, declined, name }) : base
      }
      return {
        key: `allocation:${a.id}`,
        member: e.member.id,
        render: t => ({
          text: a.purpose === undefined
            ? t.t(`announce-allocation-${a.kind}`, { name, id: a.id, amount: a.amount, status: status(t) })
            : t.t(`announce-allocation-${a.purpose.kind}`, { name, id: a.id, amount: a.amount, status: status(t), to: memberName(m.state, a.purpose.kind === 'exit' ? a.purpose.to : a.purpose.newcomer) })
        })
      }
    }
    case 'downtime_changed':
      return downtimeAnnouncement(e)
    case 'exit_planned':
    case 'exit_ready':
    case 'left_early':
    case 'newcomer_lifted':
    case 'lift_refused':
      return movementAnnouncement(e, m)
    default:
      return governanceAnnouncement(e, m)
  }
}
