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
import { readFile } from 'node:fs/promises'
import { loadAgentConfig, parseAgentConfig, type AgentConfig } from '../agent/config.ts'
import { ControlServer } from '../agent/control/control_server.ts'
import { controlRequest } from '../agent/control/control_client.ts'
import { connectLnd } from '../agent/lnd/index.ts'
import { startAgentRuntime } from './agent_runtime.ts'
import { watchConfigVote } from './config_vote_watch.ts'
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

/** Command-line mistakes: exit status 2, as for any program's bad usage. */
const USAGE_ERRORS = new Set(['CLI_BAD_ARGUMENT', 'STORMD_UNKNOWN_VERB', 'STORMD_PAIR_NEEDS_INVITE'])

/**
 * Runs stormd's command line, writing what it did to `out` and a refusal to `err` (exit 1, or 2
 * for a bad command line). Its sentences follow `lang=` in stormd.conf, else the system's LANG.
 */
export async function stormdMain (argv: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream, locales: Locales, env: NodeJS.ProcessEnv): Promise<number> {
  let t = locales.translator(env.LANG)
  try {
    return await runStormd(argv, out, (lang) => (t = locales.translator(lang ?? env.LANG)))
  } catch (e) {
    if (!(e instanceof StormError)) throw e
    err.write(t.error(e) + '\n')
    return USAGE_ERRORS.has(e.code) ? 2 : 1
  }
}

/**
 * stormd's command line; refusals are thrown as `StormError`s. `speak(lang)` gives the translator
 * for the owner's `lang=` (undefined: not set) and is called again as soon as the language is
 * known better, so a refusal is said in the last language chosen.
 * Errors: `CLI_BAD_ARGUMENT` {reason}, `STORMD_UNKNOWN_VERB` {verb}, `STORMD_PAIR_NEEDS_INVITE`,
 * the configuration's errors, and stormd's own refusals.
 */
export async function runStormd (argv: string[], out: NodeJS.WritableStream, speak: (lang: string | undefined) => Translator): Promise<number> {
  let t = speak(undefined)
  let args
  try {
    args = parseArgs({ args: argv, allowPositionals: true, options: { config: { type: 'string', short: 'c' }, help: { type: 'boolean', short: 'h' } } })
  } catch (e) {
    throw new StormError('CLI_BAD_ARGUMENT', { reason: (e as Error).message })
  }
  const [verb, ...rest] = args.positionals
  // a stormd.conf that does not validate still says which language its owner reads
  t = speak(await confLangHint(args.values.config ?? (existsSync(DEFAULT_CONF) ? DEFAULT_CONF : undefined)))
  if (args.values.help === true || verb === 'help') {
    out.write(t.t('stormd-usage') + '\n')
    return 0
  }
  const config = await agentConfigFrom(args.values.config)
  t = speak(config.lang)
  switch (verb) {
    case undefined:
      return runDaemon(config, out, t, args.values.config ?? (existsSync(DEFAULT_CONF) ? DEFAULT_CONF : undefined))
    case 'check-config':
      out.write(t.t('stormd-config-ok') + '\n' + JSON.stringify(shownConfig(config), null, 2) + '\n')
      return 0
    case 'pair': {
      if (rest.length !== 1) throw new StormError('STORMD_PAIR_NEEDS_INVITE')
      // a mistyped invitation is the owner's to fix: say so, whether or not stormd is running
      parsePairingInvite(rest[0]!)
      const r = await controlRequest(config.controlSocket!, { op: 'pair', invite: rest[0]! })
      if (!r.ok) throw new StormError(r.error?.code ?? 'INTERNAL', r.error?.params ?? {})
      const data = r.data as { group: string, member: string }
      out.write(t.t('stormd-paired', { group: data.group, member: data.member }) + '\n')
      return 0
    }
    default:
      throw new StormError('STORMD_UNKNOWN_VERB', { verb: verb.slice(0, 40) })
  }
}

/** The `lang=` line of a stormd.conf (or `"lang"` of a JSON one), read leniently; undefined when absent or unreadable. */
async function confLangHint (path: string | undefined): Promise<string | undefined> {
  if (path === undefined) return undefined
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch {
    return undefined
  }
  const m = path.endsWith('.json') ? /"lang"\s*:\s*"([A-Za-z_-]{2,16})"/.exec(text) : /^[ \t]*lang[ \t]*=[ \t]*([A-Za-z_-]{2,16})/m.exec(text)
  return m?.[1]
}

async function runDaemon (config: AgentConfig, out: NodeJS.WritableStream, t: Translator, configPath: string | undefined): Promise<number> {
  if (config.node === 'simnet') throw new StormError('SIMNET_ONLY_IN_DEMO')
  const log = createLogger(config.logLevel, config.logFile)
  const lightning = connectLnd(config)
  const runtime = await startAgentRuntime({ config, lightning, log })
  const control = new ControlServer(config.controlSocket!, agentControlHandler(runtime))
  await control.listen()
  runtime.agent.on('notice', n => {
    const d = n.directive.directive
    if (n.type === 'save_failed') {
      log('error', 'notice_save_failed', { directive: d.id, kind: d.kind, error: n.error })
      return
    }
    // a planned downtime's window, so the owner's log says until when it is safe to be away
    const window = d.kind === 'safe_to_disconnect' && d.params.windowEnd !== undefined
      ? { windowStart: new Date(d.params.windowStart ?? d.createdAt).toISOString(), windowEnd: new Date(d.params.windowEnd).toISOString() }
      : {}
    log('info', 'notice_' + n.type, { directive: d.id, kind: d.kind, ...window })
  })
  if (runtime.agent.pairing !== undefined) {
    await runtime.agent.start()
    out.write(t.t('stormd-running', { group: runtime.agent.pairing.group, socket: config.controlSocket! }) + '\n')
  } else {
    out.write(t.t('stormd-waiting-pairing', { socket: config.controlSocket! }) + '\n')
  }
  // an edited fee vote in stormd.conf is sent without a restart
  const stopWatching = configPath === undefined ? () => {} : watchConfigVote(configPath, runtime.agent, log)
  await new Promise<void>(resolve => {
    process.once('SIGINT', resolve)
    process.once('SIGTERM', resolve)
  })
  stopWatching()
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
  process.exitCode = await stormdMain(process.argv.slice(2), process.stdout, process.stderr, Locales.load(), process.env)
}
