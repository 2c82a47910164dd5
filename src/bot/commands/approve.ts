/** `approve ID|all`: the owner approves their directives (also the [Approve] button). */
import { ok } from '../../shared/errors.ts'
import { defineCommand } from './define_command.ts'
import { idWord } from './arguments.ts'
import { decideDirectives } from './decide_directives.ts'

export const approve = defineCommand({
  name: 'approve',
  words: { required: 1, optional: 0 },
  parse: ([word]) => word!.toLowerCase() === 'all' ? ok({ id: 'all' }) : idWord(word!),
  scope: 'any',
  fronts: ['chat', 'cli'],
  authority: 'member',
  button: true,
  run: (call, { id }) => decideDirectives(call, id, 'approve')
})
