/** `directives`: the asker's latest directives, with buttons for those waiting on them. */
import { StormError } from '../../shared/errors.ts'
import { defineCommand } from './define_command.ts'
import { none } from './arguments.ts'
import { fail } from './replies.ts'
import { describeDirective, directiveButtons, directiveStatus } from '../render.ts'

export const directives = defineCommand({
  name: 'directives',
  words: { required: 0, optional: 0 },
  parse: none,
  scope: 'any',
  fronts: ['chat', 'cli'],
  authority: 'member',
  run: ({ manager, actor, t }) => {
    const member = manager.memberOf(actor)
    if (member === undefined) return fail(t, new StormError('NOT_A_MEMBER', { group: manager.group }))
    const records = manager.directives(member.id).slice(0, 20)
    if (records.length === 0) return { ok: true, text: t.t('directives-none') }
    const lines = records.map(r => t.t('directives-line', { id: r.directive.id, what: describeDirective(r, manager, t), status: directiveStatus(r, manager, t) }))
    const buttons = records.flatMap(r => directiveButtons(r, t))
    return { ok: true, text: [t.t('directives-title'), ...lines].join('\n'), ...(buttons.length > 0 ? { buttons } : {}) }
  }
})
