/** Who writes to the bot and what they send, as every chat service can say it, and who that is to the Storm. */
import type { Actor } from '../../manager/members/find_member.ts'

export type ChatActor = Extract<Actor, { kind: 'chat' }>

/** A person writing to the bot. */
export interface ChatUser {
  id: string
  /** How they appear in the Storm (`@username`, else their name). */
  name: string
  /** Their app's language, when the service tells. */
  langHint?: string
  /** The name to greet them by (their first name). */
  given?: string
  /** The handle the service vouches for (a Telegram username), without `@`. */
  handle?: string
}

/** The Storm's actor for a chat user on a platform. */
export function chatActorOf (platform: string, user: ChatUser, isAdmin: boolean): ChatActor {
  return { kind: 'chat', platform, userId: user.id, name: user.name, isAdmin, ...(user.handle === undefined ? {} : { handle: user.handle }) }
}

/** A text message in a room. */
export interface Incoming {
  room: string
  kind: 'group' | 'private'
  user: ChatUser
  text: string
  messageId: string
  /** Posted as the room itself (an anonymous admin): nobody to act as. */
  anonymous?: boolean
}

/** A button tap (or a reaction standing for one) on a message. */
export interface Tap {
  room: string
  kind: 'group' | 'private'
  user: ChatUser
  action: string
}
