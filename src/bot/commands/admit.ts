/** `admit MEMBER`: an admin admits a membership request (also the [Admit] button). */
import { defineCommand } from './define_command.ts'
import { memberWord, decideMembership } from './decide_membership.ts'

export const admit = defineCommand({
  name: 'admit',
  words: { required: 1, optional: 0 },
  parse: ([word]) => memberWord(word!),
  scope: 'any',
  fronts: ['chat'],
  authority: 'admin',
  button: true,
  run: (call, { member }) => decideMembership(call, member, true)
})
