/**
 * stormd's configuration: the seed's `stormd.conf` (`key=value`, `#` comments, also after a value)
 * or the same keys as JSON. Parsed once at start with zod; an error names the exact key.
 *
 * @example
 *   network=mainnet
 *   node=lnd
 *   nodeMacaroon=/home/user/.lnd/admin.macaroon
 *   nodeRpcPort=10009
 *   group=Supercell         # Specify which group to connect to
 */
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { z } from 'zod'
import { StormError } from '../shared/errors.ts'
import { parseConfig, parseJsonConfig, readConfigText } from '../shared/config_file.ts'
import { DIRECTIVE_KINDS } from '../protocol/messages.ts'
import { fractionNumberToPpm, parseFeeRate } from '../shared/fee_units.ts'

// A number written in stormd.conf: decimal digits only, so an empty value or `0x10` is an error
// naming its key, not a silent 0 or 16 (`z.coerce` would turn '' into 0: `maxChannelSize=` would
// refuse every channel, `voteFeeRate=` would vote for a zero fee).
const Num = (schema: z.ZodNumber) => z.preprocess(
  v => typeof v === 'string' && /^\s*[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*$/i.test(v) ? Number(v) : v, schema)
const Sats = Num(z.number().int().nonnegative())
const Seconds = (min: number) => Num(z.number().int().min(min))
// An optional text that, once written, must say something (`logFile=` is a mistake, not stderr).
const Text = z.string().min(1, 'must not be empty')
const KindList = z.preprocess(
  v => typeof v === 'string' ? v.split(',').map(s => s.trim()).filter(s => s !== '') : v,
  z.array(z.enum(DIRECTIVE_KINDS, { error: (issue) => `unknown directive kind “${String(issue.input).slice(0, 40)}” (known: ${DIRECTIVE_KINDS.join(', ')})` }))
)
// A fee rate: the seed's fraction (`0.000001`) or parts per million (`100ppm`), read into whole ppm.
const FeeRate = z.union([z.string(), z.number()]).transform((v, zctx) => {
  const r = typeof v === 'number' ? fractionNumberToPpm(v) : parseFeeRate(v)
  if (r.ok) return r.value
  zctx.addIssue({ code: 'custom', message: r.error.code === 'FEE_RATE_AMBIGUOUS' ? `write ${String(r.error.params.ppm)} or ${String(r.error.params.fraction)}: a bare whole number is ambiguous` : 'expected a fraction like 0.000001 (at most 6 decimals) or parts per million like 100ppm' })
  return z.NEVER
})
const Bool = z.preprocess(v => v === 'true' ? true : v === 'false' ? false : v, z.boolean())

export const AgentConfigSchema = z.object({
  network: z.enum(['mainnet', 'testnet', 'signet', 'regtest', 'simnet']).default('mainnet').describe('The Bitcoin network of the node.'),
  node: z.enum(['lnd', 'simnet']).default('lnd').describe('The Lightning implementation stormd drives.'),
  nodeHost: Text.default('127.0.0.1').describe('Host of LND\'s gRPC interface.'),
  nodeRpcPort: Num(z.number().int().min(1).max(65535)).default(10009).describe('Port of LND\'s gRPC interface.'),
  nodeMacaroon: Text.optional().describe('Path to the macaroon stormd uses (see docs/lnd.md for a scoped one).'),
  nodeTlsCert: Text.optional().describe('Path to LND\'s tls.cert (default ~/.lnd/tls.cert).'),
  lndconnect: Text.optional().describe('An lndconnect:// URI, instead of the four keys above.'),
  group: Text.max(64).optional().describe('The Storm to connect to (checked when pairing).'),
  region: Text.max(32).regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - and _ only').optional().describe('Where your node is (e.g. eu-west), told to the Storm: its planner opens your channels to same-region members first (fewer round trips per payment) and one outside it (so a regional outage does not cut you off).'),
  manager: z.string().regex(/^[0-9a-f]{64}$/, 'expected the manager\'s 64-character hex key').optional()
    .describe('The manager\'s public key; it comes with the pairing code.'),
  voteBaseFee: Sats.optional().describe('Your proposed base fee, millisatoshis (needs consensus).'),
  voteFeeRate: FeeRate.optional().describe('Your proposed fee rate: a fraction like 0.000001 or parts per million like 100ppm (needs consensus; sent with voteBaseFee when stormd connects and when you edit them).'),
  logLevel: z.enum(['error', 'warn', 'info', 'debug']).default('info').describe('How much stormd logs.'),
  logFile: Text.optional().describe('Where stormd logs (standard error when absent).'),
  dataDir: Text.default(join(homedir(), '.stormd')).describe('Where stormd keeps its key, state and backups.'),
  backupsKept: Num(z.number().int().min(1).max(1000)).default(14).describe('Daily backups of the state kept in <dataDir>/backups (one more at each start).'),
  controlSocket: Text.optional().describe('Unix socket for stormcli (default <dataDir>/stormd.sock).'),
  // no default here: unset, the system's LANG decides; set, it wins over LANG (see stormcli_main)
  lang: Text.max(16).optional().describe('Language of stormd\'s and stormcli\'s messages (default: the system\'s LANG, else English).'),

  requireApproval: KindList.default([]).describe('Directive kinds you always approve yourself, whatever the Storm says (open_channel covers open_channels, a batch in one transaction).'),
  autoApprove: KindList.default([]).describe('Directive kinds executed without asking you, within the limits below (open_channel covers open_channels).'),
  localApproval: KindList.default([]).describe('Directive kinds only you approve, on this machine (stormcli approve): an approval relayed by the manager (from the chat) is refused for them (open_channel covers open_channels).'),
  reportInterval: Seconds(5).default(60).describe('Seconds between reports of channels and balances.'),
  reportFlow: Bool.default(true).describe('Whether reports carry your forwarding flow (amounts and fees per channel). false: the Storm plans without it and shows your flow as private.'),
  heartbeatInterval: Seconds(1).default(30).describe('Seconds between heartbeats.'),

  minChannelSize: Sats.default(20_000).describe('Smallest channel stormd opens, sats.'),
  maxChannelSize: Sats.default(16_777_215).describe('Largest channel stormd opens, sats.'),
  maxChannelsPerDay: Sats.default(10).describe('Channels stormd opens per 24 hours, at most.'),
  maxOnchainSpendPerDay: Sats.default(50_000_000).describe('Sats stormd commits to channels per 24 hours, at most.'),
  allowForceClose: Bool.default(false).describe('Whether the Storm may ask for force closes.'),
  maxTransactionSize: Sats.default(1_000_000).describe('Largest single rebalancing payment, sats (Tightrope).'),
  minTimeBetweenPayments: Seconds(0).default(60).describe('Seconds between rebalancing payments, at least (Tightrope).'),
  maxTransactionsPerPeriod: Sats.default(24).describe('Rebalancing payments per period (Tightrope).'),
  maxTransactionsPeriod: Seconds(1).default(86_400).describe('That period, seconds (Tightrope).'),
  maxAmountPerPeriod: Sats.default(5_000_000).describe('Sats moved by rebalancing per period (Tightrope).'),
  maxAmountPeriod: Seconds(1).default(86_400).describe('That period, seconds (Tightrope).'),
  maxFeePerPeriod: Sats.default(5_000).describe('Routing fees paid for rebalancing per maxAmountPeriod, sats.')
}).strict().superRefine((c, zctx) => {
  // a vote is both numbers: one alone would be sent as nothing, silently
  if ((c.voteBaseFee === undefined) !== (c.voteFeeRate === undefined)) {
    const missing = c.voteBaseFee === undefined ? 'voteBaseFee' : 'voteFeeRate'
    zctx.addIssue({ code: 'custom', path: [missing], message: 'voteBaseFee and voteFeeRate go together: set both, or neither' })
  }
})

export type AgentConfig = z.infer<typeof AgentConfigSchema>

/** The limits part of the configuration, as the pure checks take it. */
export type AgentLimits = Pick<AgentConfig,
  'minChannelSize' | 'maxChannelSize' | 'maxChannelsPerDay' | 'maxOnchainSpendPerDay' | 'allowForceClose' |
  'maxTransactionSize' | 'minTimeBetweenPayments' | 'maxTransactionsPerPeriod' | 'maxTransactionsPeriod' |
  'maxAmountPerPeriod' | 'maxAmountPeriod' | 'maxFeePerPeriod'>

/**
 * Parses `stormd.conf` text. Errors: `CONFIG_SYNTAX` {line, text}, `CONFIG_DUPLICATE_KEY`
 * {key, first, second} (a key set twice is a mistake to fix, not a silent "the last one wins").
 */
export function parseConfText (text: string): Record<string, string> {
  const out: Record<string, string> = {}
  const lineOf = new Map<string, number>()
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/(^|\s)#.*$/, '').trim()
    if (line === '') return
    const eq = line.indexOf('=')
    if (eq <= 0) throw new StormError('CONFIG_SYNTAX', { line: i + 1, text: raw.trim() })
    const key = line.slice(0, eq).trim()
    const first = lineOf.get(key)
    if (first !== undefined) throw new StormError('CONFIG_DUPLICATE_KEY', { key, first, second: i + 1 })
    lineOf.set(key, i + 1)
    // defined, not assigned: a key named `__proto__` is then just an unknown key, not a prototype
    Object.defineProperty(out, key, { value: line.slice(eq + 1).trim(), enumerable: true, writable: true, configurable: true })
  })
  return out
}

/** Validates raw keys. Errors: `CONFIG_INVALID` {key, reason}, `CONFIG_UNKNOWN_KEY` {key}. */
export function parseAgentConfig (raw: unknown): AgentConfig {
  const config = parseConfig(AgentConfigSchema, raw, { flat: true })
  config.dataDir = resolve(expandHome(config.dataDir))
  config.controlSocket = config.controlSocket === undefined ? join(config.dataDir, 'stormd.sock') : resolve(expandHome(config.controlSocket))
  if (config.logFile !== undefined) config.logFile = resolve(expandHome(config.logFile))
  return config
}

/** `~/x` → the home directory's `x`, as a shell would. */
export function expandHome (path: string): string {
  return path === '~' || path.startsWith('~/') ? join(homedir(), path.slice(1)) : path
}

/** Reads a `.conf` or `.json` file. Errors: `CONFIG_UNREADABLE` {path, reason}, and the parse errors. */
export async function loadAgentConfig (path: string): Promise<AgentConfig> {
  const text = await readConfigText(path)
  return parseAgentConfig(path.endsWith('.json') ? parseJsonConfig(text) : parseConfText(text))
}
