/**
 * `stormd`: the agent daemon, and `stormd pair INVITE` / `stormd check-config` beside it.
 *
 *   stormd [--config ~/.stormd/stormd.conf]
 *   stormd pair 'storm:pair?manager=…&code=K7PX-Q2MD&group=Supercell'
 *   stormd check-config
 */
import { parseArgs } from 'node:util'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { existsSync } from 'node:fs'
import { loadAgentConfig, parseAgentConfig, type AgentConfig } from '../agent/config.ts'
import { ControlServer } from '../agent/control/control_server.ts'
import { controlRequest } from '../agent/control/control_client.ts'
import { connectLnd } from '../agent/lnd/index.ts'
import { startAgentRuntime } from './agent_runtime.ts'
import { agentControlHandler } from './agent_control.ts'
import { parsePairingInvite } from './pairing_invite.ts'
import { Locales, type Translator } from '../shared/i18n.ts'
import { StormError } from '../shared/errors.ts'
import { createLogger } from '../shared/log.ts'

export const DEFAULT_CONF = join(homedir(), '.stormd', 'stormd.conf')

/** The configuration: the file given, else ~/.stormd/stormd.conf, else the defaults. */
export async function agentConfigFrom (path: string | undefined): Promise<AgentConfig> {
  if (path !== undefined) return loadAgentConfig(path)
  return existsSync(DEFAULT_CONF) ? loadAgentConfig(DEFAULT_CONF) : parseAgentConfig({})
}

export async function stormdMain (argv: string[], out: NodeJS.WritableStream, t: Translator): Promise<number> {
  let args
  try {
    args = parseArgs({ args: argv, allowPositionals: true, options: { config: { type: 'string', short: 'c' }, help: { type: 'boolean', short: 'h' } } })
  } catch (e) {
    throw new StormError('CLI_BAD_ARGUMENT', { reason: (e as Error).message })
  }
  const [verb, ...rest] = args.positionals
  if (args.values.help === true || verb === 'help') {
    out.write(t.t('stormd-usage') + '\n')
    return 0
  }
  const config = await agentConfigFrom(args.values.config)
  switch (verb) {
    case undefined:
      return runDaemon(config, out, t)
    case 'check-config':
      out.write(t.t('stormd-config-ok') + '\n' + JSON.stringify(shownConfig(config), null, 2) + '\n')
      return 0
    case 'pair': {
      if (rest.length !== 1) throw new StormError('CLI_BAD_ARGUMENT', { reason: 'stormd pair INVITE' })
      // a mistyped invitation is the owner's to fix: say so, whether or not stormd is running
      parsePairingInvite(rest[0]!)
      const r = await controlRequest(config.controlSocket!, { op: 'pair', invite: rest[0]! })
      if (!r.ok) throw new StormError(r.error?.code ?? 'INTERNAL', r.error?.params ?? {})
      const data = r.data as { group: string, member: string }
      out.write(t.t('stormd-paired', { group: data.group, member: data.member }) + '\n')
      return 0
    }
    default:
      throw new StormError('CLI_BAD_ARGUMENT', { reason: `unknown verb ${verb}` })
  }
}

async function runDaemon (config: AgentConfig, out: NodeJS.WritableStream, t: Translator): Promise<number> {
  if (config.node === 'simnet') throw new StormError('SIMNET_ONLY_IN_DEMO')
  const log = createLogger(config.logLevel, config.logFile)
  const lightning = connectLnd(config)
  const runtime = await startAgentRuntime({ config, lightning, log })
  const control = new ControlServer(config.controlSocket!, agentControlHandler(runtime))
  await control.listen()
  runtime.agent.on('notice', n => log('info', 'notice_' + n.type, { directive: n.directive.directive.id, kind: n.directive.directive.kind }))
  if (runtime.agent.pairing !== undefined) {
    await runtime.agent.start()
    out.write(t.t('stormd-running', { group: runtime.agent.pairing.group, socket: config.controlSocket! }) + '\n')
  } else {
    out.write(t.t('stormd-waiting-pairing', { socket: config.controlSocket! }) + '\n')
  }
  await new Promise<void>(resolve => {
    process.once('SIGINT', resolve)
    process.once('SIGTERM', resolve)
  })
  await control.close()
  await runtime.close()
  return 0
}

/** The configuration as check-config shows it: an lndconnect URI carries the macaroon itself, which must not end up pasted in a chat. */
function shownConfig (config: AgentConfig): AgentConfig {
  return config.lndconnect === undefined ? { ...config } : { ...config, lndconnect: config.lndconnect.replace(/([?&]macaroon=)[^&]*/i, '$1(hidden)') }
}

/** The `bin/stormd` entry. */
export async function runStormdCli (): Promise<void> {
  const t = Locales.load().translator(process.env.LANG)
  try {
    process.exitCode = await stormdMain(process.argv.slice(2), process.stdout, t)
  } catch (e) {
    if (!(e instanceof StormError)) throw e
    process.stderr.write(t.error(e) + '\n')
    process.exitCode = e.code === 'CLI_BAD_ARGUMENT' ? 2 : 1
  }
}
