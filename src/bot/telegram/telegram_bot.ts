/**
 * The Telegram front end on grammY: the Storm's group and its members' private chats. Long polling
 * (grammY's runner, one chat at a time in order) by default, a webhook as an option; Telegram's
 * limits kept with the throttler and auto-retry plugins; announcements batched and edited in place.
 */
import { createServer, type Server } from 'node:http'
import { Bot, GrammyError, HttpError, webhookCallback, type Transformer } from 'grammy'
import { autoRetry } from '@grammyjs/auto-retry'
import { apiThrottler, type APIThrottlerOptions } from '@grammyjs/transformer-throttler'
import { run, sequentialize, type RunnerHandle } from '@grammyjs/runner'
import type { StormManager } from '../../manager/storm_manager.ts'
import type { StormEvent } from '../../manager/context.ts'
import type { Locales } from '../../shared/i18n.ts'
import { SYSTEM_CLOCK, type Clock } from '../../shared/clock.ts'
import { StormError } from '../../shared/errors.ts'
import { announcementFor } from '../announcements.ts'
import { AdminCache, ADMIN_TTL_MS } from './admins.ts'
import { Announcer, type AnnouncerApi } from './announcer.ts'
import { type AfterCommand, type BotEnv, boundChat } from './bot_env.ts'
import { publishMenus } from './commands_menu.ts'
import { handleCallback } from './handle_callback.ts'
import { handleMessage } from './handle_message.ts'
import { asShown, keyboard } from './send_reply.ts'
import { StateSaver, telegramStore } from './telegram_state.ts'

export interface TelegramWebhook {
  /** The public HTTPS address Telegram posts updates to. */
  url: string
  /** Where the bot's HTTP server listens (behind your TLS proxy). */
  host: string
  port: number
  /** Telegram sends it in a header with every update; others are refused. */
  secretToken?: string
}

export interface TelegramBotOptions {
  manager: StormManager
  locales: Locales
  pairingInvite: (code: string) => string
  token: string
  /** A self-hosted Bot API server (or a test emulator) instead of api.telegram.org. */
  apiRoot?: string
  /** The group to serve; without it an admin binds one with /init. */
  chatId?: number
  /** Language of announcements in the group. */
  lang: string
  /** Where `telegram.json` is kept. */
  dataDir: string
  webhook?: TelegramWebhook
  /** The throttler's limits (Telegram's published limits by default). */
  throttle?: APIThrottlerOptions
  /** The batching window for announcements. */
  batchMs?: number
  adminTtlMs?: number
  clock?: Clock
  afterCommand?: (e: AfterCommand) => Promise<void>
  log?: (event: string, data: Record<string, unknown>) => void
}

/** Methods that put messages in chats: the ones Telegram rate-limits per chat. */
const SENDING = new Set(['sendMessage', 'sendPhoto', 'editMessageText', 'editMessageReplyMarkup', 'editMessageCaption'])
const UPDATES = ['message', 'callback_query'] as const

export class TelegramBot {
  readonly bot: Bot
  readonly #env: BotEnv
  readonly #saver: StateSaver
  readonly #stopEvents: () => void
  #runner: RunnerHandle | null = null
  #server: Server | null = null

  private constructor (bot: Bot, env: BotEnv, saver: StateSaver, stopEvents: () => void) {
    this.bot = bot
    this.#env = env
    this.#saver = saver
    this.#stopEvents = stopEvents
  }

  /**
   * Connects to Telegram, publishes the command menus and starts taking updates.
   * Errors: `TELEGRAM_TOKEN_REFUSED`, `TELEGRAM_UNREACHABLE` {apiRoot}.
   */
  static async start (o: TelegramBotOptions): Promise<TelegramBot> {
    const log = o.log ?? (() => {})
    const clock = o.clock ?? SYSTEM_CLOCK
    const store = telegramStore(o.dataDir)
    const state = await store.load()
    const bot = new Bot(o.token, o.apiRoot === undefined ? {} : { client: { apiRoot: o.apiRoot } })
    // the first call fails fast with a clear error (a wrong token or address is not worth retrying)
    try {
      // getMe itself, not bot.init(), which retries network errors forever
      bot.botInfo = await bot.api.getMe()
    } catch (e) {
      if (e instanceof GrammyError && (e.error_code === 401 || e.error_code === 404)) throw new StormError('TELEGRAM_TOKEN_REFUSED', {}, { cause: e })
      if (e instanceof HttpError) throw new StormError('TELEGRAM_UNREACHABLE', { apiRoot: o.apiRoot ?? 'https://api.telegram.org' }, { cause: e })
      throw e
    }
    // auto-retry inside the throttler: a 429 holds that chat's queue for retry_after, then retries
    bot.api.config.use(autoRetry({ maxRetryAttempts: 5, maxDelaySeconds: 120 }))
    bot.api.config.use(onlySending(apiThrottler(o.throttle)))
    const saver = new StateSaver(() => store.save(state), e => log('telegram_state_save_failed', { error: String(e) }))
    const announcer = new Announcer({
      api: announcerApi(bot),
      clock,
      batchMs: o.batchMs ?? 700,
      restored: state.messages,
      onChange: () => {
        state.messages = announcer.snapshot()
        void saver.request()
      },
      log
    })
    const env: BotEnv = {
      manager: o.manager,
      locales: o.locales,
      pairingInvite: o.pairingInvite,
      api: bot.api,
      username: bot.botInfo.username,
      state,
      save: () => { void saver.request() },
      admins: new AdminCache(async (chat, user) => (await bot.api.getChatMember(chat, user)).status, clock, o.adminTtlMs ?? ADMIN_TTL_MS),
      announcer,
      configuredChat: o.chatId,
      groupLang: o.locales.negotiate(o.lang),
      seenLangs: new Map(),
      log,
      ...(o.afterCommand === undefined ? {} : { afterCommand: o.afterCommand })
    }
    const onEvent = (e: StormEvent): void => announce(env, e)
    o.manager.on('event', onEvent)
    const self = new TelegramBot(bot, env, saver, () => o.manager.off('event', onEvent))
    self.#handlers()
    await publishMenus(bot.api, o.locales).catch((e: unknown) => log('telegram_menus_failed', { error: String(e) }))
    if (o.webhook === undefined) {
      await bot.api.deleteWebhook()
      self.#runner = run(bot, { runner: { fetch: { allowed_updates: UPDATES }, silent: true } })
    } else {
      await self.#listen(o.webhook)
    }
    log('telegram_started', { bot: bot.botInfo.username, mode: o.webhook === undefined ? 'polling' : 'webhook' })
    return self
  }

