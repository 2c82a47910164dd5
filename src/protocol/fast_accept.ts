/**
 * A quick yes for values a zod schema accepts unchanged — the common case on the link, where
 * every report a stormd sends is valid — so the receiver pays zod's parse (issue lists, a copy of
 * every object and array) only for a value that may be refused or reshaped.
 *
 * `compileAccepts(schema)` walks the schema's definition once and returns a predicate, or null
 * when the schema uses anything it does not cover (unions, records, defaults, transforms, …: the
 * caller then parses with zod). The predicate answers true only when zod would accept the value
 * AND give back a value deep-equal to it: so it reads no further than zod's own rules —
 * the type tests of zod's parsers, written the same way, and zod's own check objects (regexes,
 * lengths counted in code points, integer and range bounds, refinements), run as zod runs them —
 * and it says no to whatever zod would reshape: an unknown key (stripped by `z.object`, refused
 * by `z.strictObject`), a key present with `undefined`, an object that is not a plain one.
 * False means only "ask zod": the caller then runs `safeParse`, whose answer (and its error
 * text) is the same as before. Thus `accepts(v) ⇒ schema.safeParse(v)` succeeds with data
 * deep-equal to `v`, and callers may use `v` itself as the parsed value.
 */
import type { z } from 'zod'

/** True: zod accepts the value as it is. False: ask zod. */
export type Accepts = (value: unknown) => boolean

/** Zod's internals as read here (zod 4: `schema._zod.def`, checks with `_zod.check`). */
interface Internals {
  def: Record<string, unknown> & { type: string, checks?: Check[] }
  traits: Set<string>
}
interface Check {
  _zod: {
    def: { check: string, when?: (payload: Payload) => boolean }
    check: (payload: Payload) => unknown
  }
}
interface Payload { value: unknown, issues: unknown[] }

/** The check kinds that only test the value (none rewrites it). */
const PURE_CHECKS = new Set([
  'number_format', 'greater_than', 'less_than', 'multiple_of',
  'max_length', 'min_length', 'length_equals', 'string_format', 'custom'
])

/** The predicate for `schema`, or null when `schema` uses what is not covered here. */
export function compileAccepts (schema: z.ZodType): Accepts | null {
  const node = compile(schema)
  if (node === null) return null
  return value => {
    try {
      return node(value)
    } catch {
      // a refinement that throws: zod's parse throws it to its caller as before
      return false
    }
  }
}

function internals (schema: unknown): Internals {
  return (schema as { _zod: Internals })._zod
}

function compile (schema: unknown): Accepts | null {
  const zod = internals(schema)
  const def = zod.def
  if (def.coerce === true) return null
  const own = zod.traits.has('$ZodCheck') ? [schema as Check] : []
  let test = typeTest(schema, def)
  for (const c of own.concat(def.checks ?? [])) {
    const check = checkTest(c)
    if (test === null || check === null) return null
    const first = test
    test = v => first(v) && check(v)
  }
  return test
}

/**
 * One zod check as a predicate on a value that passed its type test: the common ones written
 * out (the same comparisons zod makes), the others run through zod's own check object.
 */
function checkTest (c: Check): Accepts | null {
  const def = c._zod.def as Check['_zod']['def'] & Record<string, unknown>
  if (!PURE_CHECKS.has(def.check)) return null
  const zod = (): Accepts => v => passes(c, v)
  // a check zod runs only `when` something holds is run through zod, but for zod's default on
  // length checks (a value with a length: always so for the strings and arrays reaching them)
  if (def.when !== undefined && def.when.name !== '_whenHasLength') return zod()
  switch (def.check) {
    case 'number_format':
      return def.format === 'safeint' ? v => Number.isSafeInteger(v) : zod()
    case 'greater_than': {
      const bound = def.value
      if (typeof bound !== 'number') return zod()
      return def.inclusive === true ? v => (v as number) >= bound : v => (v as number) > bound
    }
    case 'less_than': {
      const bound = def.value
      if (typeof bound !== 'number') return zod()
      return def.inclusive === true ? v => (v as number) <= bound : v => (v as number) < bound
    }
    case 'max_length': {
      // zod counts a string's length in code points, never more than its UTF-16 units
      const max = def.maximum as number
      const slow = zod()
      return v => (v as { length: number }).length <= max || slow(v)
    }
    case 'min_length': {
      // a string of n units has at least n / 2 code points
      const min = def.minimum as number
      const slow = zod()
      return v => typeof v === 'string' ? v.length >= 2 * min || slow(v) : (v as unknown[]).length >= min
    }
    case 'string_format': {
      const pattern = def.pattern
      if (def.format !== 'regex' || !(pattern instanceof RegExp) || pattern.global || pattern.sticky) return zod()
      return v => pattern.test(v as string)
    }
    default: return zod()
  }
}

