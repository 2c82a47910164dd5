/**
 * `stormcli`: the seed's commands against the local stormd — `connect`, `addfunds`,
 * `removefunds`, `disconnect`, `cancel`, `getinfo`, `help` — plus `approve`, `reject`,
 * `directives` (decided locally, by the owner on their own machine), `status`, and the rest of
 * the command language relayed to the manager.
 */
import { parseArgs } from 'node:util'
import { agentConfigFrom } from './stormd_main.ts'
import { controlRequest } from '../agent/control/control_client.ts'
import { parseCommand } from '../bot/parse_command.ts'
import { CLI_COMMANDS } from '../bot/commands/registry.ts'
import type { HistoryCheck } from '../agent/member_history.ts'
import type { HistoryEntry } from '../protocol/messages.ts'
import { openQuotedEnvelope } from '../protocol/history_entry.ts'
import { helpText } from '../bot/help_text.ts'
import { Locales, type Translator } from '../shared/i18n.ts'
import { StormError } from '../shared/errors.ts'
import { parseBaseFee, parseFeeRate } from '../shared/fee_units.ts'
import type { MessageBody } from '../protocol/messages.ts'

const PREFIX = 'stormcli '

/**
 * Runs one stormcli command line. What the user asked for goes to `out`; every refusal or error
 * (bad input, the manager's refusal, stormd not running, a broken stormd.conf) goes to `err`, and
 * the exit status says which: 0 done, 1 refused or failed, 2 a bad command line (usage shown).
 */
export async function stormcliMain (argv: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream, locales: Locales, env: NodeJS.ProcessEnv): Promise<number> {
  // options come before the command; what follows is the command's (so `addfunds -5` is an amount)
  const withValue = new Set(['--config', '-c', '--socket', '-s', '--lang'])
  let i = 0
  while (i < argv.length && argv[i]!.startsWith('-')) i += withValue.has(argv[i]!) ? 2 : 1
  // until stormd.conf is read, the flag or the system's locale decides the language
  let t = locales.translator(flagValue(argv.slice(0, i), '--lang') ?? env.LANG, { p: PREFIX })
  try {
    let args
    try {
      args = parseArgs({
        args: argv.slice(0, i),
        options: { config: { type: 'string', short: 'c' }, socket: { type: 'string', short: 's' }, lang: { type: 'string' } }
      })
    } catch (e) {
      throw new StormError('CLI_BAD_ARGUMENT', { reason: (e as Error).message })
    }
    const positionals = argv.slice(i)
    const config = await agentConfigFrom(args.values.config)
    // the owner's own choice (flag, then stormd.conf) before the system-wide locale
    t = locales.translator(args.values.lang ?? config.lang ?? env.LANG, { p: PREFIX })
    return await run(positionals, args.values.socket ?? config.controlSocket!, out, err, t)
  } catch (e) {
    if (!(e instanceof StormError)) throw e
    err.write(t.error(e) + '\n')
    return e.code === 'CLI_BAD_ARGUMENT' ? 2 : 1
  }
}

/** `--lang es` / `--lang=es` among the options, read before parseArgs can fail on the others. */
function flagValue (options: string[], name: string): string | undefined {
  for (let i = 0; i < options.length; i++) {
    if (options[i] === name) return options[i + 1]
    if (options[i]!.startsWith(name + '=')) return options[i]!.slice(name.length + 1)
  }
  return undefined
}

async function run (positionals: string[], socket: string, out: NodeJS.WritableStream, err: NodeJS.WritableStream, t: Translator): Promise<number> {
  const text = positionals.join(' ')
  const parsed = text === '' ? null : parseCommand(text, { prefixes: [], lang: t.lang })
  if (parsed === null) {
    // no command: a usage error, so the list goes where errors go
    err.write(helpText(t, PREFIX, true) + '\n')
    return 2
  }
  if (positionals[0] === 'status') return status(socket, out, t)
  // a fee vote goes as stormd's own signed vote message; `vote yes|no ID` is relayed like the rest
  if (positionals[0]?.toLowerCase() === 'vote' && positionals[1]?.toLowerCase() === 'fee') return vote(positionals.slice(1), socket, out, t)
  if (positionals[0] === 'directives') return directives(socket, out, t)
  if (!parsed.ok) throw parsed.error
  const c = parsed.value
  if (c.name === 'audit') return audit(socket, c.verify, out, err, t)
  if (!CLI_COMMANDS.includes(c.name)) throw new StormError('UNKNOWN_COMMAND', { command: c.name })
  switch (c.name) {
    case 'help':
      out.write(helpText(t, PREFIX, true, c.topic) + '\n')
      return 0
    case 'approve':
    case 'reject':
      return decide(socket, c.name, c.id, out, t)
    case 'connect': {
      const s = await request(socket, { op: 'status' })
      if ((s.data as { paired: boolean }).paired !== true) {
        err.write(t.t('cli-connect-not-paired') + '\n')
        return 1
      }
      break
    }
  }
  const r = await request(socket, { op: 'command', text, lang: t.lang }, true)
  // the manager's refusal is an error like any other: stderr, exit 1, nothing on stdout
  if (!r.ok) {
    err.write((r.text ?? '') + '\n')
    return 1
  }
  out.write((c.name === 'getinfo' && r.data !== undefined ? JSON.stringify(r.data, null, 2) : r.text ?? '') + '\n')
  return 0
}

