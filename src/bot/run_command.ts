/**
 * Runs a parsed command, or a button tap, for a chat user (or a stormcli user, through their
 * agent) and renders the answer in their language. One path for every front end and for buttons:
 * the command's declaration says where it may run and who may run it, this checks that, then its
 * handler runs. Each front end only says how commands are written there and what it can show.
 */
import type { Translator } from '../shared/i18n.ts'
import { StormError } from '../shared/errors.ts'
import { requireMember } from '../manager/members/find_member.ts'
import { findCommand, type AnyCommand, type Command } from './commands/registry.ts'
import type { CommandContext, CommandDeps, Reply } from './commands/define_command.ts'
import { fail } from './commands/replies.ts'

export type { Surface, CommandContext, CommandDeps, Reply } from './commands/define_command.ts'
export { fail } from './commands/replies.ts'

/** The code a user sees (and the log keeps) when a command broke. */
export const COMMAND_FAILED = 'COMMAND_FAILED'

/** The answer to a command that broke (a bug, logged by the caller): "something went wrong (COMMAND_FAILED)". */
export function commandBroke (t: Translator): Reply {
  return fail(t, new StormError('UNEXPECTED', { code: COMMAND_FAILED }))
}

/**
 * Runs `command` as `ctx.actor`. Expected failures (the authority check, the use case's refusals)
 * come back as a reply; a bug throws, and the front end answers it (`error-unexpected`).
 * Errors: `UNKNOWN_COMMAND` {command} (not offered on this front end), `NOT_ADMIN`, and the
 * member checks of `requireMember`.
 */
export async function runCommand (deps: CommandDeps, ctx: CommandContext, command: Command): Promise<Reply> {
  const t = deps.locales.translator(ctx.lang, { p: ctx.prefix })
  const def = findCommand(command.name)
  if (def === undefined) return fail(t, new StormError('UNKNOWN_COMMAND', { command: command.name.slice(0, 32) }))
  const { name: _name, ...args } = command
  return dispatch(deps, ctx, def, args, t)
}

/**
 * A tapped button's action (`approve:Ab12Cd3`): the command that answers it, with the payload as
 * its one word, through the same parser, checks and handler as the typed command; null when no
 * command answers that action (a stale or forged button).
 */
export async function runAction (deps: CommandDeps, ctx: CommandContext, action: string): Promise<Reply | null> {
  const colon = action.indexOf(':')
  if (colon <= 0 || colon === action.length - 1) return null
  const def = findCommand(action.slice(0, colon))
  if (def?.button !== true) return null
  const t = deps.locales.translator(ctx.lang, { p: ctx.prefix })
  const args = def.parse([action.slice(colon + 1)], ctx.lang)
  if (!args.ok) return fail(t, args.error)
  return dispatch(deps, ctx, def, args.value, t)
}

async function dispatch (deps: CommandDeps, ctx: CommandContext, def: AnyCommand, args: object, t: Translator): Promise<Reply> {
  const { manager } = deps
  const { actor } = ctx
  if (ctx.surface === 'cli' && !def.fronts.includes('cli')) return fail(t, new StormError('UNKNOWN_COMMAND', { command: def.name }))
  if (def.authority === 'admin' && (actor.kind !== 'chat' || !actor.isAdmin)) return fail(t, new StormError('NOT_ADMIN'))
  if (def.authority === 'member') {
    const member = requireMember(manager.state, actor)
    if (!member.ok) return fail(t, member.error)
  }
  try {
    return await def.run({ deps, ctx, manager, actor, t, p: ctx.prefix }, args)
  } catch (e) {
    if (e instanceof StormError) return fail(t, e)
    throw e
  }
}
