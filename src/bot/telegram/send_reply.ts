/**
 * A message as Telegram messages (the chat port's `send`): a reply quotes the command it answers
 * (several people talk at once in a group); buttons become an inline keyboard; `getinfo`'s JSON
 * is a code block; the pairing invitation can be copied with a tap; long texts are split at line
 * breaks. Returns the id of the last message sent.
 */
import type { Api } from 'grammy'
import type { InlineKeyboardButton, MessageEntity } from 'grammy/types'
import type { OutMessage } from '../core/index.ts'
import type { Button } from '../render.ts'
import { stripControls } from '../../shared/untrusted_text.ts'

export { qrPng } from '../core/index.ts'

/** Telegram's limit for a message's text. */
export const MAX_MESSAGE = 4096

export async function sendMessage (api: Api, chatId: number, m: OutMessage): Promise<number> {
  // backticked spans become code only where asked (replies); announcements are shown as they are
  const text0 = stripControls(m.text)
  const shown = m.format === 'spans' ? asShown(text0) : { text: text0, entities: [] }
  const chunks = splitText(shown.text)
  let last = 0
  for (const [i, text] of chunks.entries()) {
    const rows = i === chunks.length - 1 ? keyboard(m.buttons, m.link) : []
    const entities = chunks.length === 1 ? entitiesFor(text, m, shown.entities) : []
    const sent = await api.sendMessage(chatId, text, {
      link_preview_options: { is_disabled: true },
      ...(m.replyTo !== undefined && i === 0 ? { reply_parameters: { message_id: Number(m.replyTo), allow_sending_without_reply: true } } : {}),
      ...(rows.length > 0 ? { reply_markup: { inline_keyboard: rows } } : {}),
      ...(entities.length > 0 ? { entities } : {})
    })
    last = sent.message_id
  }
  return last
}

/** Rows of Storm buttons as Telegram inline keyboard rows (callback data is the action). */
export function keyboard (buttons: Button[][] | undefined, link?: { label: string, url: string }): InlineKeyboardButton[][] {
  const rows: InlineKeyboardButton[][] = (buttons ?? []).map(row => row.map(b => ({ text: b.label, callback_data: b.action })))
  if (link !== undefined) rows.push([{ text: link.label, url: link.url }])
  return rows
}

function entitiesFor (text: string, m: OutMessage, code: MessageEntity[]): MessageEntity[] {
  if (m.format === 'code') return [{ type: 'pre', offset: 0, length: text.length, language: 'json' }]
  if (m.copy === undefined) return code
  // the invitation is long: one tap copies it
  const at = text.indexOf(m.copy)
  return at < 0 ? code : [...code, { type: 'code' as const, offset: at, length: m.copy.length }].sort((a, b) => a.offset - b.offset)
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
