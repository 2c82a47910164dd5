/**
 * The chat core: everything a chat front end does that is not its service's API. It binds the
 * Storm to its home room (`/init`) and guards it, knows each user's language, runs commands and
 * button taps through the one command language, keeps per-sender reply budgets, and announces
 * the Storm's events (batched and edited in place), remembering what it sent across restarts.
 * A transport (Telegram, Matrix) turns its service's updates into `command` / `tap` calls and
 * implements the `ChatPort`; nothing here knows which service it is.
 */
import type { StormManager } from '../../manager/storm_manager.ts'
import type { StormEvent } from '../../manager/context.ts'
import type { Locales, Translator } from '../../shared/i18n.ts'
import type { Clock } from '../../shared/clock.ts'
import type { Store } from '../../shared/json_store.ts'
import { parseCommand } from '../parse_command.ts'
import { findCommand } from '../commands/registry.ts'
import { runAction, runCommand, fail, commandBroke, COMMAND_FAILED, type CommandDeps, type Reply } from '../run_command.ts'
import { announcementFor } from '../announcements.ts'
import { AdminCache, ADMIN_TTL_MS } from './admins.ts'
import { Announcer } from './announcer.ts'
import type { ChatPort, OutMessage } from './chat_port.ts'
import { StateSaver, type ChatState } from './chat_state.ts'
import { DEFAULT_REPLY_BUDGETS, ReplyBudgets, type ReplyBudgetRules } from './reply_budget.ts'
import { qrPng } from './qr_png.ts'
import { HomeRoom } from './home_room.ts'
import { reactionAction } from './reaction_action.ts'
import { commandName } from './command_name.ts'
import { chatActorOf, type ChatActor, type ChatUser, type Incoming, type Tap } from './chat_user.ts'

export type { ChatActor, ChatUser, Incoming, Tap } from './chat_user.ts'
export { chatActorOf } from './chat_user.ts'
export { commandName } from './command_name.ts'

/** Told after a command succeeded (the demo pairs a simulated stormd after `/pair`). */
export interface CoreAfterCommand {
  name: string
  reply: Reply
  room: string
  actor: ChatActor
  lang: string
}

export interface ChatCoreOptions {
  manager: StormManager
  locales: Locales
  pairingInvite: (code: string) => string
  /** `/stats`'s picture (the runtime has the flow history it draws). */
  statsPicture?: CommandDeps['statsPicture']
  port: ChatPort
  /** The actors' platform (`telegram`, `matrix`). */
  platform: string
  /** How commands start here (`/`, `!`). */
  prefix: string
  /** The bot's user name: commands addressed to other bots are not for us. */
  botUsername?: string
  /** Where the remembered state is kept. */
  store: Store<ChatState>
  /** The configured room, if any (it wins over `/init`). */
  configuredRoom?: string
  /** Language of announcements in the home room. */
  lang: string
  clock: Clock
  /** The batching window for announcements. */
  batchMs: number
  adminTtlMs?: number
  budgets?: ReplyBudgetRules
  afterCommand?: (e: CoreAfterCommand) => Promise<void>
  log: (event: string, data: Record<string, unknown>) => void
}

export class ChatCore {
  readonly #o: ChatCoreOptions
  readonly #state: ChatState
  readonly #saver: StateSaver
  readonly #announcer: Announcer
  readonly #admins: AdminCache
  readonly #budgets: ReplyBudgets
  readonly #home: HomeRoom
  /** Each user's language as of their last message or tap (their app's, unless they chose one). */
  readonly #seenLangs = new Map<string, string>()
  readonly #onEvent = (e: StormEvent): void => { this.#announce(e) }

