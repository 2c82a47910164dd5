/**
 * A command's reply as Telegram messages: in a group it quotes the command (several people talk
 * at once); buttons become an inline keyboard; `getinfo`'s JSON is a code block; the pairing
 * invitation can be copied with a tap and comes as a QR photo too.
 */
import { InputFile } from 'grammy'
import type { InlineKeyboardButton, MessageEntity } from 'grammy/types'
import QRCode from 'qrcode'
import type { Translator } from '../../shared/i18n.ts'
import type { Reply } from '../run_command.ts'
import type { Button } from '../render.ts'
import type { BotEnv } from './bot_env.ts'

/** Telegram's limit for a message's text. */
export const MAX_MESSAGE = 4096

export interface ReplyTarget {
  chatId: number
  /** The command's message, quoted in groups. */
  quote?: number
  /** A link button under the reply (the group's `/pair` answer opens the private chat). */
  link?: { label: string, url: string }
}

export async function sendReply (env: BotEnv, to: ReplyTarget, reply: Reply, t: Translator): Promise<void> {
  const chunks = splitText(reply.text)
  for (const [i, text] of chunks.entries()) {
    const last = i === chunks.length - 1
    const rows = last ? keyboard(reply.buttons, to.link) : []
    const entities = chunks.length === 1 ? entitiesFor(text, reply) : []
    await env.api.sendMessage(to.chatId, text, {
      link_preview_options: { is_disabled: true },
      ...(to.quote !== undefined && i === 0 ? { reply_parameters: { message_id: to.quote, allow_sending_without_reply: true } } : {}),
      ...(rows.length > 0 ? { reply_markup: { inline_keyboard: rows } } : {}),
      ...(entities.length > 0 ? { entities } : {})
    })
  }
  if (reply.qr !== undefined) {
    const minutes = Math.round(env.manager.rules.pairingCodeTtlMs / 60_000)
    await env.api.sendPhoto(to.chatId, new InputFile(await qrPng(reply.qr), 'storm-pair.png'), {
      caption: t.t('telegram-pair-qr-caption', { minutes })
    })
  }
}

/** The QR code of a text, as a PNG. */
export function qrPng (text: string): Promise<Buffer> {
  return QRCode.toBuffer(text, { type: 'png', errorCorrectionLevel: 'M', margin: 2, scale: 6 })
}

/** Rows of Storm buttons as Telegram inline keyboard rows (callback data is the action). */
export function keyboard (buttons: Button[][] | undefined, link?: { label: string, url: string }): InlineKeyboardButton[][] {
  const rows: InlineKeyboardButton[][] = (buttons ?? []).map(row => row.map(b => ({ text: b.label, callback_data: b.action })))
  if (link !== undefined) rows.push([{ text: link.label, url: link.url }])
  return rows
}

function entitiesFor (text: string, reply: Reply): MessageEntity[] {
  if (reply.data !== undefined) return [{ type: 'pre', offset: 0, length: text.length, language: 'json' }]
  if (reply.qr === undefined) return []
  // the invitation is long: one tap copies it
  const at = text.indexOf(reply.qr)
  return at < 0 ? [] : [{ type: 'code', offset: at, length: reply.qr.length }]
}

/** Splits a long text at line breaks into pieces Telegram accepts. */
export function splitText (text: string, max = MAX_MESSAGE): string[] {
  if (text.length <= max) return [text]
  const out: string[] = []
  let current = ''
  for (const line of text.split('\n')) {
    for (let piece = line; ;) {
      const room = max - current.length - (current === '' ? 0 : 1)
      if (piece.length <= room) {
        current = current === '' ? piece : current + '\n' + piece
        break
      }
      if (current !== '') { out.push(current); current = ''; continue }
      out.push(piece.slice(0, max))
      piece = piece.slice(max)
    }
  }
  if (current !== '') out.push(current)
  return out
}
