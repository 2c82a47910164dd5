/** The answer of a declared command whose handler is not plugged in yet. */
import { StormError } from '../../shared/errors.ts'
import type { CommandCall, Reply } from './define_command.ts'
import { fail } from './replies.ts'

export function notBuiltYet ({ t }: CommandCall, feature: string): Reply {
  return fail(t, new StormError('NOT_BUILT_YET', { feature }))
}
