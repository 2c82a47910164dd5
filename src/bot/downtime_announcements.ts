/**
 * What the chat is told of planned downtime: the request and its preparation, the moment it is
 * safe to go, extensions and cancellations, and — against the rating — a node that went away
 * early or came back late.
 */
import type { StormEvent } from '../manager/context.ts'
import type { Announcement } from './announcements.ts'
import { shortDuration } from '../manager/liveness/away.ts'
import { windowEnd } from '../manager/liveness/schema.ts'
import { utc } from './commands/downtime.ts'

type DowntimeEvent = Extract<StormEvent, { type: 'downtime_changed' }>

export function downtimeAnnouncement (e: DowntimeEvent): Announcement {
  const d = e.downtime
  const name = e.member.chat.name
  const end = windowEnd(d)
  const params = {
    name,
    id: d.id,
    duration: shortDuration(d.durationMs),
    rebalances: d.rebalances.length,
    end: end === undefined ? '' : utc(end),
    late: shortDuration(d.lateMs ?? 0)
  }
  const key = `announce-downtime-${e.change.replace(/_/g, '-')}`
  return { key: `downtime:${d.id}:${e.change}`, member: e.member.id, render: t => ({ text: t.t(key, params) }) }
}
