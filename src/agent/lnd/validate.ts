/** Argument checks shared by the LND use cases: bad input is `LN_INVALID_REQUEST`. */
import { StormError } from '../../shared/errors.ts'

export function invalid (reason: string, params: Record<string, string | number> = {}): StormError {
  return new StormError('LN_INVALID_REQUEST', { reason, ...params })
}

export function assertPublicKey (key: string, what = 'peer'): void {
  if (!/^0[23][0-9a-f]{64}$/i.test(key)) throw invalid(`${what} is not a node public key`, { [what]: key })
}

/** A positive whole number of sats. */
export function assertSats (value: number, what: string, min = 1): void {
  if (!Number.isSafeInteger(value) || value < min) throw invalid(`${what} must be a whole number of sats ≥ ${min}`, { [what]: value })
}

/** `block x tx x output`, lightning's short channel id form. */
export function assertChannelId (id: string, what = 'channel'): void {
  if (!/^\d+x\d+x\d+$/.test(id)) throw invalid(`${what} is not a short channel id`, { [what]: id })
}