/** What zod's `_zod.parse` of each covered type accepts without changing it. */
function typeTest (schema: unknown, def: Internals['def']): Accepts | null {
  switch (def.type) {
    case 'string': return v => typeof v === 'string'
    case 'number': return v => typeof v === 'number' && !Number.isNaN(v) && Number.isFinite(v)
    case 'boolean': return v => typeof v === 'boolean'
    case 'literal': {
      const values = new Set(def.values as unknown[])
      return v => values.has(v)
    }
    case 'enum': {
      const values = new Set(Object.values(def.entries as Record<string, unknown>))
      // a numeric TypeScript enum's reverse mapping is not covered: let zod decide
      if ([...values].some(v => typeof v !== 'string')) return null
      return v => values.has(v)
    }
    case 'custom': return () => true // its test is its check (zod runs it the same way)
    case 'optional': {
      // `exactOptional` refuses an explicit undefined: not covered
      if (internals(schema).traits.has('$ZodExactOptional')) return null
      const inner = compile(def.innerType)
      if (inner === null) return null
      return v => v === undefined || inner(v)
    }
    case 'array': {
      const element = compile(def.element)
      if (element === null) return null
      return v => {
        if (!Array.isArray(v)) return false
        for (let i = 0; i < v.length; i++) {
          const x: unknown = v[i]
          // a hole or undefined in an array: zod fills it in, so it is not kept unchanged
          if (x === undefined || !element(x)) return false
        }
        return true
      }
    }
    case 'object': return objectTest(def)
    default: return null
  }
}

function objectTest (def: Internals['def']): Accepts | null {
  // z.object strips unknown keys, z.strictObject refuses them: either way they are zod's to judge
  const catchall = def.catchall
  if (catchall !== undefined && internals(catchall).def.type !== 'never') return null
  const shape = def.shape as Record<string, unknown>
  const fields: Array<{ key: string, test: Accepts, optional: boolean }> = []
  const keys = new Set<string>()
  for (const key of Object.keys(shape)) {
    if (key === '__proto__') return null
    const field = internals(shape[key])
    const optional = field.def.type === 'optional'
    const test = compile(shape[key])
    if (test === null) return null
    fields.push({ key, test, optional })
    keys.add(key)
  }
  return v => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return false
    const proto: unknown = Object.getPrototypeOf(v)
    if (proto !== Object.prototype && proto !== null) return false
    const o = v as Record<string, unknown>
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i]!
      const x = o[f.key]
      if (x === undefined) {
        if (!f.optional) return false
      } else if (!f.test(x)) return false
    }
    // no key zod would strip or refuse, and none present with undefined (zod would keep it so)
    for (const k in o) if (!keys.has(k) || o[k] === undefined) return false
    return true
  }
}

/** One payload for every check run through zod (they run synchronously, one at a time). */
const PAYLOAD: Payload = { value: undefined, issues: [] }

/** Runs one zod check on `value` as zod's `runChecks` does on a value that passed its type test. */
function passes (check: Check, value: unknown): boolean {
  const c = check._zod
  const p = PAYLOAD
  p.value = value
  p.issues.length = 0
  try {
    const when = c.def.when
    if (when !== undefined && !when(p)) return true
    // an async check returns a promise: not covered (zod's synchronous parse throws for it)
    const r = c.check(p)
    return r === undefined && p.issues.length === 0
  } finally {
    p.issues.length = 0
    p.value = undefined
  }
}
