/**
 * What the Telegram handlers share: the options, the Bot API, the remembered state, and the rules
 * for who a Telegram user is to the Storm (actor, language, admin rights).
 */
import type { Api } from 'grammy'
import type { User } from 'grammy/types'
import type { StormManager } from '../../manager/storm_manager.ts'
import type { Actor } from '../../manager/members/find_member.ts'
import type { Locales } from '../../shared/i18n.ts'
import type { Reply } from '../run_command.ts'
import type { AdminCache } from './admins.ts'
import type { Announcer } from './announcer.ts'
import type { TelegramState } from './telegram_state.ts'

export type ChatActor = Extract<Actor, { kind: 'chat' }>

/** Told after a command succeeded (the demo pairs a simulated stormd after `/pair`). */
export interface AfterCommand {
  name: string
  reply: Reply
  chatId: number
  actor: ChatActor
  lang: string
}

export interface BotEnv {
  manager: StormManager
  locales: Locales
  pairingInvite: (code: string) => string
  api: Api
  /** The bot's username, without `@`. */
  username: string
  state: TelegramState
  /** Writes `state` (batched). */
  save: () => void
  admins: AdminCache
  announcer: Announcer
  /** The configured chat id, if any (it wins over `/init`). */
  configuredChat: number | undefined
  /** Language of announcements in the group. */
  groupLang: string
  /** Each user's language as of their last message or tap (their app's, unless they chose one). */
  seenLangs: Map<string, string>
  afterCommand?: (e: AfterCommand) => Promise<void>
  log: (event: string, data: Record<string, unknown>) => void
}

/** The group the Storm is run from: the configured one, else the one bound with `/init`. */
export function boundChat (env: BotEnv): number | undefined {
  return env.configuredChat ?? env.state.chatId
}

/** How a Telegram user appears in the Storm: `@username`, else their name. */
export function displayName (u: User): string {
  if (u.username !== undefined && u.username !== '') return '@' + u.username
  return [u.first_name, u.last_name].filter(s => s !== undefined && s !== '').join(' ').slice(0, 200) || String(u.id)
}

export function actorOf (u: User, isAdmin: boolean): ChatActor {
  return { kind: 'chat', platform: 'telegram', userId: String(u.id), name: displayName(u), isAdmin, ...(u.username !== undefined && u.username !== '' ? { handle: u.username } : {}) }
}

/** The user's language: their `/lang` choice, else their Telegram app's language, else English. */
export function langOf (env: BotEnv, u: User): string {
  const member = env.manager.memberOf(actorOf(u, false))
  const chosen = member?.lang ?? env.state.users[String(u.id)]?.lang
  const lang = env.locales.negotiate(chosen ?? u.language_code)
  // what the bot says to them later, unasked (a pairing note), is in this language too
  env.seenLangs.set(String(u.id), lang)
  return lang
}

/** Admins of the Storm's group (in a private chat too); nobody is one before the group is bound. */
export function isAdmin (env: BotEnv, userId: number): Promise<boolean> {
  const chat = boundChat(env)
  return chat === undefined ? Promise.resolve(false) : env.admins.isAdmin(chat, userId)
}

/** Remembers a `/lang` choice (members have it in the Storm's state as well). */
export function setUserLang (env: BotEnv, userId: number, lang: string): void {
  env.state.users[String(userId)] = { ...env.state.users[String(userId)], lang }
  env.save()
}
