/** `downtime DURATION`: planned maintenance. Not built yet: the liveness work plugs `run` in. */
import { ok } from '../../shared/errors.ts'
import { defineCommand } from './define_command.ts'
import { parseDuration } from './arguments.ts'
import { notBuiltYet } from './not_built_yet.ts'

export const downtime = defineCommand({
  name: 'downtime',
  words: { required: 1, optional: 0 },
  parse: ([word]) => {
    const d = parseDuration(word!)
    return d.ok ? ok({ durationMs: d.value }) : d
  },
  scope: 'any',
  fronts: ['chat', 'cli'],
  authority: 'anyone',
  run: call => notBuiltYet(call, 'downtime')
})
