/** `members`: who is in the Storm, their nodes, connection, rating and stake. */
import { defineCommand } from './define_command.ts'
import { none } from './arguments.ts'
import { membersText } from '../render.ts'

export const members = defineCommand({
  name: 'members',
  words: { required: 0, optional: 0 },
  parse: none,
  scope: 'any',
  fronts: ['chat', 'cli'],
  authority: 'anyone',
  run: ({ manager, t }) => ({ ok: true, text: membersText(manager, t) })
})
