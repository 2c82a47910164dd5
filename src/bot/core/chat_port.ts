/**
 * The chat port: the few things the chat core asks of a chat service. Telegram implements it
 * over the Bot API; a Matrix adapter implements it over the client-server API (replies in a
 * thread, edits as `m.replace`, buttons as reactions). Room, user and message ids are strings.
 */
import type { Button } from '../render.ts'

/** What one message says: its text and rows of buttons. */
export interface Content { text: string, buttons?: Button[][] }

/** A message to post. */
export interface OutMessage extends Content {
  /**
   * The message this one answers: Telegram quotes it, Matrix replies in its thread. Announcements
   * have none.
   */
  replyTo?: string
  /**
   * How the text is shown: `plain` as it is; `spans`, Storm's backticked commands as code a tap
   * copies; `code`, all of it as a block of code (getinfo's JSON).
   */
  format?: 'plain' | 'spans' | 'code'
  /** A part of the text to make copyable on its own (the pairing invitation). */
  copy?: string
  /** A link under the message (the group's `/pair` answer opens the private chat). */
  link?: { label: string, url: string }
}

export interface ChatPort {
  /** Posts a message in a room (split as the service requires); returns the id of its last part. */
  send (room: string, message: OutMessage): Promise<string>
  /**
   * Replaces a message's text and buttons (no buttons: they are removed). Throws
   * `StormError('MESSAGE_GONE')` when the message no longer exists; a change to nothing is no error.
   */
  edit (room: string, messageId: string, content: Content): Promise<void>
  /** Reacts to a message with an emoji (where the service has reactions). */
  react (room: string, messageId: string, emoji: string): Promise<void>
  /** Posts a PNG picture with a caption, under the file name it is saved as. */
  image (room: string, picture: Picture, replyTo?: string): Promise<void>
  /** The direct (private) room with a user, when there is one to write to. */
  directRoom (userId: string): string | undefined
  /** A link that opens a direct chat with the bot carrying `payload`, where the service has one. */
  directLink (payload: string): string | undefined
  /** Whether the user is an admin of the room, as the service says (the core caches it). */
  isAdmin (room: string, userId: string): Promise<boolean>
}

/** A PNG the chat shows: the pairing QR, the stats picture. `fileName` is what a user saving it gets. */
export interface Picture { png: Buffer, caption: string, fileName: string }
