/**
 * What the chat is told when the Storm moves around a node: a graceful exit's plan (who would be
 * cut off and who opens capacity to them first), the moment the last closes go, a member leaving
 * before the Storm was ready, and newcomers lifted (who lifted whom) or not (why).
 */
import type { StormManager } from '../manager/storm_manager.ts'
import type { StormEvent } from '../manager/context.ts'
import type { Announcement } from './announcements.ts'
import type { Translator } from '../shared/i18n.ts'
import { memberName } from '../manager/queries/names.ts'
import { StormError } from '../shared/errors.ts'

type MovementEvent = Extract<StormEvent, { type: 'exit_planned' | 'exit_ready' | 'left_early' | 'newcomer_lifted' | 'lift_refused' }>

export function movementAnnouncement (e: MovementEvent, m: StormManager): Announcement {
  const name = (id: string): string => memberName(m.state, id)
  switch (e.type) {
    case 'exit_planned': {
      const p = e.plan
      return {
        key: `exit:${e.allocation.id}`,
        member: e.member.id,
        render: t => ({
          text: [
            t.t('announce-exit-planned', { name: e.member.chat.name, id: e.allocation.id, leaves: e.allocation.leave ? 'yes' : 'no' }),
            ...p.atRisk.map(a => t.t(a.reason === 'cut_off' ? 'announce-exit-cut-off' : 'announce-exit-thin', { name: name(a.member), after: a.capacityAfter, min: m.rules.exit.minMemberCapacity })),
            ...p.reinforcements.map(r => t.t('announce-exit-reinforce', { opener: name(r.opener), to: name(r.to), amount: r.capacity })),
            ...p.unhelped.map(u => t.t('announce-exit-unhelped', { name: name(u) })),
            t.t('announce-exit-order', { now: p.safe.length, later: p.deferred.length })
          ].join('\n')
        })
      }
    }
    case 'exit_ready':
      return {
        key: `exit-ready:${e.allocation.id}`,
        member: e.member.id,
        render: t => ({ text: t.t(e.unhelped > 0 ? 'announce-exit-ready-unhelped' : e.failed > 0 ? 'announce-exit-ready-without' : 'announce-exit-ready', { name: e.member.chat.name, closes: e.closes, failed: e.failed }) })
      }
    case 'left_early':
      return {
        key: `left-early:${e.allocation.id}`,
        member: e.member.id,
        render: t => ({ text: t.t('announce-left-early', { name: e.member.chat.name, open: e.channelsOpen }) })
      }
    case 'newcomer_lifted':
      return {
        key: `lift:${e.newcomer.id}:${e.openers.map(o => o.allocation).join(',')}`,
        member: e.newcomer.id,
        render: t => ({
          text: [
            t.t('announce-lifted', { name: e.newcomer.chat.name }),
            ...e.openers.map(o => t.t('announce-lifted-by', { opener: o.member.chat.name, name: e.newcomer.chat.name, amount: o.capacity })),
            t.t('announce-lifted-budget', { name: e.newcomer.chat.name, left: e.leftToday, day: m.rules.onboarding.satsPerDay })
          ].join('\n')
        })
      }
    case 'lift_refused':
      return {
        key: `lift-refused:${e.newcomer.id}`,
        member: e.newcomer.id,
        render: t => ({ text: t.t('announce-lift-refused', { name: e.newcomer.chat.name, why: liftError(t, e.code, e.params) }) })
      }
  }
}

/** Why a newcomer was not lifted, in the reader's language. */
function liftError (t: Translator, code: string, params: Record<string, unknown>): string {
  return t.error(new StormError(code, params as Record<string, string | number>))
}
