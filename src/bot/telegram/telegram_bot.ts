/**
 * The Telegram front end on grammY: the Storm's group and its members' private chats. Long polling
 * (grammY's runner, one chat at a time in order) by default, a webhook as an option; Telegram's
 * limits kept with the throttler and auto-retry plugins; announcements batched and edited in place.
 */
import { createServer, type Server } from 'node:http'
import { Bot, GrammyError, HttpError, InputFile, webhookCallback, type Transformer } from 'grammy'
import { autoRetry } from '@grammyjs/auto-retry'
import { apiThrottler, type APIThrottlerOptions } from '@grammyjs/transformer-throttler'
import { run, sequentialize, type RunnerHandle } from '@grammyjs/runner'
import type { StormManager } from '../../manager/storm_manager.ts'
import type { Locales } from '../../shared/i18n.ts'
import { SYSTEM_CLOCK, type Clock } from '../../shared/clock.ts'
import { StormError } from '../../shared/errors.ts'
import { ChatCore, chatStateStore, type ChatPort, type ReplyBudgetRules } from '../core/index.ts'
import type { AfterCommand } from './bot_env.ts'
import type { CommandDeps } from '../run_command.ts'
import { publishMenus } from './commands_menu.ts'
import { handleCallback } from './handle_callback.ts'
import { handleMessage } from './handle_message.ts'
import { keyboard, sendMessage } from './send_reply.ts'

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
  /** `/stats`'s picture (from the runtime). */
  statsPicture?: CommandDeps['statsPicture']
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
  /** How many commands per sender are answered before floods are ignored (defaults: `DEFAULT_REPLY_BUDGETS`). */
  replyBudgets?: ReplyBudgetRules
  clock?: Clock
  afterCommand?: (e: AfterCommand) => Promise<void>
  log?: (event: string, data: Record<string, unknown>) => void
}

/** Methods that put messages in chats: the ones Telegram rate-limits per chat. */
const SENDING = new Set(['sendMessage', 'sendPhoto', 'editMessageText', 'editMessageReplyMarkup', 'editMessageCaption'])
const UPDATES = ['message', 'callback_query'] as const

export class TelegramBot {
  readonly bot: Bot
  readonly #core: ChatCore
  readonly #log: (event: string, data: Record<string, unknown>) => void
  #runner: RunnerHandle | null = null
  #server: Server | null = null

  private constructor (bot: Bot, core: ChatCore, log: (event: string, data: Record<string, unknown>) => void) {
    this.bot = bot
    this.#core = core
    this.#log = log
  }

  /**
   * Connects to Telegram, publishes the command menus and starts taking updates.
   * Errors: `TELEGRAM_TOKEN_REFUSED`, `TELEGRAM_UNREACHABLE` {apiRoot}.
   */
  static async start (o: TelegramBotOptions): Promise<TelegramBot> {
    const log = o.log ?? (() => {})
    const clock = o.clock ?? SYSTEM_CLOCK
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
    const username = bot.botInfo.username
    const core = await ChatCore.start({
      manager: o.manager,
      locales: o.locales,
      pairingInvite: o.pairingInvite,
      statsPicture: o.statsPicture,
      port: telegramPort(bot),
      platform: 'telegram',
      prefix: '/',
      botUsername: username,
      store: chatStateStore(o.dataDir, 'telegram.json'),
      ...(o.chatId === undefined ? {} : { configuredRoom: String(o.chatId) }),
      lang: o.locales.negotiate(o.lang),
      clock,
      batchMs: o.batchMs ?? 700,
      ...(o.adminTtlMs === undefined ? {} : { adminTtlMs: o.adminTtlMs }),
      ...(o.replyBudgets === undefined ? {} : { budgets: o.replyBudgets }),
      ...(o.afterCommand === undefined
        ? {}
        : { afterCommand: (e) => o.afterCommand!({ name: e.name, reply: e.reply, chatId: Number(e.room), actor: e.actor, lang: e.lang }) }),
      log
    })
    const self = new TelegramBot(bot, core, log)
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
    return this.bot.botInfo.username
  }

  /** The group the Storm is run from, once bound. */
  get chatId (): number | undefined {
    const home = this.#core.home
    return home === undefined ? undefined : Number(home)
  }

  /** Sends a plain message (the demo's narration). */
  say (chatId: number, text: string): Promise<void> {
    return this.#core.say(String(chatId), text)
  }

  /** Sends what is waiting to be announced now (tests, and a clean stop). */
  flush (): Promise<void> {
    return this.#core.flush()
  }

  /** Stops taking updates, sends what is waiting and saves the state. */
  async stop (): Promise<void> {
    if (this.#runner?.isRunning() === true) await this.#runner.stop()
    if (this.#server !== null) await new Promise<void>(resolve => this.#server!.close(() => resolve()))
    await this.#core.stop()
  }

  #handlers (): void {
    const core = this.#core
    // one chat's updates in order; different chats (and users) in parallel
    this.bot.use(sequentialize(ctx => [ctx.chat?.id, ctx.from?.id].filter(x => x !== undefined).map(String)))
    this.bot.on('message:text', ctx => handleMessage(core, ctx.message))
    this.bot.on('callback_query:data', ctx => handleCallback(core, this.bot.api, this.#log, ctx.callbackQuery))
    this.bot.on('message:migrate_to_chat_id', ctx => {
      // the group became a supergroup: it has a new id, and it is still the Storm's home
      core.rehome(String(ctx.chat.id), String(ctx.message.migrate_to_chat_id))
    })
    this.bot.catch(err => {
      this.#log('telegram_update_failed', { update: err.ctx.update.update_id, error: err.error instanceof Error ? err.error.message : String(err.error) })
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

/** The chat port on the Bot API: rooms are chat ids, a private chat's id is its user's. */
function telegramPort (bot: Bot): ChatPort {
  return {
    async send (room, m) {
      return String(await sendMessage(bot.api, Number(room), m))
    },
    async edit (room, messageId, c) {
      try {
        // without reply_markup Telegram removes the keyboard, which is what a decided directive needs
        await bot.api.editMessageText(Number(room), Number(messageId), c.text, { link_preview_options: { is_disabled: true }, reply_markup: { inline_keyboard: keyboard(c.buttons) } })
      } catch (e) {
        if (e instanceof GrammyError && /message is not modified/i.test(e.description)) return
        if (e instanceof GrammyError && /message to edit not found/i.test(e.description)) throw new StormError('MESSAGE_GONE', {}, { cause: e })
        throw e
      }
    },
    async react (room, messageId, emoji) {
      await bot.api.setMessageReaction(Number(room), Number(messageId), [{ type: 'emoji', emoji: emoji as never }])
    },
    async image (room, { png, caption, fileName }, replyTo) {
      await bot.api.sendPhoto(Number(room), new InputFile(png, fileName), {
        caption,
        ...(replyTo === undefined ? {} : { reply_parameters: { message_id: Number(replyTo), allow_sending_without_reply: true } })
      })
    },
    directRoom: userId => userId,
    directLink: payload => `https://t.me/${bot.botInfo.username}?start=${payload}`,
    async isAdmin (room, userId) {
      const status = (await bot.api.getChatMember(Number(room), Number(userId))).status
      return status === 'creator' || status === 'administrator'
    }
  }
}

/** Throttles only the calls that put messages in chats (getChatMember is not a message). */
function onlySending (throttled: Transformer): Transformer {
  return (prev, method, payload, signal) => SENDING.has(method) ? throttled(prev, method, payload, signal) : prev(method, payload, signal)
}
