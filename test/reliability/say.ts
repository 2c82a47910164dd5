/** Runs one typed chat command through the real parser and command runner, as a front end does. */
import type { ManagerFixture} from '../support/manager_fixture.ts';
import { LOCALES } from '../support/manager_fixture.ts'
import { parseCommand } from '../../src/bot/parse_command.ts'
import { runCommand, fail, type Reply } from '../../src/bot/run_command.ts'
import { StormError } from '../../src/shared/errors.ts'
import type { Actor } from '../../src/manager/members/find_member.ts'

export async function say (f: ManagerFixture, actor: Actor, text: string, lang = 'en'): Promise<Reply> {
  const t = LOCALES.translator(lang, { p: '/' })
  const parsed = parseCommand(text, { prefixes: ['/'], lang })
  if (parsed === null) throw new Error('not a command: ' + text)
  if (!parsed.ok) return fail(t, parsed.error)
  return runCommand({ manager: f.manager, locales: LOCALES, pairingInvite: c => c }, { actor, surface: 'group', lang, prefix: '/' }, parsed.value)
}

/** The sentence a user reads for an expected failure. */
export function sentence (code: string, params: Record<string, string | number> = {}, lang = 'en'): string {
  return LOCALES.translator(lang, { p: '/' }).error(new StormError(code, params))
}
