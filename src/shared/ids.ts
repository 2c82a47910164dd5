/**
 * Identifiers people type: request ids in the seed's style (`jX78nVt`) and pairing codes
 * (`K7PX-Q2MD`, Crockford base32 without look-alike letters).
 */
import { randomInt } from 'node:crypto'

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'

/** A source of random integers in [0, max): the crypto RNG by default, a seeded one in tests. */
export type RandomInt = (max: number) => number

export const CRYPTO_RANDOM: RandomInt = (max) => randomInt(max)

/** A 7-character base62 id, distinct from every id in `taken`. */
export function shortId (taken: (id: string) => boolean, random: RandomInt = CRYPTO_RANDOM): string {
  for (;;) {
    let id = ''
    for (let i = 0; i < 7; i++) id += BASE62[random(BASE62.length)]
    if (!taken(id)) return id
  }
}

/** An 8-character pairing code with a dash in the middle: 40 bits from the crypto RNG. */
export function pairingCode (random: RandomInt = CRYPTO_RANDOM): string {
  let code = ''
  for (let i = 0; i < 8; i++) code += CROCKFORD[random(CROCKFORD.length)]
  return code.slice(0, 4) + '-' + code.slice(4)
}

/**
 * A pairing code as typed by a person, made canonical: case-insensitive, dash optional,
 * O read as 0, I and L as 1. Null when it cannot be a code.
 */
export function normalizePairingCode (text: string): string | null {
  const s = text.trim().toUpperCase().replace(/[-\s]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1')
  if (!/^[0-9A-HJKMNP-TV-Z]{8}$/.test(s)) return null
  return s.slice(0, 4) + '-' + s.slice(4)
}

/** A deterministic RandomInt (mulberry32) for tests and the demo's simulated members. */
export function seededRandom (seed: number): RandomInt {
  let a = seed >>> 0
  return (max) => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    const r = ((t ^ (t >>> 14)) >>> 0) / 4294967296
    return Math.floor(r * max)
  }
}
