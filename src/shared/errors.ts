/**
 * One error type for expected failures, with a stable `code` (for logs and protocol replies), a
 * locale key (for what the user sees) and its parameters. Bugs still throw plain errors.
 *
 * @example
 *   return err('AMOUNT_NOT_POSITIVE', { amount: -5 })
 */
export class StormError extends Error {
  readonly code: string
  readonly params: Record<string, string | number>
  /** The zod issue behind a `reason` parameter, so the reason can be said in the reader's language. */
  readonly issue: unknown
  constructor (code: string, params: Record<string, string | number> = {}, options: { cause?: unknown, issue?: unknown } = {}) {
    super(code, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'StormError'
    this.code = code
    this.params = params
    this.issue = options.issue
  }

  /** The key in `locales/*.ftl` for this error: `error-` + the code in kebab case. */
  get localeKey (): string {
    return errorLocaleKey(this.code)
  }
}

/** `AMOUNT_NOT_POSITIVE` → `error-amount-not-positive`. */
export function errorLocaleKey (code: string): string {
  return 'error-' + code.toLowerCase().replace(/_/g, '-')
}

/** A value that is either a success or an expected failure. */
export type Result<T> = { ok: true, value: T } | { ok: false, error: StormError }

export function ok<T> (value: T): Result<T> {
  return { ok: true, value }
}

export function err<T = never> (code: string, params: Record<string, string | number> = {}, cause?: unknown): Result<T> {
  return { ok: false, error: new StormError(code, params, { cause }) }
}

export function isStormError (e: unknown): e is StormError {
  return e instanceof StormError
}
