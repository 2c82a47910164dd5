/**
 * A small seeded PRNG (xoshiro128**, seeded through splitmix32) so a simulated network is a pure
 * function of its seed and the operations run on it: same seed, same keys, txids, hashes.
 */

/** A deterministic source of random numbers. */
export interface Prng {
  /** A uniform 32-bit unsigned integer. */
  u32 (): number
  /** A uniform float in [0, 1). */
  float (): number
  /** A uniform integer in [0, n). */
  int (n: number): number
  /** `bytes` random bytes as lowercase hex. */
  hex (bytes: number): string
}

/**
 * Creates a PRNG from a numeric or text seed.
 *
 * @example
 *   const rng = createPrng('bench-1')
 *   const pick = rng.int(10)
 */
export function createPrng (seed: number | string): Prng {
  let h = seedHash(seed)
  const next = (): number => {
    // splitmix32: spreads one 32-bit seed over xoshiro's 128-bit state
    h = (h + 0x9e3779b9) | 0
    let z = h
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
    return (z ^ (z >>> 16)) >>> 0
  }
  let a = next()
  let b = next()
  let c = next()
  let d = next()
  if ((a | b | c | d) === 0) a = 1
  const u32 = (): number => {
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0
    const t = b << 9
    c ^= a
    d ^= b
    b ^= c
    a ^= d
    c ^= t
    d = rotl(d, 11)
    return result
  }
  return {
    u32,
    float: () => u32() / 4294967296,
    int: (n: number) => Math.floor((u32() / 4294967296) * n),
    hex (bytes: number): string {
      let out = ''
      for (let i = 0; i < bytes; i += 4) {
        const word = u32().toString(16).padStart(8, '0')
        out += bytes - i >= 4 ? word : word.slice(0, (bytes - i) * 2)
      }
      return out
    }
  }
}

function rotl (x: number, k: number): number {
  return (x << k) | (x >>> (32 - k))
}

/** FNV-1a over the seed's text, so `1` and `'1'` give the same stream. */
function seedHash (seed: number | string): number {
  const text = String(seed)
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}