/**
 * `stormcli vote fee BASE RATE`: base in msat, rate as `0.000001` or `100ppm`; stormd sends it as
 * its signed `vote` message and the manager answers with the tally.
 */
async function vote (args: string[], socket: string, out: NodeJS.WritableStream, t: Translator): Promise<number> {
  if (args.length !== 3 || args[0]!.toLowerCase() !== 'fee') throw new StormError('BAD_VOTE')
  const base = parseBaseFee(args[1]!)
  if (!base.ok) throw base.error
  const rate = parseFeeRate(args[2]!)
  if (!rate.ok) throw rate.error
  const r = await request(socket, { op: 'vote', baseFeeMsat: String(base.value), feeRatePpm: rate.value })
  const v = r.data as MessageBody<'vote_result'>
  out.write(t.t(v.unchanged === true ? 'cli-vote-unchanged' : 'cli-vote-taken', {
    base: String(base.value), rate: rate.value, stake: v.stake ?? 0, voted: v.votedStake ?? 0, total: v.totalStake ?? 0
  }) + '\n')
  return 0
}

async function request (socket: string, req: Parameters<typeof controlRequest>[1], answerErrors = false) {
  const r = await controlRequest(socket, req)
  if (!r.ok && r.error !== undefined && !(answerErrors && r.text !== undefined)) throw new StormError(r.error.code, r.error.params)
  return r
}

async function status (socket: string, out: NodeJS.WritableStream, t: Translator): Promise<number> {
  const r = await request(socket, { op: 'status' })
  const s = r.data as { paired: boolean, group: string | null, connected: boolean, awaiting: number, node: string | null }
  out.write((s.paired ? t.t('cli-status-paired', { group: s.group ?? '', node: s.node ?? '', connected: String(s.connected), awaiting: s.awaiting }) : t.t('cli-status-unpaired')) + '\n')
  return 0
}

async function directives (socket: string, out: NodeJS.WritableStream, t: Translator): Promise<number> {
  const r = await request(socket, { op: 'directives' })
  const list = r.data as Array<{ id: string, kind: string, reason: string }>
  out.write((list.length === 0 ? t.t('cli-nothing-awaiting') : list.map(d => t.t('cli-awaiting-line', { id: d.id, kind: d.kind, reason: d.reason })).join('\n')) + '\n')
  return 0
}

/**
 * `stormcli audit`: the manager's history entries about this member that stormd holds (newest
 * 200). `stormcli audit verify`: checks them (exit 1, problems on stderr, when they do not verify).
 */
async function audit (socket: string, verify: boolean, out: NodeJS.WritableStream, err: NodeJS.WritableStream, t: Translator): Promise<number> {
  if (verify) {
    const r = await request(socket, { op: 'audit', verify: true })
    const check = r.data as HistoryCheck
    if (check.problems.length === 0) {
      out.write(t.t('cli-audit-verify-ok', { entries: check.entries, directives: check.directives }) + '\n')
      return 0
    }
    err.write([t.t('cli-audit-verify-failed', { count: check.problems.length, entries: check.entries }), ...check.problems.map(p => t.t('cli-audit-problem', { ref: p.ref, code: p.code }))].join('\n') + '\n')
    return 1
  }
  const r = await request(socket, { op: 'audit', verify: false })
  const { entries } = r.data as { entries: HistoryEntry[] }
  out.write((entries.length === 0 ? t.t('cli-audit-none') : entries.map(e => t.t('cli-audit-line', { index: e.index, at: new Date(e.at).toISOString(), event: e.event, detail: shownData(e) })).join('\n')) + '\n')
  return 0
}

/** An entry's data on one line, bounded, without control characters; a quoted agent message by its type. */
function shownData (e: HistoryEntry): string {
  const { envelope, ...rest } = e.data as { envelope?: unknown }
  const text = JSON.stringify(envelope === undefined ? rest : { ...rest, signedByAgent: openQuotedEnvelope(envelope)?.type ?? '?' })
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '')
  return clean.length > 200 ? clean.slice(0, 199) + '…' : clean
}

async function decide (socket: string, decision: 'approve' | 'reject', id: string, out: NodeJS.WritableStream, t: Translator): Promise<number> {
  let ids = [id]
  if (id === 'all') {
    ids = ((await request(socket, { op: 'directives' })).data as Array<{ id: string }>).map(d => d.id)
    if (ids.length === 0) throw new StormError('NOTHING_TO_APPROVE')
  }
  for (const one of ids) {
    const r = await request(socket, { op: 'decide', directive: one, decision })
    const d = r.data as { id: string, kind: string, status: string }
    out.write(t.t(decision === 'approve' ? 'cli-approved' : 'cli-rejected', { id: d.id, kind: d.kind, status: d.status }) + '\n')
  }
  return 0
}

/** The `bin/stormcli` entry. */
export async function runStormcliCli (): Promise<void> {
  const locales = Locales.load()
  try {
    process.exitCode = await stormcliMain(process.argv.slice(2), process.stdout, process.stderr, locales, process.env)
  } catch (e) {
    if (!(e instanceof StormError)) throw e
    process.stderr.write(locales.translator(process.env.LANG).error(e) + '\n')
    process.exitCode = e.code === 'CLI_BAD_ARGUMENT' ? 2 : 1
  }
}
