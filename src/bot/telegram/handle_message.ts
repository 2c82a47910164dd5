/**
 * A text message: a command in the Storm's group or in a private chat. Telegram's own commands
 * (`/start` with its deep-link payload, `/init`) are handled here; every other command goes
 * through the shared command language, as the user who sent it, in their language.
 */
import type { Message } from 'grammy/types'
import { parseCommand } from '../parse_command.ts'
import { runCommand, fail, type Reply } from '../run_command.ts'
import { StormError } from '../../shared/errors.ts'
import type { Translator } from '../../shared/i18n.ts'
import { type BotEnv, actorOf, boundChat, isAdmin, langOf, setUserLang } from './bot_env.ts'
import { sendReply, type ReplyTarget } from './send_reply.ts'

/** Commands a group may use before it is bound with /init. */
const BEFORE_INIT = new Set(['help', 'lang'])

export async function handleMessage (env: BotEnv, msg: Message & { text: string }): Promise<void> {
  const from = msg.from
  const chat = msg.chat
  if (from === undefined || chat.type === 'channel') return
  const surface = chat.type === 'private' ? 'private' : 'group'
  const lang = langOf(env, from)
  const t = env.locales.translator(lang)
  const to: ReplyTarget = surface === 'group' ? { chatId: chat.id, quote: msg.message_id } : { chatId: chat.id }
  const say = (reply: Reply, target: ReplyTarget = to): Promise<void> => sendReply(env, target, reply, t)

  const [head = '', payload] = msg.text.trim().split(/\s+/)
  const name = commandName(head, env.username)
  if (name === null) {
    // in a group, chatter is not for us; in a private chat, help the user along
    if (surface === 'private') await say({ ok: false, text: t.t('telegram-not-a-command') })
    return
  }
  if (surface === 'group' && msg.sender_chat !== undefined) {
    await say({ ok: false, text: t.t('telegram-anonymous-admin') })
    return
  }
  if (name === 'init') {
    await say(await init(env, chat.id, from.id, surface, t))
    return
  }
  const bound = boundChat(env)
  if (surface === 'group' && bound !== chat.id && name !== 'start' && !(bound === undefined && BEFORE_INIT.has(name))) {
    await say({ ok: false, text: bound === undefined ? t.t('telegram-not-bound') : t.t('telegram-wrong-group', { group: env.manager.state.group }) })
    return
  }
  let text = msg.text
  if (name === 'start') {
    if (surface === 'private' && payload !== 'pair') {
      await say({ ok: true, text: t.t('telegram-start', { name: from.first_name, group: env.manager.state.group }) })
      return
    }
    // the deep link `t.me/<bot>?start=pair` arrives as `/start pair`; `/start` in a group is /help
    text = surface === 'private' ? '/pair' : '/help'
  }
  const parsed = parseCommand(text, { prefixes: ['/'], botUsername: env.username, lang })
  if (parsed === null) return
  if (!parsed.ok) {
    await say(fail(t, parsed.error))
    return
  }
  const actor = actorOf(from, await isAdmin(env, from.id))
  const privateLink = (p: string): string => `https://t.me/${env.username}?start=${p}`
  const reply = await runCommand(
    { manager: env.manager, locales: env.locales, pairingInvite: env.pairingInvite },
    { actor, surface, lang, prefix: '/', privateLink },
    parsed.value
  )
  if (reply.lang !== undefined) setUserLang(env, from.id, reply.lang)
  const replyT = env.locales.translator(reply.lang ?? lang)
  const link = parsed.value.name === 'pair' && surface === 'group' ? { label: replyT.t('telegram-open-private'), url: privateLink('pair') } : undefined
  await sendReply(env, link === undefined ? to : { ...to, link }, reply, replyT)
  if (reply.ok) await env.afterCommand?.({ name: parsed.value.name, reply, chatId: chat.id, actor, lang: replyT.lang })
}

/** `/init` in a group: an admin makes it the Storm's home, once. */
async function init (env: BotEnv, chatId: number, userId: number, surface: 'group' | 'private', t: Translator): Promise<Reply> {
  const group = env.manager.state.group
  const bound = boundChat(env)
  if (surface === 'private') return { ok: false, text: bound === undefined ? t.t('telegram-not-bound') : t.t('telegram-wrong-group', { group }) }
  if (!await env.admins.isAdmin(chatId, userId)) return fail(t, new StormError('NOT_ADMIN'))
  if (bound === chatId) return { ok: true, text: t.t('telegram-init-already', { group }) }
  // a Storm has one home: another group's admins cannot take it over
  if (bound !== undefined) return { ok: false, text: t.t('telegram-wrong-group', { group }) }
  env.state.chatId = chatId
  env.save()
  env.log('telegram_bound', { chat: chatId })
  return { ok: true, text: t.t('telegram-init-done', { group }) }
}

/**
 * The command word of `/word` or `/word@us`, lower case; null when the text is not a command or
 * is addressed to another bot.
 */
export function commandName (head: string, username: string): string | null {
  const m = /^\/([^\s@]+)(?:@(\S+))?$/.exec(head)
  if (m === null) return null
  if (m[2] !== undefined && m[2].toLowerCase() !== username.toLowerCase()) return null
  return m[1]!.toLowerCase()
}
