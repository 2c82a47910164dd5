/**
 * stormcli commands arrive through the member's agent. They run like chat commands, as that
 * member, and the reply is rendered in the language stormcli asked for.
 */
import type { StormManager } from '../manager/storm_manager.ts'
import type { Locales } from '../shared/i18n.ts'
import { parseCommand } from './parse_command.ts'
import { CLI_COMMANDS } from './command_table.ts'
import { runCommand, fail } from './run_command.ts'
import { StormError } from '../shared/errors.ts'

export function answerAgentCommands (manager: StormManager, locales: Locales, pairingInvite: (code: string) => string): void {
  manager.on('agent_command', ({ member, body, reply }) => {
    const t = locales.translator(body.lang, { p: 'stormcli ' })
    const parsed = parseCommand(body.text, { prefixes: [], lang: t.lang })
    if (parsed === null) { reply({ ok: false, text: t.error(new StormError('UNKNOWN_COMMAND', { command: '' })) }); return }
    if (!parsed.ok) { reply({ ok: false, text: t.error(parsed.error) }); return }
    if (!CLI_COMMANDS.includes(parsed.value.name)) {
      reply(fail(t, new StormError('UNKNOWN_COMMAND', { command: parsed.value.name })))
      return
    }
    const actor = { kind: 'chat' as const, platform: member.chat.platform, userId: member.chat.userId, name: member.chat.name, isAdmin: false }
    void runCommand({ manager, locales, pairingInvite }, { actor, surface: 'cli', lang: t.lang, prefix: 'stormcli ' }, parsed.value)
      .then(r => reply(r.data === undefined ? { ok: r.ok, text: r.text } : { ok: r.ok, text: r.text, data: r.data }))
  })
}
