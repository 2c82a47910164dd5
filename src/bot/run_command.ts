/**
 * Runs a parsed command for a chat user (or a stormcli user, through their agent) and renders the
 * answer in their language. The same code serves the console, Telegram, Matrix and stormcli; each
 * front end only says how commands are written there and what it can show (buttons, photos).
 */
import type { StormManager } from '../manager/storm_manager.ts'
import type { Actor } from '../manager/members/find_member.ts'
import type { Locales, Translator } from '../shared/i18n.ts'
import type { Result } from '../shared/errors.ts'
import { StormError } from '../shared/errors.ts'
import type { Command } from './parse_command.ts'
import { COMMANDS } from './command_table.ts'
import { helpText } from './help_text.ts'
import { describeDirective, directiveStatus, directiveButtons, membersText, type Button } from './render.ts'

export type Surface = 'group' | 'private' | 'cli'

export interface CommandContext {
  actor: Actor
  surface: Surface
  /** The user's language tag (already chosen by the front end). */
  lang: string
  /** How a command is written here: `/`, `!` or `stormcli `. */
  prefix: string
  /** A link that opens a private chat with the bot carrying a payload (Telegram deep links). */
  privateLink?: (payload: string) => string
}

export interface Reply {
  ok: boolean
  text: string
  /** Structured data for commands that return data (getinfo). */
  data?: unknown
  /** Content to show as a QR code as well (the pairing invitation). */
  qr?: string
  /** Rows of buttons. */
  buttons?: Button[][]
  /** The language the user chose with /lang, for the front end to remember. */
  lang?: string
}

export interface CommandDeps {
  manager: StormManager
  locales: Locales
  /** The invitation `stormd pair` takes, for a pairing code. */
  pairingInvite: (code: string) => string
}

export async function runCommand (deps: CommandDeps, ctx: CommandContext, command: Command): Promise<Reply> {
  const t = deps.locales.translator(ctx.lang, { p: ctx.prefix })
  try {
    return await run(deps, ctx, command, t)
  } catch (e) {
    if (e instanceof StormError) return fail(t, e)
    throw e
  }
}

/** The reply for an expected failure. */
export function fail (t: Translator, e: StormError): Reply {
  return { ok: false, text: t.error(e) }
}

