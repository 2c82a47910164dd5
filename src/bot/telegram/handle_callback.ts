/**
 * A tap on an inline button (`approve:ID`, `reject:ID`, `admit:MEMBER`, `decline:MEMBER`). The
 * tap runs the command that answers the action, as whoever tapped, through the same parser,
 * authority check and handler as the typed command (`runAction`); a refusal comes back as an
 * alert in the tapper's language, with nothing changed. On success the announcement is edited in
 * place by the event that follows.
 */
import type { CallbackQuery } from 'grammy/types'
import { runAction } from '../run_command.ts'
import { type BotEnv, actorOf, isAdmin, langOf } from './bot_env.ts'

/** Telegram's limit for a callback answer's text. */
const MAX_ANSWER = 200

export async function handleCallback (env: BotEnv, q: CallbackQuery & { data: string }): Promise<void> {
  const lang = langOf(env, q.from)
  const t = env.locales.translator(lang)
  const answer = (text: string, alert: boolean): Promise<unknown> =>
    env.api.answerCallbackQuery(q.id, { text: clip(text), show_alert: alert })
  const surface = q.message?.chat.type === 'private' ? 'private' : 'group'
  const actor = actorOf(q.from, await isAdmin(env, q.from.id))
  const reply = await runAction(
    { manager: env.manager, locales: env.locales, pairingInvite: env.pairingInvite },
    { actor, surface, lang, prefix: '/' },
    q.data
  )
  if (reply === null) {
    await answer(t.t('telegram-unknown-action'), true)
    return
  }
  if (!reply.ok) {
    await answer(reply.text, true)
    return
  }
  await answer(reply.text, false)
  const id = q.data.slice(q.data.indexOf(':') + 1)
  const m = q.message
  if (q.data.startsWith('decline:') && m !== undefined) {
    // a declined request has no event of its own: close its announcement here
    const name = env.manager.state.members[id]?.chat.name ?? id
    env.announcer.post(m.chat.id, `member:${id}`, { text: env.locales.translator(env.groupLang).t('decline-done', { name }) })
  }
  if (m !== undefined && !env.announcer.owns(m.chat.id, m.message_id)) {
    // a keyboard under a command's reply (/directives): drop the row that was just decided
    const rows = (m.reply_markup?.inline_keyboard ?? []).filter(row => !row.some(b => 'callback_data' in b && b.callback_data?.endsWith(':' + id)))
    await env.api.editMessageReplyMarkup(m.chat.id, m.message_id, { reply_markup: { inline_keyboard: rows } }).catch((e: unknown) => {
      env.log('telegram_keyboard_edit_failed', { error: e instanceof Error ? e.message : String(e) })
    })
  }
}

function clip (text: string): string {
  return text.length <= MAX_ANSWER ? text : text.slice(0, MAX_ANSWER - 1) + '…'
}
