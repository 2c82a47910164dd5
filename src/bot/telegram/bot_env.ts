/**
 * Who a Telegram user is to the chat core: their id as a string, how they appear in the Storm and
 * their app's language.
 */
import type { User } from 'grammy/types'
import { chatActorOf, type ChatActor, type ChatUser } from '../core/index.ts'
import type { Reply } from '../run_command.ts'

export type { ChatActor }

/** Told after a command succeeded (the demo pairs a simulated stormd after `/pair`). */
export interface AfterCommand {
  name: string
  reply: Reply
  chatId: number
  actor: ChatActor
  lang: string
}

/** How a Telegram user appears in the Storm: `@username`, else their name. */
export function displayName (u: User): string {
  if (u.username !== undefined && u.username !== '') return '@' + u.username
  return [u.first_name, u.last_name].filter(s => s !== undefined && s !== '').join(' ').slice(0, 200) || String(u.id)
}

/** A Telegram user as the chat core sees them. */
export function chatUserOf (u: User): ChatUser {
  return {
    id: String(u.id),
    name: displayName(u),
    given: u.first_name,
    // the username is the handle Telegram vouches for; a first name is never taken for one
    ...(u.username !== undefined && u.username !== '' ? { handle: u.username } : {}),
    ...(u.language_code === undefined ? {} : { langHint: u.language_code })
  }
}

/** The Storm's actor for a Telegram user. */
export function actorOf (u: User, isAdmin: boolean): ChatActor {
  return chatActorOf('telegram', chatUserOf(u), isAdmin)
}
