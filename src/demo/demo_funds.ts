/** `STORM_DEMO_FUNDS`: your demo node's sats on chain (0: arrive with nothing and be lifted). */
import { StormError } from '../shared/errors.ts'

/** Undefined when unset; throws `BAD_DEMO_FUNDS` {value} for anything but a whole number of sats up to 21e14. */
export function demoFunds (value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined
  const n = Number(value.trim())
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n > 21e14) throw new StormError('BAD_DEMO_FUNDS', { value: value.slice(0, 32) })
  return n
}
