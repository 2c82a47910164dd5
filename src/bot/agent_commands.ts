/**
 * stormcli commands arrive through the member's agent. They run like chat commands, as that
 * member, and the reply is rendered in the language stormcli asked for. A command that fails
 * unexpectedly is answered "something went wrong" with a code and logged; it never ends the
 * manager.
 */
import type { StormManager } from '../manager/storm_manager.ts'
import type { Locales } from '../shared/i18n.ts'
import { parseCommand } from './parse_command.ts'
import { runCommand, fail, commandBroke, COMMAND_FAILED, type Reply } from './run_command.ts'
import { StormError } from '../shared/errors.ts'

export { COMMAND_FAILED } from './run_command.ts'

export function answerAgentCommands (
  manager: StormManager,
  locales: Locales,
  pairingInvite: (code: string) => string,
  log: (event: string, data: Record<string, unknown>) => void = () => {}
): void {
  manager.on('agent_command', ({ member, body, reply }) => {
    const t = locales.translator(body.lang, { p: 'stormcli ' })
    const send = (r: Reply): void => {
      try {
        reply(r.data === undefined ? { ok: r.ok, text: r.text } : { ok: r.ok, text: r.text, data: r.data })
      } catch (e) {
        log('agent_command_reply_failed', { member: member.id, error: e instanceof Error ? e.message : String(e) })
      }
    }
    const parsed = parseCommand(body.text, { prefixes: [], lang: t.lang })
    if (parsed === null) { send(fail(t, new StormError('UNKNOWN_COMMAND', { command: '' }))); return }
    if (!parsed.ok) { send(fail(t, parsed.error)); return }
    const actor = { kind: 'chat' as const, platform: member.chat.platform, userId: member.chat.userId, name: member.chat.name, isAdmin: false }
    runCommand({ manager, locales, pairingInvite }, { actor, surface: 'cli', lang: t.lang, prefix: 'stormcli ' }, parsed.value)
      .then(send, (e: unknown) => {
        log('agent_command_failed', { member: member.id, command: parsed.value.name, code: COMMAND_FAILED, error: e instanceof Error ? (e.stack ?? e.message) : String(e) })
        send(commandBroke(t))
      })
  })
}
