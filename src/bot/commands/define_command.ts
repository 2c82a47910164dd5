/**
 * What a command is, in one declaration: its name, how its words are read, where it may be used,
 * who may use it, which buttons it answers, and what it does. The registry (`registry.ts`) lists
 * them; help, the Telegram menus, button actions and the stormcli list are derived from it.
 */
import type { StormManager } from '../../manager/storm_manager.ts'
import type { Actor } from '../../manager/members/find_member.ts'
import type { Locales, Translator } from '../../shared/i18n.ts'
import type { Result } from '../../shared/errors.ts'
import type { Button } from '../render.ts'

/** Where a command was typed: a group, a private chat with the bot, or stormcli. */
export type Surface = 'group' | 'private' | 'cli'

/** Where a command does its work: `private` ones answer a group with the way to the private chat. */
export type Scope = 'group' | 'private' | 'any'

/**
 * Who may run it: `anyone`; `member`, checked before the handler runs (`NOT_A_MEMBER`,
 * `MEMBERSHIP_PENDING`, `BANNED`); `admin`, the chat's admins (`NOT_ADMIN`; never from stormcli).
 */
export type Authority = 'anyone' | 'member' | 'admin'

/** The front ends a command is offered on: every chat, and stormcli. */
export type Front = 'chat' | 'cli'

export interface CommandContext {
  actor: Actor
  surface: Surface
  /** The user's language tag (already chosen by the front end). */
  lang: string
  /** How a command is written here: `/`, `!` or `stormcli `. */
  prefix: string
  /** A link that opens a private chat with the bot carrying a payload (Telegram deep links). */
  privateLink?: (payload: string) => string
}

export interface Reply {
  ok: boolean
  text: string
  /** Structured data for commands that return data (getinfo). */
  data?: unknown
  /** Content to show as a QR code as well (the pairing invitation). */
  qr?: string
  /** Rows of buttons. */
  buttons?: Button[][]
  /** The language the user chose with /lang, for the front end to remember. */
  lang?: string
  /** A picture to send with the reply (`/stats`): a photo on Telegram, a file on the console. */
  image?: StatsPicture
  /**
   * Text for the asker's private chat only (`/dashboard`'s login link): typed in a group, the
   * group gets `text` and the private chat gets this.
   */
  direct?: string
}

/** A PNG and its caption. */
export interface StatsPicture { png: Uint8Array, caption: string }

export interface CommandDeps {
  manager: StormManager
  locales: Locales
  /** The invitation `stormd pair` takes, for a pairing code. */
  pairingInvite: (code: string) => string
  /**
   * The Storm's liquidity and flow as a PNG with its caption in the reader's language (set by the
   * runtime, which has the flow history; absent, `/stats` answers that it is not available).
   */
  statsPicture?: (t: Translator) => StatsPicture
}

/** What a handler gets: who asked, where, in which language, and the Storm. */
export interface CommandCall {
  deps: CommandDeps
  ctx: CommandContext
  manager: StormManager
  actor: Actor
  /** The user's translator, with `p` set to how commands are written here. */
  t: Translator
  /** How a command is written here (`/`, `!`, `stormcli `). */
  p: string
}

export interface CommandDefinition<N extends string = string, A extends object = object> {
  name: N
  /** Words after the name: how many are required, how many more may follow (`Infinity`: the parser counts). */
  words: { required: number, optional: number }
  /** Reads the words (already counted) in the user's language; bad words are an error with a locale key. */
  parse: (words: string[], lang: string) => Result<A>
  scope: Scope
  fronts: readonly Front[]
  authority: Authority
  /**
   * Buttons it answers: a tap on `<name>:<payload>` runs this command with the payload as its one
   * word, through the same parser, authority check and handler as the typed command.
   */
  button?: boolean
  /** Does the work and says how it went. Expected failures are replies (`fail`), bugs throw. */
  run: (call: CommandCall, args: A) => Promise<Reply> | Reply
}

/** Declares a command (an identity function that keeps its argument types). */
export function defineCommand<N extends string, A extends object> (d: CommandDefinition<N, A>): CommandDefinition<N, A> {
  return d
}