async function run (deps: CommandDeps, ctx: CommandContext, c: Command, t: Translator): Promise<Reply> {
  const { manager } = deps
  const { actor, prefix: p } = ctx
  const spec = COMMANDS.find(x => x.name === c.name)!
  if (spec.admin && (actor.kind !== 'chat' || !actor.isAdmin)) return fail(t, new StormError('NOT_ADMIN'))
  switch (c.name) {
    case 'connect':
      return answer(t, await manager.connect(actor, c.group), o => o.admitted
        ? t.t('connect-admitted', { group: manager.state.group, p })
        : t.t('connect-requested', { group: manager.state.group, p }))
    case 'pair': {
      if (ctx.surface === 'group') {
        return { ok: true, text: ctx.privateLink === undefined ? t.t('pair-use-private') : t.t('pair-go-private', { link: ctx.privateLink('pair') }) }
      }
      const r = await manager.pair(actor)
      if (!r.ok) return fail(t, r.error)
      const invite = deps.pairingInvite(r.value.code)
      const minutes = Math.round(manager.rules.pairingCodeTtlMs / 60_000)
      return { ok: true, text: t.t('pair-code', { code: r.value.code, invite, minutes }), qr: invite }
    }
    case 'addfunds':
      return answer(t, await manager.addFunds(actor, c.amount), o => [
        t.t('addfunds-submitted', { amount: c.amount, id: o.allocation.id, p }),
        ...o.channels.map(ch => t.t('addfunds-planned-channel', { amount: ch.capacity, peer: ch.peerName, directive: ch.directive }))
      ].join('\n'))
    case 'removefunds':
      return answer(t, await manager.removeFunds(actor, c.amount), o => [
        t.t('removefunds-submitted', { amount: c.amount, id: o.allocation?.id ?? '', p }),
        ...o.closes.map(ch => t.t('removefunds-planned-close', { amount: ch.capacity, peer: peerName(manager, ch.peer) }))
      ].join('\n'))
    case 'disconnect':
      return answer(t, await manager.disconnect(actor), o => o.allocation === null
        ? t.t('disconnect-done', { group: manager.state.group })
        : t.t('disconnect-submitted', { group: manager.state.group, channels: o.closes.length, p }))
    case 'cancel':
      return answer(t, await manager.cancel(actor, c.id), a => t.t('cancel-done', { id: a.id }))
    case 'getinfo': {
      const info = manager.getInfo(actor)
      return { ok: true, text: JSON.stringify(info, null, 2), data: info }
    }
    case 'members':
      return { ok: true, text: membersText(manager, t) }
    case 'directives':
      return directivesReply(manager, actor, t)
    case 'approve':
    case 'reject':
      return answer(t, await manager.decide(actor, c.id, c.name), records => records.map(r =>
        t.t(c.name === 'approve' ? 'approve-done' : 'reject-done', { id: r.directive.id, what: describeDirective(r, manager, t) })
      ).join('\n'))
    case 'admit':
    case 'decline':
      return answer(t, await manager.decideMembership(actor, c.member, c.name === 'admit'), m =>
        t.t(c.name === 'admit' ? 'admit-done' : 'decline-done', { name: m.chat.name }))
    case 'vote':
      return fail(t, new StormError('NOT_BUILT_YET', { feature: 'vote' }))
    case 'downtime':
      return fail(t, new StormError('NOT_BUILT_YET', { feature: 'downtime' }))
    case 'ban':
    case 'unban':
      return fail(t, new StormError('NOT_BUILT_YET', { feature: c.name }))
    case 'lang':
      return langReply(deps, ctx, c.lang, t)
    case 'help':
      return helpReply(ctx, c.topic, t)
  }
}

function answer<T> (t: Translator, r: Result<T>, text: (value: T) => string): Reply {
  return r.ok ? { ok: true, text: text(r.value) } : fail(t, r.error)
}

function peerName (manager: StormManager, nodeKey: string): string {
  return Object.values(manager.state.members).find(m => m.node?.publicKey === nodeKey)?.chat.name ?? nodeKey.slice(0, 12)
}

function directivesReply (manager: StormManager, actor: Actor, t: Translator): Reply {
  const member = manager.memberOf(actor)
  if (member === undefined) return fail(t, new StormError('NOT_A_MEMBER', { group: manager.state.group }))
  const records = manager.directives(member.id).slice(0, 20)
  if (records.length === 0) return { ok: true, text: t.t('directives-none') }
  const lines = records.map(r => t.t('directives-line', { id: r.directive.id, what: describeDirective(r, manager, t), status: directiveStatus(r, manager, t) }))
  const buttons = records.flatMap(r => directiveButtons(r, t))
  return { ok: true, text: [t.t('directives-title'), ...lines].join('\n'), ...(buttons.length > 0 ? { buttons } : {}) }
}

async function langReply (deps: CommandDeps, ctx: CommandContext, lang: string | undefined, t: Translator): Promise<Reply> {
  const available = deps.locales.languages.join(', ')
  if (lang === undefined) return { ok: true, text: t.t('lang-current', { lang: t.lang, available }) }
  if (!deps.locales.has(lang)) return fail(t, new StormError('UNKNOWN_LANGUAGE', { lang: lang.slice(0, 16), available }))
  if (deps.manager.memberOf(ctx.actor) !== undefined) await deps.manager.setLanguage(ctx.actor, lang)
  const next = deps.locales.translator(lang, { p: ctx.prefix })
  return { ok: true, text: next.t('lang-set', { lang }), lang }
}

function helpReply (ctx: CommandContext, topic: string | undefined, t: Translator): Reply {
  return { ok: true, text: helpText(t, ctx.prefix, ctx.surface === 'cli', topic) }
}
