/**
 * `audit [verify]`: the manager's signed history about you, as your stormd replicated it
 * (stormcli only). stormcli answers it from stormd's copy (`stormcli_main.ts`), so that what the
 * member checks is what it holds, not what the manager says today; relayed to the manager (no
 * stormcli does), it answers where to run it.
 */
import { err, ok, type Result } from '../../shared/errors.ts'
import { defineCommand } from './define_command.ts'

/** `verify` or nothing. Errors: `CLI_BAD_ARGUMENT` {reason}. */
export function auditWords (words: string[]): Result<{ verify: boolean }> {
  if (words.length === 0) return ok({ verify: false })
  return words.length === 1 && words[0]!.toLowerCase() === 'verify' ? ok({ verify: true }) : err('CLI_BAD_ARGUMENT', { reason: 'stormcli audit [verify]' })
}

export const audit = defineCommand({
  name: 'audit',
  words: { required: 0, optional: 1 },
  parse: auditWords,
  scope: 'any',
  fronts: ['cli'],
  authority: 'member',
  run: ({ t }) => ({ ok: true, text: t.t('audit-runs-locally') })
})
