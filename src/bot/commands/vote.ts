/** `vote fee BASE RATE`: a member's fee vote, weighed by stake. Not built yet: governance plugs `run` in. */
import { defineCommand } from './define_command.ts'
import { parseFeeVote } from './arguments.ts'
import { notBuiltYet } from './not_built_yet.ts'

export const vote = defineCommand({
  name: 'vote',
  words: { required: 1, optional: 2 },
  parse: words => parseFeeVote(words),
  scope: 'any',
  fronts: ['chat', 'cli'],
  authority: 'anyone',
  run: call => notBuiltYet(call, 'vote')
})
