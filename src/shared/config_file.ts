/**
 * What every configuration file shares: reading it, JSON syntax, and turning zod's first issue
 * into an error that names the exact key (`CONFIG_INVALID` {key, reason}, `CONFIG_UNKNOWN_KEY` {key}).
 */
import { readFile } from 'node:fs/promises'
import type { z } from 'zod'
import { StormError } from './errors.ts'

/** Errors: `CONFIG_UNREADABLE` {path, reason}. */
export async function readConfigText (path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8')
  } catch (e) {
    throw new StormError('CONFIG_UNREADABLE', { path, reason: (e as NodeJS.ErrnoException).code ?? String(e) }, { cause: e })
  }
}

/** Errors: `CONFIG_SYNTAX` {line: 0, text}. */
export function parseJsonConfig (text: string): unknown {
  try {
    return JSON.parse(text)
  } catch (e) {
    throw new StormError('CONFIG_SYNTAX', { line: 0, text: (e as Error).message })
  }
}

/**
 * Parses with `schema`, or throws `CONFIG_INVALID` {key, reason} naming the key, or
 * `CONFIG_UNKNOWN_KEY` {key} for a key the schema does not have (a typo must not be ignored).
 * `flat`: the file is `key=value` lines, so name the file's key (`requireApproval`), not zod's
 * path into its value (`requireApproval.1`). `prefix`: where `raw` sits in the file (a section's
 * keys are named from the top, `telegram.chatId`).
 */
export function parseConfig<T> (schema: z.ZodType<T>, raw: unknown, opts: { flat?: boolean, prefix?: readonly string[] } = {}): T {
  // the input is kept in issues so that their reason can be told again in another language
  const r = schema.safeParse(raw, { reportInput: true })
  if (r.success) return r.data
  const issue = r.error.issues[0]!
  const path = [...(opts.prefix ?? []), ...(opts.flat === true ? issue.path.slice(0, 1) : issue.path)]
  if (issue.code === 'unrecognized_keys') throw new StormError('CONFIG_UNKNOWN_KEY', { key: [...path, issue.keys.join(', ')].join('.') })
  throw new StormError('CONFIG_INVALID', { key: path.join('.') || '(root)', reason: issue.message }, { issue })
}
