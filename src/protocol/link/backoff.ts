/** Reconnection delays: exponential, capped, with jitter so agents do not reconnect in a herd. */

/** Delay bounds for reconnect attempts. */
export interface BackoffOptions {
  /** Delay before the first retry, ms. */
  initialMs: number
  /** Largest delay, ms. */
  maxMs: number
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 1000, maxMs: 60_000 }

/**
 * The delay before retry number `attempt` (0 for the first retry): `d = min(maxMs, initialMs·2^attempt)`,
 * then a uniformly random value in [d/2, d] ("equal jitter").
 *
 * @example backoffDelay(3, { initialMs: 1000, maxMs: 60000 }, () => 1) === 8000
 */
export function backoffDelay (attempt: number, opts: BackoffOptions, random: () => number = Math.random): number {
  const ceiling = Math.min(opts.maxMs, opts.initialMs * 2 ** Math.min(attempt, 30))
  return Math.round(ceiling / 2 + random() * ceiling / 2)
}
