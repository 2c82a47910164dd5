/**
 * The manager's configuration file (`config/storm.json`, or the file `STORM_CONFIG` names): one
 * zod schema per section, defaults in the schema, an error naming the exact key.
 */
import { z } from 'zod'
import { StormRulesSchema } from '../manager/rules.ts'
import { parseConfig, parseJsonConfig, readConfigText } from '../shared/config_file.ts'
import { DashboardConfigSchema } from '../dashboard/dashboard_config.ts'

/** Telegram chat ids are integers (groups negative, supergroups -100…); env and JSON may give strings. */
/** A language tag (`en`, `es`, `es-AR`): a typo is refused, not silently English. */
const LangSchema = z.string().max(35).regex(/^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$/, 'expected a language tag like en, es or es-AR')

const ChatIdSchema = z.union([z.number().int(), z.string().regex(/^-?\d+$/).transform(Number)])

export const TelegramConfigSchema = z.object({
  token: z.string().min(1).max(256).optional().describe('The bot token from @BotFather (or env TELEGRAM_BOT_TOKEN, which wins). Keep it secret.'),
  chatId: ChatIdSchema.optional().describe('The group to serve (or env TELEGRAM_CHAT_ID). Without it, an admin sends /init in the group.'),
  apiRoot: z.url().optional().describe('A self-hosted Bot API server instead of https://api.telegram.org (or env TELEGRAM_API_ROOT).'),
  lang: LangSchema.optional().describe('Language of announcements in the group; the top-level lang by default.'),
  webhook: z.object({
    url: z.url().describe('The public HTTPS address Telegram posts updates to.'),
    host: z.string().min(1).max(255).default('127.0.0.1').describe('Where the bot\'s HTTP server listens (put your TLS proxy in front).'),
    port: z.number().int().min(1).max(65535).default(8443).describe('Its port.'),
    secretToken: z.string().regex(/^[A-Za-z0-9_-]{1,256}$/).optional().describe('Telegram sends it with every update; others are refused.')
  }).strict().optional().describe('Receive updates by webhook instead of long polling.'),
  demo: z.boolean().default(false).describe('Run the bot on the demo\'s simulated Storm instead of this manager (or env STORM_DEMO=1).'),
  batchMs: z.number().int().min(0).max(10_000).default(700).describe('How long announcements wait to be batched into one message.')
}).strict()

export type TelegramConfig = z.infer<typeof TelegramConfigSchema>

export const MatrixConfigSchema = z.object({
  homeserverUrl: z.url().describe('The homeserver\'s client-server address, e.g. https://matrix.example.org (or env MATRIX_HOMESERVER_URL).'),
  userId: z.string().regex(/^@[^:\s]{1,255}:\S{1,255}$/, 'expected a Matrix user id like @storm:example.org').describe('The bot\'s account, e.g. @storm:example.org (or env MATRIX_USER_ID).'),
  accessToken: z.string().min(1).max(1024).optional().describe('The account\'s access token (or env MATRIX_ACCESS_TOKEN, which wins). Keep it secret.'),
  deviceId: z.string().min(1).max(255).optional().describe('The device the access token belongs to.'),
  roomId: z.string().regex(/^![^:\s]{1,255}:\S{1,255}$/, 'expected a room id like !abc:example.org').optional().describe('The room to serve (or env MATRIX_ROOM_ID). Without it, an admin sends !init in the room.'),
  adminPowerLevel: z.number().int().min(0).max(1_000_000).default(50).describe('Room members with at least this power level are admins (50 is Element\'s Moderator; room creators count).'),
  lang: LangSchema.optional().describe('Language of announcements, and of each user until they choose one with !lang; the top-level lang by default.'),
  demo: z.boolean().default(false).describe('Run the bot on the demo\'s simulated Storm instead of this manager (or env STORM_DEMO=1).'),
  batchMs: z.number().int().min(0).max(10_000).default(700).describe('How long announcements wait to be batched into one message.')
}).strict()

export type MatrixConfig = z.infer<typeof MatrixConfigSchema>

