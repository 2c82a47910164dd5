/**
 * A whole Storm on Telegram for a test: the demo's simulated Storm (a real manager, simulated
 * members each with a real stormd over a local HyperDHT), the emulated Bot API, and the bot.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startDemoStorm, type DemoStorm } from '../../src/demo/demo_storm.ts'
import { TelegramBot, type TelegramBotOptions } from '../../src/bot/telegram/index.ts'
import { demoPairing } from '../../src/demo/telegram_demo.ts'
import { statsPicture } from '../../src/app/stats_picture.ts'
import { TelegramHarness, TOKEN, type TgUser } from './harness.ts'

/** The emulator has no rate limits; Telegram's would make the suite take minutes. */
export const FAST_THROTTLE = {
  global: { reservoir: 1000, reservoirRefreshAmount: 1000, reservoirRefreshInterval: 1000 },
  group: { maxConcurrent: 1, minTime: 0 },
  out: { maxConcurrent: 1, minTime: 0 }
}

/** Tests play many users typing fast; the flood test sets the real budgets itself. */
export const TEST_BUDGETS = {
  member: { burst: 1000, refillMs: 1 },
  stranger: { burst: 1000, refillMs: 1 },
  strangersPerRoom: { burst: 1000, refillMs: 1 }
}

export const GROUP_ID = -1001234567890

export const ADA: TgUser = { id: 100, first_name: 'Ada', username: 'ada', language_code: 'en' }
export const YARA: TgUser = { id: 101, first_name: 'Yara', username: 'yara', language_code: 'en-GB' }
export const BEA: TgUser = { id: 102, first_name: 'Bea', language_code: 'es-AR' }

export interface TelegramStorm {
  h: TelegramHarness
  demo: DemoStorm
  /** The running bot (a test may restart it). */
  bot: TelegramBot
  dataDir: string
  options: TelegramBotOptions
  stop (): Promise<void>
}

/**
 * `demo: true` runs the bot as `STORM_DEMO=1 npm start` does: after `/pair` each user's own
 * simulated node pairs with their code.
 */
export async function startTelegramStorm (extra: Partial<TelegramBotOptions> = {}, o: { demo?: boolean } = {}): Promise<TelegramStorm> {
  const h = await TelegramHarness.start()
  const demo = await startDemoStorm({ warmup: false })
  const dataDir = await mkdtemp(join(tmpdir(), 'storm-telegram-'))
  h.proxy.setMember(GROUP_ID, ADA.id, 'creator')
  h.proxy.setMember(GROUP_ID, YARA.id, 'member')
  h.proxy.setMember(GROUP_ID, BEA.id, 'member')
  const options: TelegramBotOptions = {
    manager: demo.manager.manager,
    locales: demo.locales,
    pairingInvite: demo.manager.invite,
    // as the manager wires it (run_manager.ts)
    statsPicture: t => statsPicture(demo.manager, t),
    token: TOKEN,
    apiRoot: h.apiRoot,
    lang: 'en',
    dataDir,
    throttle: FAST_THROTTLE,
    replyBudgets: TEST_BUDGETS,
    batchMs: 150,
    ...(o.demo === true ? { afterCommand: demoPairing(demo, demo.locales, (chat, text) => storm.bot.say(chat, text)) } : {}),
    ...extra
  }
  const bot = await TelegramBot.start(options)
  const storm: TelegramStorm = {
    h,
    demo,
    bot,
    dataDir,
    options,
    async stop () {
      await storm.bot.stop()
      await demo.close()
      await h.stop()
      await rm(dataDir, { recursive: true, force: true })
    }
  }
  return storm
}
