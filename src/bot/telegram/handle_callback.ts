/**
 * A tap on an inline button (`approve:ID`, `reject:ID`, `admit:MEMBER`, `decline:MEMBER`). The
 * actor is whoever tapped: the manager refuses a member deciding someone else's directive, and
 * that refusal comes back as an alert in the tapper's language, with nothing changed. On success
 * the announcement is edited in place by the event that follows.
 */
import type { CallbackQuery } from 'grammy/types'
import type { Result } from '../../shared/errors.ts'
import { StormError } from '../../shared/errors.ts'
import type { Translator } from '../../shared/i18n.ts'
import { describeDirective } from '../render.ts'
import { type BotEnv, actorOf, isAdmin, langOf } from './bot_env.ts'

/** Telegram's limit for a callback answer's text. */
const MAX_ANSWER = 200

export async function handleCallback (env: BotEnv, q: CallbackQuery & { data: string }): Promise<void> {
  const t = env.locales.translator(langOf(env, q.from))
  const answer = (text: string, alert: boolean): Promise<unknown> =>
    env.api.answerCallbackQuery(q.id, { text: clip(text), show_alert: alert })
  const colon = q.data.indexOf(':')
  const action = q.data.slice(0, colon)
  const id = q.data.slice(colon + 1)
  if (colon < 0 || id === '' || !['approve', 'reject', 'admit', 'decline'].includes(action)) {
    await answer(t.t('telegram-unknown-action'), true)
    return
  }
  const actor = actorOf(q.from, await isAdmin(env, q.from.id))
  const outcome = action === 'approve' || action === 'reject'
    ? await decide(env, t, actor, id, action)
    : await admit(env, t, actor, id, action === 'admit', q)
  if (!outcome.ok) {
    await answer(t.error(outcome.error), true)
    return
  }
  await answer(outcome.value, false)
  const m = q.message
  if (m !== undefined && !env.announcer.owns(m.chat.id, m.message_id)) {
    // a keyboard under a command's reply (/directives): drop the row that was just decided
    const rows = (m.reply_markup?.inline_keyboard ?? []).filter(row => !row.some(b => 'callback_data' in b && b.callback_data?.endsWith(':' + id)))
    await env.api.editMessageReplyMarkup(m.chat.id, m.message_id, { reply_markup: { inline_keyboard: rows } }).catch((e: unknown) => {
      env.log('telegram_keyboard_edit_failed', { error: e instanceof Error ? e.message : String(e) })
    })
  }
}

async function decide (env: BotEnv, t: Translator, actor: ReturnType<typeof actorOf>, id: string, decision: 'approve' | 'reject'): Promise<Result<string>> {
  const r = await env.manager.decide(actor, id, decision)
  if (!r.ok) return r
  const record = r.value[0]!
  const what = describeDirective(record, env.manager, t)
  return { ok: true, value: t.t(decision === 'approve' ? 'approve-done' : 'reject-done', { id: record.directive.id, what }) }
}

async function admit (env: BotEnv, t: Translator, actor: ReturnType<typeof actorOf>, memberId: string, yes: boolean, q: CallbackQuery): Promise<Result<string>> {
  if (!actor.isAdmin) return { ok: false, error: new StormError('NOT_ADMIN') }
  const r = await env.manager.decideMembership(actor, memberId, yes)
  if (!r.ok) return r
  const name = r.value.chat.name
  if (!yes && q.message !== undefined) {
    // a declined request has no event of its own: close its announcement here
    const groupT = env.locales.translator(env.groupLang)
    env.announcer.post(q.message.chat.id, `member:${memberId}`, { text: groupT.t('decline-done', { name }) })
  }
  return { ok: true, value: t.t(yes ? 'admit-done' : 'decline-done', { name }) }
}

function clip (text: string): string {
  return text.length <= MAX_ANSWER ? text : text.slice(0, MAX_ANSWER - 1) + '…'
}
