/** `ban MEMBER`: an admin proposes (or makes) a ban. Not built yet: governance plugs `run` in. */
import { defineCommand } from './define_command.ts'
import { memberWord } from './decide_membership.ts'
import { notBuiltYet } from './not_built_yet.ts'

export const ban = defineCommand({
  name: 'ban',
  words: { required: 1, optional: 0 },
  parse: ([word]) => memberWord(word!),
  scope: 'any',
  fronts: ['chat'],
  authority: 'admin',
  run: call => notBuiltYet(call, 'ban')
})
