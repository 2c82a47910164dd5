/**
 * Every command Storm understands, in the order help lists them. Help (`help_text.ts`), the
 * Telegram menus (`telegram/commands_menu.ts`), button actions (`runAction`), the stormcli list
 * and the parser are all derived from this list.
 *
 * To change what a command does: edit `run` (and, if it changes, `parse` or `authority`) in
 * `commands/<name>.ts`. That is the whole change; the words it takes are read by `parse` before
 * `run` is called, and the authority is checked by the dispatcher for typed commands and button
 * taps alike. (Every declared command has its handler; `notBuiltYet` is for one declared ahead.)
 *
 * To add a command: write `commands/<name>.ts` exporting `defineCommand({ ... })`, add it to
 * `ALL` below, and give it `cmd-<name>-description`, `-usage` and `-example` in every
 * `locales/<lang>/storm.ftl` (a test checks they exist). Buttons it answers are `<name>:<payload>`.
 */
import type { CommandDefinition, Front } from './define_command.ts'
import { connect } from './connect.ts'
import { pair } from './pair.ts'
import { addfunds } from './addfunds.ts'
import { removefunds } from './removefunds.ts'
import { move } from './move.ts'
import { disconnect } from './disconnect.ts'
import { cancel } from './cancel.ts'
import { lift } from './lift.ts'
import { getinfo } from './getinfo.ts'
import { members } from './members.ts'
import { directives } from './directives.ts'
import { audit } from './audit.ts'
import { approve } from './approve.ts'
import { reject } from './reject.ts'
import { vote } from './vote.ts'
import { downtime } from './downtime.ts'
import { admit } from './admit.ts'
import { decline } from './decline.ts'
import { ban } from './ban.ts'
import { unban } from './unban.ts'
import { lang } from './lang.ts'
import { help } from './help.ts'
import { dashboard } from './dashboard.ts'
import { stats } from './stats.ts'

const ALL = [
  connect, pair, addfunds, removefunds, move, disconnect, lift, cancel, getinfo, members, directives, audit,
  approve, reject, vote, downtime, admit, decline, ban, unban, dashboard, stats, lang, help
] as const

type Declared = typeof ALL[number]
type AsCommand<D> = D extends CommandDefinition<infer N, infer A> ? { name: N } & A : never

/** A command's name. */
export type CommandName = Declared['name']

/** A parsed command: its name and its arguments, as its parser read them. */
export type Command = AsCommand<Declared>

/** A declaration with its argument types forgotten (what the dispatcher and the lists need). */
export type AnyCommand = CommandDefinition<CommandName, object>

/** Every command, in help's order. */
export const COMMANDS: readonly AnyCommand[] = ALL as unknown as readonly AnyCommand[]

const BY_NAME = new Map<string, AnyCommand>(COMMANDS.map(c => [c.name, c]))

/** The command called `name` (an own entry, never an object prototype's). */
export function findCommand (name: string): AnyCommand | undefined {
  return BY_NAME.get(name)
}

/** The commands offered on a front end (`cli`: the stormcli list). */
export function commandsOn (front: Front): AnyCommand[] {
  return COMMANDS.filter(c => c.fronts.includes(front))
}

/** The names of the commands stormcli offers. */
export const CLI_COMMANDS: readonly CommandName[] = commandsOn('cli').map(c => c.name)
