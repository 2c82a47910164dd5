/**
 * Fee units, one reading everywhere (chat, stormcli, stormd.conf): the base fee is whole
 * millisatoshis (the seed's `consensus_fee_base`), the rate is either the seed's decimal fraction
 * (`0.000001`) or parts per million with a suffix (`100ppm`). A bare whole number as a rate
 * (`100`) is refused: it could mean either, and 100 as a fraction is 10,000%.
 *
 * @example
 *   parseFeeRate('0.000001') // ok(1)
 *   parseFeeRate('100ppm')   // ok(100)
 *   parseFeeRate('100')      // err('FEE_RATE_AMBIGUOUS')
 */
import { err, ok, type Result } from './errors.ts'

/** The highest rate a channel takes (LND's limit): 100%. */
export const MAX_FEE_RATE_PPM = 1_000_000
/** The highest base fee the units accept: 1,000,000 sats (the Storm's rules bound votes lower). */
export const MAX_BASE_FEE_MSAT = 1_000_000_000n

/**
 * A base fee in millisatoshis: digits, optionally followed by `msat`.
 * Errors: `BAD_BASE_FEE` {value}.
 */
export function parseBaseFee (input: string): Result<bigint> {
  const m = /^\s*(\d{1,13})\s*(?:msat)?\s*$/i.exec(input.replace(/[,_]/g, ''))
  if (m === null) return err('BAD_BASE_FEE', { value: bounded(input) })
  const v = BigInt(m[1]!)
  if (v > MAX_BASE_FEE_MSAT) return err('BAD_BASE_FEE', { value: bounded(input) })
  return ok(v)
}

/**
 * A fee rate in whole parts per million, from `0.000001`-style fractions or `100ppm`.
 * Errors: `BAD_FEE_RATE` {value} (not a rate, above 100%, or a fraction finer than 1 ppm),
 * `FEE_RATE_AMBIGUOUS` {value, ppm, fraction} (a bare whole number other than 0).
 */
export function parseFeeRate (input: string): Result<number> {
  const text = input.trim()
  const ppm = /^(\d{1,7})\s*ppm$/i.exec(text)
  if (ppm !== null) {
    const v = Number(ppm[1])
    return v <= MAX_FEE_RATE_PPM ? ok(v) : err('BAD_FEE_RATE', { value: bounded(input) })
  }
  if (/^\d+$/.test(text) && Number(text) !== 0) {
    return err('FEE_RATE_AMBIGUOUS', { value: bounded(input), ppm: `${text}ppm`, fraction: (Number(text) / 1e6).toFixed(6) })
  }
  return fractionToPpm(text, input)
}

/** A number already read as a fraction (stormd.conf's `voteFeeRate=0.000001` parsed by JSON). */
export function fractionNumberToPpm (fraction: number): Result<number> {
  if (!Number.isFinite(fraction) || fraction < 0) return err('BAD_FEE_RATE', { value: String(fraction) })
  return fractionToPpm(fraction.toFixed(12).replace(/0+$/, ''), String(fraction))
}

/** `100` ppm → `0.0001`, as `getinfo` shows the rate. */
export function ppmToFraction (ppm: number): number {
  return ppm / 1e6
}

function fractionToPpm (text: string, input: string): Result<number> {
  // exact decimal arithmetic: 0.000001 must be 1 ppm, never 0.9999999
  const m = /^(\d*)\.?(\d*)$/.exec(text)
  if (m === null || text === '' || text === '.') return err('BAD_FEE_RATE', { value: bounded(input) })
  const whole = m[1] === '' ? 0 : Number(m[1])
  const frac = (m[2] ?? '').replace(/0+$/, '')
  if (frac.length > 6) return err('BAD_FEE_RATE', { value: bounded(input) })
  const v = whole * 1_000_000 + Number(frac.padEnd(6, '0'))
  if (!Number.isSafeInteger(v) || v > MAX_FEE_RATE_PPM) return err('BAD_FEE_RATE', { value: bounded(input) })
  return ok(v)
}

function bounded (s: string): string {
  return s.length > 40 ? s.slice(0, 40) + '…' : s
}