  /** The bot's username (without `@`). */
  get username (): string {
    return this.#env.username
  }

  /** The group the Storm is run from, once bound. */
  get chatId (): number | undefined {
    return boundChat(this.#env)
  }

  /** Sends a plain message (the demo's narration). */
  async say (chatId: number, text: string): Promise<void> {
    const shown = asShown(text)
    await this.bot.api.sendMessage(chatId, shown.text, { link_preview_options: { is_disabled: true }, ...(shown.entities.length > 0 ? { entities: shown.entities } : {}) })
  }

  /** Sends what is waiting to be announced now (tests, and a clean stop). */
  flush (): Promise<void> {
    return this.#env.announcer.flush()
  }

  /** Stops taking updates, sends what is waiting and saves the state. */
  async stop (): Promise<void> {
    this.#stopEvents()
    if (this.#runner?.isRunning() === true) await this.#runner.stop()
    if (this.#server !== null) await new Promise<void>(resolve => this.#server!.close(() => resolve()))
    await this.#env.announcer.stop()
    this.#env.state.messages = this.#env.announcer.snapshot()
    await this.#saver.request()
  }

  #handlers (): void {
    const env = this.#env
    // one chat's updates in order; different chats (and users) in parallel
    this.bot.use(sequentialize(ctx => [ctx.chat?.id, ctx.from?.id].filter(x => x !== undefined).map(String)))
    this.bot.on('message:text', ctx => handleMessage(env, ctx.message))
    this.bot.on('callback_query:data', ctx => handleCallback(env, ctx.callbackQuery))
    this.bot.on('message:migrate_to_chat_id', ctx => {
      // the group became a supergroup: it has a new id, and it is still the Storm's home
      if (env.state.chatId === ctx.chat.id) {
        env.state.chatId = ctx.message.migrate_to_chat_id
        env.save()
      }
    })
    this.bot.catch(err => {
      env.log('telegram_update_failed', { update: err.ctx.update.update_id, error: err.error instanceof Error ? err.error.message : String(err.error) })
    })
  }

  async #listen (w: TelegramWebhook): Promise<void> {
    const handle = webhookCallback(this.bot, 'http', w.secretToken === undefined ? {} : { secretToken: w.secretToken })
    const server = createServer((req, res) => {
      if (req.method !== 'POST') { res.writeHead(405).end(); return }
      void handle(req, res).catch(() => { if (!res.headersSent) res.writeHead(500).end() })
    })
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(w.port, w.host, resolve))
    this.#server = server
    await this.bot.api.setWebhook(w.url, { allowed_updates: UPDATES, ...(w.secretToken === undefined ? {} : { secret_token: w.secretToken }) })
  }
}

/** Announces a Storm event in the group (in its language) and, for pairing, to the member too. */
function announce (env: BotEnv, e: StormEvent): void {
  const a = announcementFor(e, env.manager)
  if (a === null) return
  const chat = boundChat(env)
  if (chat !== undefined) env.announcer.post(chat, a.key, a.render(env.locales.translator(env.groupLang)))
  if (e.type === 'member_paired' && e.member.chat.platform === 'telegram') {
    const m = e.member
    // they paired from the private chat: say it there too
    const lang = env.locales.negotiate(m.lang ?? env.state.users[m.chat.userId]?.lang ?? env.seenLangs.get(m.chat.userId))
    env.announcer.post(Number(m.chat.userId), a.key, a.render(env.locales.translator(lang)))
  }
}

function announcerApi (bot: Bot): AnnouncerApi {
  return {
    async send (chatId, c) {
      const rows = keyboard(c.buttons)
      const m = await bot.api.sendMessage(chatId, c.text, { link_preview_options: { is_disabled: true }, ...(rows.length > 0 ? { reply_markup: { inline_keyboard: rows } } : {}) })
      return m.message_id
    },
    async edit (chatId, messageId, c) {
      try {
        // without reply_markup Telegram removes the keyboard, which is what a decided directive needs
        await bot.api.editMessageText(chatId, messageId, c.text, { link_preview_options: { is_disabled: true }, reply_markup: { inline_keyboard: keyboard(c.buttons) } })
      } catch (e) {
        if (e instanceof GrammyError && /message is not modified/i.test(e.description)) return
        if (e instanceof GrammyError && /message to edit not found/i.test(e.description)) throw new StormError('MESSAGE_GONE', {}, { cause: e })
        throw e
      }
    }
  }
}

/** Throttles only the calls that put messages in chats (getChatMember is not a message). */
function onlySending (throttled: Transformer): Transformer {
  return (prev, method, payload, signal) => SENDING.has(method) ? throttled(prev, method, payload, signal) : prev(method, payload, signal)
}
