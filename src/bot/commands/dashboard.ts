/**
 * `dashboard`: a one-time login link to the dashboard's members' view. The link is the member's
 * alone, so it only ever goes to the private chat: typed in the group, the group is told to look
 * there. Answers `DASHBOARD_OFF` when the manager runs no dashboard.
 */
import { ok } from '../../shared/errors.ts'
import { defineCommand } from './define_command.ts'
import { fail } from './replies.ts'

export const dashboard = defineCommand({
  name: 'dashboard',
  words: { required: 0, optional: 0 },
  parse: () => ok({}),
  scope: 'private',
  fronts: ['chat'],
  authority: 'member',
  run: ({ manager, actor, ctx, t }) => {
    const r = manager.dashboardLink(actor)
    if (!r.ok) return fail(t, r.error)
    const text = t.t('dashboard-link', { group: manager.group, url: r.value.url })
    return ctx.surface === 'group' ? { ok: true, text: t.t('dashboard-sent-private'), direct: text } : { ok: true, text }
  }
})
