/** `reject ID`: the owner rejects a directive (also the [Reject] button). */
import { defineCommand } from './define_command.ts'
import { idWord } from './arguments.ts'
import { decideDirectives } from './decide_directives.ts'

export const reject = defineCommand({
  name: 'reject',
  words: { required: 1, optional: 0 },
  parse: ([word]) => idWord(word!),
  scope: 'any',
  fronts: ['chat', 'cli'],
  authority: 'member',
  button: true,
  run: (call, { id }) => decideDirectives(call, id, 'reject')
})
