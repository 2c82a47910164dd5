/**
 * The manager as a service: configuration, runtime, chat front ends, and a clean stop on SIGINT /
 * SIGTERM.
 */
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { Locales } from '../shared/i18n.ts'
import { loadManagerConfig } from './manager_config.ts'
import { startManagerRuntime } from './manager_runtime.ts'
import { ConsoleChat } from '../bot/console/console_chat.ts'

/** The configuration file to use, or null for the demo. */
export function findManagerConfig (env: NodeJS.ProcessEnv): string | null {
  if (env.STORM_CONFIG !== undefined && env.STORM_CONFIG !== '') return resolve(env.STORM_CONFIG)
  const local = resolve('config/storm.json')
  return existsSync(local) ? local : null
}

export async function runManager (configPath: string, env: NodeJS.ProcessEnv): Promise<void> {
  const config = await loadManagerConfig(configPath)
  const locales = Locales.load()
  const log = (event: string, data: Record<string, unknown>): void => {
    if (env.STORM_DEBUG !== undefined) process.stderr.write(JSON.stringify({ at: new Date().toISOString(), event, ...data }) + '\n')
  }
  const runtime = await startManagerRuntime({
    dataDir: resolve(config.dataDir),
    rules: config.rules,
    locales,
    log,
    ...(config.network === undefined ? {} : { network: { bootstrap: config.network.bootstrap } })
  })
  process.stderr.write(`Storm manager for ${runtime.manager.state.group} is running. Manager key: ${runtime.managerKey}\n`)
  const stop = async (): Promise<void> => {
    await runtime.close()
    process.exit(0)
  }
  process.once('SIGINT', () => { void stop() })
  process.once('SIGTERM', () => { void stop() })
  if (config.console) {
    const chat = new ConsoleChat({
      manager: runtime.manager,
      locales,
      actor: { kind: 'chat', platform: 'console', userId: 'admin', name: '@admin', isAdmin: true },
      lang: locales.negotiate(config.lang),
      input: process.stdin,
      output: process.stdout,
      interactive: process.stdin.isTTY === true,
      pairingInvite: runtime.invite
    })
    await chat.run()
    await stop()
  }
}
