/**
 * A Telegram text message, handed to the chat core as the user who sent it, in the room it came
 * from (a group, or the private chat with the bot).
 */
import type { Message } from 'grammy/types'
import { type ChatCore, commandName as coreCommandName } from '../core/index.ts'
import { chatUserOf } from './bot_env.ts'

export async function handleMessage (core: ChatCore, msg: Message & { text: string }): Promise<void> {
  const from = msg.from
  const chat = msg.chat
  if (from === undefined || chat.type === 'channel') return
  await core.command({
    room: String(chat.id),
    kind: chat.type === 'private' ? 'private' : 'group',
    user: chatUserOf(from),
    text: msg.text,
    messageId: String(msg.message_id),
    // posted as the group (an anonymous admin) or a linked channel: nobody to act as
    anonymous: msg.sender_chat !== undefined
  })
}

/**
 * The command word of `/word` or `/word@us`, lower case; null when the text is not a command or
 * is addressed to another bot.
 */
export function commandName (head: string, username: string): string | null {
  return coreCommandName(head, '/', username)
}
