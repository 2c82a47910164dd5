/**
 * The canonical encoding signatures are made over: JSON with every object's keys sorted (by
 * UTF-16 code unit, as `Array.prototype.sort` does), no whitespace, keys whose value is
 * `undefined` left out, strings and numbers exactly as `JSON.stringify` writes them. Any
 * implementation that follows these rules (RFC 8785 differs only for non-integer numbers, which
 * Storm bodies never contain) produces the same bytes for the same value.
 */

/** Deeper values than this are refused: untrusted input must not be able to exhaust the stack. */
export const MAX_JSON_DEPTH = 32

/** Thrown for a value that has no canonical encoding (too deep, not JSON). */
export class NotCanonicalError extends Error {
  constructor (reason: string) {
    super(reason)
    this.name = 'NotCanonicalError'
  }
}

/**
 * The canonical JSON text of `value`.
 *
 * @example canonicalJson({ b: 1, a: [true, 'x'] }) === '{"a":[true,"x"],"b":1}'
 * @throws NotCanonicalError when nested deeper than MAX_JSON_DEPTH or not plain JSON data.
 */
export function canonicalJson (value: unknown): string {
  return encode(value, 0)
}

function encode (value: unknown, depth: number): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value)
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new NotCanonicalError('non-finite number')
    return JSON.stringify(value)
  }
  if (depth >= MAX_JSON_DEPTH) throw new NotCanonicalError(`nested deeper than ${MAX_JSON_DEPTH}`)
  if (Array.isArray(value)) {
    // JSON.stringify writes holes and undefined in arrays as null: keep the same meaning
    return '[' + value.map(v => v === undefined ? 'null' : encode(v, depth + 1)).join(',') + ']'
  }
  if (typeof value === 'object' && isPlainObject(value)) {
    const parts: string[] = []
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key]
      if (v === undefined) continue
      parts.push(JSON.stringify(key) + ':' + encode(v, depth + 1))
    }
    return '{' + parts.join(',') + '}'
  }
  throw new NotCanonicalError(`not JSON data: ${typeof value}`)
}

function isPlainObject (value: object): boolean {
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}
