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
import { stripControls } from '../../shared/untrusted_text.ts'

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
  // getinfo's JSON is shown as it is; other texts' `spans` become code (see asShown)
  const text0 = stripControls(reply.text)
  const shown = reply.data === undefined ? asShown(text0) : { text: text0, entities: [] }
  const chunks = splitText(shown.text)
  for (const [i, text] of chunks.entries()) {
    const last = i === chunks.length - 1
    const rows = last ? keyboard(reply.buttons, to.link) : []
    const entities = chunks.length === 1 ? entitiesFor(text, reply, shown.entities) : []
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

function entitiesFor (text: string, reply: Reply, code: MessageEntity[]): MessageEntity[] {
  if (reply.data !== undefined) return [{ type: 'pre', offset: 0, length: text.length, language: 'json' }]
  if (reply.qr === undefined) return code
  // the invitation is long: one tap copies it
  const at = text.indexOf(reply.qr)
  return at < 0 ? code : [...code, { type: 'code' as const, offset: at, length: reply.qr.length }].sort((a, b) => a.offset - b.offset)
}

/**
 * A text as Telegram shows it. Storm's texts (like the seed's) mark commands to type with
 * backticks, which Telegram would show literally in a plain message: a lone command
 * (`/getinfo`) loses them and stays a tappable command; any other span (`/cancel jX78nVt`,
 * `stormd pair`) becomes a code entity, copied with one tap. Offsets are UTF-16 code units, as
 * JavaScript strings count them and Telegram expects.
 */
export function asShown (text: string): { text: string, entities: MessageEntity[] } {
  const entities: MessageEntity[] = []
  let out = ''
  let rest = text
  for (let open = rest.indexOf('`'); open >= 0; open = rest.indexOf('`')) {
    const close = rest.indexOf('`', open + 1)
    if (close < 0) break
    const span = rest.slice(open + 1, close)
    out += rest.slice(0, open)
    if (span.length > 0 && !/^\/[a-z_]+$/.test(span)) entities.push({ type: 'code', offset: out.length, length: span.length })
    out += span
    rest = rest.slice(close + 1)
  }
  return { text: out + rest, entities }
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
