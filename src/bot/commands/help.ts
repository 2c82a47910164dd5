/** `help [COMMAND]`: the commands of this front end, or one in detail. */
import { ok } from '../../shared/errors.ts'
import { defineCommand } from './define_command.ts'
import { helpText } from '../help_text.ts'

export const help = defineCommand({
  name: 'help',
  words: { required: 0, optional: 1 },
  parse: ([word]) => ok(word === undefined ? {} : { topic: word.replace(/^[/!]/, '').toLowerCase() }),
  scope: 'any',
  fronts: ['chat', 'cli'],
  authority: 'anyone',
  // an unknown topic throws UNKNOWN_COMMAND, which the dispatcher answers
  run: ({ ctx, t }, { topic }: { topic?: string }) => ({ ok: true, text: helpText(t, ctx.prefix, ctx.surface === 'cli', topic) })
})