export const ManagerConfigSchema = z.object({
  dataDir: z.string().min(1).max(4096).default('.storm/manager').describe('Where the manager keeps its key, state, backups and signed history.'),
  backupsKept: z.number().int().min(1).max(1000).default(14).describe('Daily backups of the state kept in <dataDir>/backups (one more at each start).'),
  lang: LangSchema.default('en').describe('Language of announcements in the group.'),
  rules: StormRulesSchema.default(StormRulesSchema.parse({})).describe('The Storm\'s rules.'),
  console: z.boolean().default(false).describe('Also take commands on this terminal, as an admin.'),
  network: z.object({
    bootstrap: z.array(z.object({ host: z.string(), port: z.number().int().min(1).max(65535) })).min(1)
  }).strict().optional().describe('A private DHT to use instead of the public one (bootstrap nodes).'),
  telegram: TelegramConfigSchema.optional().describe('The Telegram front end (on when a token is given here or in TELEGRAM_BOT_TOKEN).'),
  matrix: MatrixConfigSchema.partial({ homeserverUrl: true, userId: true }).optional().describe('The Matrix front end (on when an access token is given here or in MATRIX_ACCESS_TOKEN); it can run beside Telegram.'),
  dashboard: DashboardConfigSchema.default(DashboardConfigSchema.parse({})).describe('The dashboard: read-only web pages, the public summary, the comparison (see the dashboard table).')
}).strict()

export type ManagerConfig = z.infer<typeof ManagerConfigSchema>

/** Errors: `CONFIG_UNREADABLE` {path, reason}, `CONFIG_SYNTAX` {line, text}, `CONFIG_INVALID` {key, reason}, `CONFIG_UNKNOWN_KEY` {key}. */
export async function loadManagerConfig (path: string): Promise<ManagerConfig> {
  return parseManagerConfig(parseJsonConfig(await readConfigText(path)))
}

/**
 * The Telegram section with the environment applied (`TELEGRAM_BOT_TOKEN`, `TELEGRAM_CHAT_ID`,
 * `TELEGRAM_API_ROOT`, `STORM_DEMO=1`), or null when no token is given anywhere.
 * Errors: `CONFIG_INVALID` {key, reason} for a bad value (file or environment), `CONFIG_UNKNOWN_KEY` {key}.
 */
export function telegramSettings (config: ManagerConfig, env: NodeJS.ProcessEnv): (TelegramConfig & { token: string, lang: string }) | null {
  const raw = { ...config.telegram, ...fromEnv(env, { TELEGRAM_BOT_TOKEN: 'token', TELEGRAM_CHAT_ID: 'chatId', TELEGRAM_API_ROOT: 'apiRoot' }) }
  const settings = parseConfig(TelegramConfigSchema, raw, { prefix: ['telegram'] })
  const { token } = settings
  return token === undefined ? null : { ...settings, token, lang: settings.lang ?? config.lang }
}

/**
 * The Matrix section with the environment applied (`MATRIX_ACCESS_TOKEN`, `MATRIX_HOMESERVER_URL`, `MATRIX_USER_ID`,
 * `MATRIX_ROOM_ID`, `STORM_DEMO=1`), or null when no access token is given anywhere.
 * Errors: `CONFIG_INVALID` {key, reason} for a bad or missing value, `CONFIG_UNKNOWN_KEY` {key}.
 */
export function matrixSettings (config: ManagerConfig, env: NodeJS.ProcessEnv): (MatrixConfig & { accessToken: string, lang: string }) | null {
  const raw: Record<string, unknown> = {
    ...config.matrix,
    ...fromEnv(env, { MATRIX_ACCESS_TOKEN: 'accessToken', MATRIX_HOMESERVER_URL: 'homeserverUrl', MATRIX_USER_ID: 'userId', MATRIX_ROOM_ID: 'roomId' })
  }
  if (raw.accessToken === undefined) return null
  const settings = parseConfig(MatrixConfigSchema, raw, { prefix: ['matrix'] })
  return { ...settings, accessToken: settings.accessToken!, lang: settings.lang ?? config.lang }
}

/**
 * The keys a section takes from the environment (empty variables count as unset); `STORM_DEMO`
 * (`1` or not) is every front end's `demo`.
 */
function fromEnv (env: NodeJS.ProcessEnv, names: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [name, key] of Object.entries({ ...names, STORM_DEMO: 'demo' })) {
    const v = env[name]
    if (v !== undefined && v !== '') out[key] = key === 'demo' ? v === '1' : v
  }
  return out
}

export function parseManagerConfig (raw: unknown): ManagerConfig {
  return parseConfig(ManagerConfigSchema, raw)
}
