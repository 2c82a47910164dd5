/**
 * What every configuration file shares: reading it, JSON syntax, and turning zod's first issue
 * into an error that names the exact key (`CONFIG_INVALID` {key, reason}).
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
 * Parses with `schema`, or throws `CONFIG_INVALID` naming the key (an unknown key by its name).
 * `flat`: the file is `key=value` lines, so name the file's key (`requireApproval`), not zod's
 * path into its value (`requireApproval.1`).
 */
export function parseConfig<T> (schema: z.ZodType<T>, raw: unknown, opts: { flat?: boolean } = {}): T {
  const r = schema.safeParse(raw)
  if (r.success) return r.data
  const issue = r.error.issues[0]!
  const unknown = issue.code === 'unrecognized_keys'
  const path = opts.flat === true ? issue.path.slice(0, 1) : issue.path
  const key = unknown ? [...path, issue.keys.join(', ')].join('.') : path.join('.')
  throw new StormError('CONFIG_INVALID', { key: key || '(root)', reason: unknown ? 'unknown key' : issue.message })
}