  private constructor (o: ChatCoreOptions, state: ChatState) {
    this.#o = o
    this.#state = state
    this.#saver = new StateSaver(() => o.store.save(state), e => o.log('chat_state_save_failed', { error: String(e) }))
    this.#announcer = new Announcer({
      api: o.port,
      clock: o.clock,
      batchMs: o.batchMs,
      restored: state.messages,
      onChange: () => {
        state.messages = this.#announcer.snapshot()
        void this.#saver.request()
      },
      log: o.log
    })
    this.#admins = new AdminCache((room, user) => o.port.isAdmin(room, user), o.clock, o.adminTtlMs ?? ADMIN_TTL_MS)
    this.#budgets = new ReplyBudgets(o.budgets ?? DEFAULT_REPLY_BUDGETS, o.clock)
    this.#home = new HomeRoom(state, o.configuredRoom, () => { void this.#saver.request() }, o.log)
  }

  /** Loads the remembered state and starts announcing the Storm's events. */
  static async start (o: ChatCoreOptions): Promise<ChatCore> {
    const core = new ChatCore(o, await o.store.load())
    o.manager.on('event', core.#onEvent)
    return core
  }

  /** The room the Storm is run from: the configured one, else the one bound with `/init`. */
  get home (): string | undefined {
    return this.#home.room
  }

  /** The home room moved (a Telegram group that became a supergroup has a new id). */
  rehome (from: string, to: string): void {
    this.#home.moved(from, to)
  }

  /** The user's language: their `/lang` choice, else their app's language, else English. */
  langOf (user: ChatUser): string {
    const member = this.#o.manager.memberOf(this.#actor(user, false))
    const chosen = member?.lang ?? this.#state.users[user.id]?.lang
    const lang = this.#o.locales.negotiate(chosen ?? user.langHint)
    // what the bot says to them later, unasked (a pairing note), is in this language too
    this.#seenLangs.set(user.id, lang)
    return lang
  }

  /** A translator in the user's language. */
  translator (user: ChatUser): Translator {
    return this.#o.locales.translator(this.langOf(user), { p: this.#o.prefix })
  }

  /** A message in a room: a command for us is run and answered; other text is left alone. */
  async command (msg: Incoming): Promise<void> {
    const lang = this.langOf(msg.user)
    const t = this.#o.locales.translator(lang, { p: this.#o.prefix })
    const say = (reply: Reply, extra: Partial<OutMessage> = {}): Promise<void> => this.#reply(msg, reply, t, extra)
    const name = commandName(msg.text.trim().split(/\s+/)[0] ?? '', this.#o.prefix, this.#o.botUsername)
    // in a group, chatter is not for us
    if (name === null && msg.kind === 'group') return
    const verdict = this.#budgets.take(msg.user.id, this.#isMember(msg.user) ? 'member' : 'stranger', msg.room)
    if (verdict !== 'answer') {
      this.#o.log('chat_sender_over_budget', { room: msg.room, user: msg.user.id, verdict })
      if (verdict === 'notice') await say({ ok: false, text: t.t('chat-slow-down') })
      return
    }
    if (name === null) {
      await say({ ok: false, text: t.t('telegram-not-a-command') })
      return
    }
    if (msg.kind === 'group' && msg.anonymous === true) {
      await say({ ok: false, text: t.t('telegram-anonymous-admin') })
      return
    }
    const group = this.#o.manager.group
    if (name === 'init') {
      const isAdmin = msg.kind === 'group' && await this.#admins.isAdmin(msg.room, msg.user.id)
      await say(this.#home.init(msg.room, msg.kind, isAdmin, group, t))
      return
    }
    const refused = this.#home.refusal(msg.room, msg.kind, name, group, t)
    if (refused !== null) {
      await say(refused)
      return
    }
    let text = msg.text
    if (name === 'start') {
      // a direct link `?start=<command>` opens the private chat with a private-scoped command (`pair`, `dashboard`)
      const payload = msg.text.trim().split(/\s+/)[1] ?? ''
      if (msg.kind === 'private' && findCommand(payload)?.scope !== 'private') {
        await say({ ok: true, text: t.t('telegram-start', { name: msg.user.given ?? msg.user.name, group: this.#o.manager.group }) })
        return
      }
      // a direct link `?start=pair` arrives as `/start pair`; `/start` in a group is /help
      text = this.#o.prefix + (msg.kind === 'private' ? payload : 'help')
    }
    const parsed = parseCommand(text, { prefixes: [this.#o.prefix], lang, ...(this.#o.botUsername === undefined ? {} : { botUsername: this.#o.botUsername }) })
    if (parsed === null) return
    if (!parsed.ok) {
      await say(fail(t, parsed.error))
      return
    }
    const actor = this.#actor(msg.user, await this.#isAdmin(msg.user.id))
    const link = this.#o.port.directLink('pair')
    let reply: Reply
    try {
      reply = await runCommand(
        { manager: this.#o.manager, locales: this.#o.locales, pairingInvite: this.#o.pairingInvite, statsPicture: this.#o.statsPicture },
        { actor, surface: msg.kind, lang, prefix: this.#o.prefix, ...(link === undefined ? {} : { privateLink: (p: string) => this.#o.port.directLink(p)! }) },
        parsed.value
      )
    } catch (e) {
      this.#o.log('chat_command_failed', { room: msg.room, user: msg.user.id, command: parsed.value.name, code: COMMAND_FAILED, error: e instanceof Error ? (e.stack ?? e.message) : String(e) })
      await say(commandBroke(t))
      return
    }
    if (reply.lang !== undefined) this.#setUserLang(msg.user.id, reply.lang)
    const replyT = this.#o.locales.translator(reply.lang ?? lang, { p: this.#o.prefix })
    let open = parsed.value.name === 'pair' && msg.kind === 'group' && link !== undefined ? { link: { label: replyT.t('telegram-open-private'), url: link } } : {}
    if (reply.direct !== undefined && msg.kind === 'group' && !await this.#sendDirect(msg, reply.direct)) {
      // the private part could not go (the user never opened a private chat with the bot): say how
      const direct = this.#o.port.directLink(parsed.value.name)
      reply = { ok: false, text: replyT.t('chat-direct-failed') }
      open = direct === undefined ? {} : { link: { label: replyT.t('telegram-open-private'), url: direct } }
    }
    await this.#reply(msg, reply, replyT, open)
    if (reply.ok) await this.#o.afterCommand?.({ name: parsed.value.name, reply, room: msg.room, actor, lang: replyT.lang })
  }

  /**
   * A tapped button: the command that answers its action runs as whoever tapped, with the same
   * checks as typed. The reply is for the transport to show (a toast, an alert); null when no
   * command answers the action (a stale or forged button).
   */
  async tap (tap: Tap): Promise<Reply | null> {
    const lang = this.langOf(tap.user)
    const actor = this.#actor(tap.user, await this.#isAdmin(tap.user.id))
    try {
      return await runAction(
        { manager: this.#o.manager, locales: this.#o.locales, pairingInvite: this.#o.pairingInvite, statsPicture: this.#o.statsPicture },
        { actor, surface: tap.kind, lang, prefix: this.#o.prefix },
        tap.action
      )
    } catch (e) {
      this.#o.log('chat_command_failed', { room: tap.room, user: tap.user.id, action: tap.action.slice(0, 80), code: COMMAND_FAILED, error: e instanceof Error ? (e.stack ?? e.message) : String(e) })
      return commandBroke(this.#o.locales.translator(lang))
    }
  }

  /**
   * A reaction on a message: ✅ / ❌ on an announcement with one approving / refusing button runs
   * that button's action, as a tap. Null when it stands for no button (the transport ignores it).
   */
  async react (r: { room: string, kind: 'group' | 'private', user: ChatUser, messageId: string, emoji: string }): Promise<Reply | null> {
    const action = reactionAction(this.#announcer.buttonsOf(r.room, r.messageId), r.emoji)
    return action === null ? null : this.tap({ room: r.room, kind: r.kind, user: r.user, action })
  }

  /** The buttons an announcement shows now (a reaction on it stands for one of them). */
  buttonsOf (room: string, messageId: string): ReturnType<Announcer['buttonsOf']> {
    return this.#announcer.buttonsOf(room, messageId)
  }

  /** Whether a message is one of the announcements (its buttons change by edits of their own). */
  isAnnouncement (room: string, messageId: string): boolean {
    return this.#announcer.owns(room, messageId)
  }

  /** Posts a plain message (the demo's narration). */
  async say (room: string, text: string): Promise<void> {
    await this.#o.port.send(room, { text, format: 'spans' })
  }

  /** Sends what is waiting to be announced now (tests, and a clean stop). */
  flush (): Promise<void> {
    return this.#announcer.flush()
  }

  /** Stops announcing, sends what is waiting and saves the state. */
  async stop (): Promise<void> {
    this.#o.manager.off('event', this.#onEvent)
    await this.#announcer.stop()
    this.#state.messages = this.#announcer.snapshot()
    await this.#saver.request()
  }

  #announce (e: StormEvent): void {
    const a = announcementFor(e, this.#o.manager)
    if (a === null) return
    const home = this.home
    if (home !== undefined) this.#announcer.post(home, a.key, a.render(this.#o.locales.translator(this.#o.lang)))
    if (e.type === 'member_paired' && e.member.chat.platform === this.#o.platform) {
      const m = e.member
      // they paired from the private chat: say it there too
      const room = this.#o.port.directRoom(m.chat.userId)
      if (room === undefined) return
      const lang = this.#o.locales.negotiate(m.lang ?? this.#state.users[m.chat.userId]?.lang ?? this.#seenLangs.get(m.chat.userId))
      this.#announcer.post(room, a.key, a.render(this.#o.locales.translator(lang)))
    }
  }

  async #reply (msg: Incoming, reply: Reply, t: Translator, extra: Partial<OutMessage>): Promise<void> {
    if (reply.image !== undefined) {
      // the caption says it; the picture is the answer
      await this.#o.port.image(msg.room, { png: Buffer.from(reply.image.png), caption: reply.image.caption, fileName: 'storm-stats.png' }, msg.kind === 'group' ? msg.messageId : undefined)
      return
    }
    await this.#o.port.send(msg.room, {
      text: reply.text,
      // getinfo's JSON is shown as it is; other texts' backticked spans are code
      format: reply.data === undefined ? 'spans' : 'code',
      ...(reply.buttons === undefined ? {} : { buttons: reply.buttons }),
      ...(msg.kind === 'group' ? { replyTo: msg.messageId } : {}),
      ...(reply.qr === undefined ? {} : { copy: reply.qr }),
      ...extra
    })
    if (reply.qr !== undefined) {
      const minutes = Math.round(this.#o.manager.rules.pairingCodeTtlMs / 60_000)
      await this.#o.port.image(msg.room, { png: await qrPng(reply.qr), caption: t.t('telegram-pair-qr-caption', { minutes }), fileName: 'storm-pair.png' })
    }
  }

  /** Sends a reply's private part to the asker's direct chat; false when it could not go. */
  async #sendDirect (msg: Incoming, text: string): Promise<boolean> {
    const room = this.#o.port.directRoom(msg.user.id)
    if (room === undefined) return false
    try {
      await this.#o.port.send(room, { text, format: 'spans' })
      return true
    } catch (e) {
      this.#o.log('chat_direct_failed', { room, user: msg.user.id, error: e instanceof Error ? e.message : String(e) })
      return false
    }
  }

  /** Admins of the Storm's home room (in a private chat too); nobody is one before it is bound. */
  #isAdmin (userId: string): Promise<boolean> {
    const home = this.home
    return home === undefined ? Promise.resolve(false) : this.#admins.isAdmin(home, userId)
  }

  #isMember (user: ChatUser): boolean {
    const status = this.#o.manager.memberOf(this.#actor(user, false))?.status
    return status === 'active' || status === 'leaving'
  }

  #actor (user: ChatUser, isAdmin: boolean): ChatActor {
    return chatActorOf(this.#o.platform, user, isAdmin)
  }

  /** Remembers a `/lang` choice (members have it in the Storm's state as well). */
  #setUserLang (userId: string, lang: string): void {
    this.#state.users[userId] = { ...this.#state.users[userId], lang }
    void this.#saver.request()
  }
}

