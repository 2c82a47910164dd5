/** `connect [GROUP]`: ask to join the Storm (a private Storm asks its admins; a public one admits). */
import { ok } from '../../shared/errors.ts'
import { defineCommand } from './define_command.ts'
import { answer } from './replies.ts'

export const connect = defineCommand({
  name: 'connect',
  words: { required: 0, optional: 1 },
  parse: ([group]) => ok(group === undefined ? {} : { group }),
  scope: 'any',
  fronts: ['chat', 'cli'],
  authority: 'anyone',
  run: async ({ manager, actor, t, p }, { group }: { group?: string }) =>
    answer(t, await manager.connect(actor, group), o => o.admitted
      ? t.t('connect-admitted', { group: manager.group, p })
      : t.t('connect-requested', { group: manager.group, p }))
})
