/**
 * The manager's configuration file (`config/storm.json`, or the file `STORM_CONFIG` names): one
 * zod schema per section, defaults in the schema, an error naming the exact key.
 */
import { readFile } from 'node:fs/promises'
import { z } from 'zod'
import { StormRulesSchema } from '../manager/rules.ts'
import { StormError } from '../shared/errors.ts'

export const ManagerConfigSchema = z.object({
  dataDir: z.string().default('.storm/manager').describe('Where the manager keeps its key, state, backups and audit log.'),
  lang: z.string().default('en').describe('Language of announcements in the group.'),
  rules: StormRulesSchema.default(StormRulesSchema.parse({})).describe('The Storm\'s rules.'),
  console: z.boolean().default(false).describe('Also take commands on this terminal, as an admin.'),
  network: z.object({
    bootstrap: z.array(z.object({ host: z.string(), port: z.number().int().min(1).max(65535) })).min(1)
  }).strict().optional().describe('A private DHT to use instead of the public one (bootstrap nodes).')
}).strict()

export type ManagerConfig = z.infer<typeof ManagerConfigSchema>

/** Errors: `CONFIG_UNREADABLE` {path, reason}, `CONFIG_SYNTAX` {line, text}, `CONFIG_INVALID` {key, reason}. */
export async function loadManagerConfig (path: string): Promise<ManagerConfig> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (e) {
    throw new StormError('CONFIG_UNREADABLE', { path, reason: (e as NodeJS.ErrnoException).code ?? String(e) }, { cause: e })
  }
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (e) {
    throw new StormError('CONFIG_SYNTAX', { line: 0, text: (e as Error).message })
  }
  return parseManagerConfig(raw)
}

export function parseManagerConfig (raw: unknown): ManagerConfig {
  const r = ManagerConfigSchema.safeParse(raw)
  if (r.success) return r.data
  const issue = r.error.issues[0]!
  const key = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys.join(', ')].join('.') : issue.path.join('.')
  throw new StormError('CONFIG_INVALID', { key: key || '(root)', reason: issue.code === 'unrecognized_keys' ? 'unknown key' : issue.message })
}
