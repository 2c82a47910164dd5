/** `decline MEMBER`: an admin declines a membership request (also the [Decline] button). */
import { defineCommand } from './define_command.ts'
import { memberWord, decideMembership } from './decide_membership.ts'

export const decline = defineCommand({
  name: 'decline',
  words: { required: 1, optional: 0 },
  parse: ([word]) => memberWord(word!),
  scope: 'any',
  fronts: ['chat'],
  authority: 'admin',
  button: true,
  run: (call, { member }) => decideMembership(call, member, false)
})
