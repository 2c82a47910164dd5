/**
 * The manager as a service: configuration, runtime, chat front ends (Telegram, console), and a
 * clean stop on SIGINT / SIGTERM. With `STORM_DEMO=1` (or `telegram.demo`) the Telegram bot runs
 * on the demo's simulated Storm, so anyone can try it in a real group without LND.
 */
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { Locales } from '../shared/i18n.ts'
import { loadManagerConfig, matrixSettings, parseManagerConfig, telegramSettings } from './manager_config.ts'
import { startManagerRuntime, type ManagerRuntime } from './manager_runtime.ts'
import { ConsoleChat } from '../bot/console/console_chat.ts'
import type { TelegramBot } from '../bot/telegram/index.ts'
import type { MatrixBot } from '../bot/matrix/index.ts'
import { startDemoStorm, type DemoStorm } from '../demo/demo_storm.ts'
import { createLogger, errorText, eventLog, levelFromEnv } from '../shared/log.ts'
import { statsPicture } from './stats_picture.ts'

/** What `npm start` runs: the demo, or the manager from a configuration file or the defaults. */
export type StartMode = { mode: 'demo' } | { mode: 'manager', configPath: string | null }

/**
 * The demo without configuration; the manager with `STORM_CONFIG` or `config/storm.json`, or on
 * the defaults and the environment when only `TELEGRAM_BOT_TOKEN` (or `MATRIX_ACCESS_TOKEN`) is given.
 */
export function chooseStartMode (env: NodeJS.ProcessEnv): StartMode {
  if (env.STORM_CONFIG !== undefined && env.STORM_CONFIG !== '') return { mode: 'manager', configPath: resolve(env.STORM_CONFIG) }
  const local = resolve('config/storm.json')
  if (existsSync(local)) return { mode: 'manager', configPath: local }
  const given = (name: string): boolean => env[name] !== undefined && env[name] !== ''
  return given('TELEGRAM_BOT_TOKEN') || given('MATRIX_ACCESS_TOKEN') ? { mode: 'manager', configPath: null } : { mode: 'demo' }
}

/** Runs the manager; `configPath` null means the defaults (with the environment). */
export async function runManager (configPath: string | null, env: NodeJS.ProcessEnv): Promise<void> {
  const config = configPath === null ? parseManagerConfig({}) : await loadManagerConfig(configPath)
  const telegram = telegramSettings(config, env)
  const matrix = matrixSettings(config, env)
  const locales = Locales.load()
  // warnings and errors always, info by default (STORM_LOG_LEVEL, STORM_DEBUG): nothing fails silently
  const log = eventLog(createLogger(levelFromEnv(env)))
  const dataDir = resolve(config.dataDir)
  let demo: DemoStorm | null = null
  let runtime: ManagerRuntime
  if (telegram?.demo === true || matrix?.demo === true) {
    demo = await startDemoStorm()
    runtime = demo.manager
  } else {
    runtime = await startManagerRuntime({
      dataDir,
      rules: config.rules,
      locales,
      log,
      backupsKept: config.backupsKept,
      ...(config.network === undefined ? {} : { network: { bootstrap: config.network.bootstrap } })
    })
  }
  process.stderr.write(`Storm manager for ${runtime.manager.state.group} is running${demo === null ? '' : ' (demo, simulated network)'}. Manager key: ${runtime.managerKey}\n`)
  // the dashboard and each chat front end are loaded only when configured: Matrix's SDK alone is
  // ~18 MiB of the process's memory, Telegram's ~3, the dashboard's ~7 (`npm run bench -- connections`)
  const dashboard = config.dashboard.enabled ? await (await import('./start_dashboard.ts')).startDashboard(runtime, config.dashboard, locales, { log }) : null
  if (dashboard !== null) process.stderr.write(`Dashboard: ${dashboard.url}\n`)
  let bot: TelegramBot | null = null
  let matrixBot: MatrixBot | null = null
  const stop = async (): Promise<void> => {
    await dashboard?.close()
    await bot?.stop()
    await matrixBot?.stop()
    if (demo !== null) await demo.close()
    else await runtime.close()
    process.exit(0)
  }
  const stopOn = (): void => {
    stop().catch((e: unknown) => {
      log('stop_failed', { error: errorText(e) })
      process.exit(1)
    })
  }
  process.once('SIGINT', stopOn)
  process.once('SIGTERM', stopOn)
  if (telegram !== null) {
    const { TelegramBot } = await import('../bot/telegram/index.ts')
    const { demoPairing } = await import('../demo/telegram_demo.ts')
    bot = await TelegramBot.start({
      manager: runtime.manager,
      locales,
      pairingInvite: runtime.invite,
      statsPicture: t => statsPicture(runtime, t, config.dashboard.flowPeriodMs),
      token: telegram.token,
      lang: telegram.lang,
      // the demo's Storm is new each run, but the group it was bound to can stay bound
      dataDir: demo === null ? dataDir : join(dataDir, 'telegram-demo'),
      batchMs: telegram.batchMs,
      log,
      ...(telegram.apiRoot === undefined ? {} : { apiRoot: telegram.apiRoot }),
      ...(telegram.chatId === undefined ? {} : { chatId: telegram.chatId }),
      ...(telegram.webhook === undefined ? {} : { webhook: telegram.webhook }),
      ...(demo === null ? {} : { afterCommand: demoPairing(demo, locales, (chat, text) => bot?.say(chat, text) ?? Promise.resolve()) })
    })
    process.stderr.write(`Telegram: @${bot.username}, ${telegram.webhook === undefined ? 'long polling' : 'webhook ' + telegram.webhook.url}. ` +
      (bot.chatId === undefined ? 'Add it to your group and send /init there.' : `Serving chat ${bot.chatId}.`) + '\n')
  }
  if (matrix !== null) {
    const o = matrix
    const { MatrixBot } = await import('../bot/matrix/index.ts')
    const { matrixDemoPairing } = await import('../demo/matrix_demo.ts')
    const pairAfter = demo === null ? undefined : matrixDemoPairing(demo, locales, (room, text) => matrixBot?.say(room, text) ?? Promise.resolve())
    matrixBot = await MatrixBot.start({
      manager: runtime.manager,
      locales,
      pairingInvite: runtime.invite,
      statsPicture: t => statsPicture(runtime, t, config.dashboard.flowPeriodMs),
      ...o,
      // the demo's Storm is new each run, but the room it was bound to can stay bound
      dataDir: demo === null ? dataDir : join(dataDir, 'matrix-demo'),
      log,
      ...(pairAfter === undefined ? {} : { afterCommand: pairAfter })
    })
    process.stderr.write(`Matrix: ${matrix.userId} on ${matrix.homeserverUrl}. ` +
      (matrixBot.roomId === undefined ? 'Invite it to your room and send !init there.' : `Serving room ${matrixBot.roomId}.`) + '\n')
  }
  if (config.console) {
    const chat = new ConsoleChat({
      manager: runtime.manager,
      locales,
      actor: { kind: 'chat', platform: 'console', userId: 'admin', name: '@admin', handle: 'admin', isAdmin: true },
      lang: locales.negotiate(config.lang),
      input: process.stdin,
      output: process.stdout,
      interactive: process.stdin.isTTY === true,
      pairingInvite: runtime.invite,
      statsPicture: t => statsPicture(runtime, t, config.dashboard.flowPeriodMs),
      imageDir: join(dataDir, 'tmp')
    })
    await chat.run()
    await stop()
  }
}
