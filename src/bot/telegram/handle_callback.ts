/**
 * A tap on an inline button (`approve:ID`, `reject:ID`, `admit:MEMBER`, `decline:MEMBER`), handed
 * to the chat core, which runs the command that answers it as whoever tapped, with the same checks
 * as the typed command. Telegram shows the answer as a toast, a refusal as an alert. On success
 * the announcement is edited in place by the event that follows; a keyboard under a command's
 * reply (`/directives`) loses the row just decided.
 */
import type { Api } from 'grammy'
import type { CallbackQuery } from 'grammy/types'
import type { ChatCore } from '../core/index.ts'
import { chatUserOf } from './bot_env.ts'

/** Telegram's limit for a callback answer's text. */
const MAX_ANSWER = 200

export async function handleCallback (core: ChatCore, api: Api, log: (event: string, data: Record<string, unknown>) => void, q: CallbackQuery & { data: string }): Promise<void> {
  const user = chatUserOf(q.from)
  const answer = (text: string, alert: boolean): Promise<unknown> =>
    api.answerCallbackQuery(q.id, { text: clip(text), show_alert: alert })
  const m = q.message
  const room = m === undefined ? String(q.from.id) : String(m.chat.id)
  const reply = await core.tap({ room, kind: m?.chat.type === 'private' ? 'private' : 'group', user, action: q.data })
  if (reply === null) {
    await answer(core.translator(user).t('telegram-unknown-action'), true)
    return
  }
  await answer(reply.text, !reply.ok)
  if (!reply.ok || m === undefined || core.isAnnouncement(room, String(m.message_id))) return
  const id = q.data.slice(q.data.indexOf(':') + 1)
  const rows = (m.reply_markup?.inline_keyboard ?? []).filter(row => !row.some(b => 'callback_data' in b && b.callback_data?.endsWith(':' + id)))
  await api.editMessageReplyMarkup(m.chat.id, m.message_id, { reply_markup: { inline_keyboard: rows } }).catch((e: unknown) => {
    log('telegram_keyboard_edit_failed', { error: e instanceof Error ? e.message : String(e) })
  })
}

function clip (text: string): string {
  return text.length <= MAX_ANSWER ? text : text.slice(0, MAX_ANSWER - 1) + '…'
}
