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
  const g: Gen = { consts: [], vars: 0 }
  const body = gen(schema, 'v0', g)
  if (body === null) return null
  // one straight function per schema (as zod's own JIT does), its constants passed in: regexes,
  // zod's check objects; keys are the schema's own, quoted by JSON.stringify
  let node: Accepts
  try {
    node = new Function('C', `return function accepts (v0) {\n${body}return true\n}`)(g.consts) as Accepts
  } catch {
    // code generation not allowed in this process (--disallow-code-generation-from-strings): zod alone
    return null
  }
  return value => {
    try {
      return node(value)
    } catch {
      // a refinement that throws: zod's parse throws it to its caller as before
      return false
    }
  }
}

interface Gen { consts: unknown[], vars: number }

function internals (schema: unknown): Internals {
  return (schema as { _zod: Internals })._zod
}

function constant (g: Gen, value: unknown): string {
  g.consts.push(value)
  return `C[${g.consts.length - 1}]`
}

/** Statements that `return false` unless the value in variable `v` is accepted unchanged. */
function gen (schema: unknown, v: string, g: Gen): string | null {
  const zod = internals(schema)
  const def = zod.def
  if (def.coerce === true) return null
  const type = typeTest(schema, def, v, g)
  if (type === null) return null
  let code = type
  const own = zod.traits.has('$ZodCheck') ? [schema as Check] : []
  for (const c of own.concat(def.checks ?? [])) {
    const check = checkTest(c, def.type, v, g)
    if (check === null) return null
    code += check
  }
  return code
}

/**
 * One zod check on a value that passed its type test: the common ones written out (the same
 * comparisons zod makes), the others run through zod's own check object.
 */
function checkTest (c: Check, type: string, v: string, g: Gen): string | null {
  const def = c._zod.def as Check['_zod']['def'] & Record<string, unknown>
  if (!PURE_CHECKS.has(def.check)) return null
  const zod = (): string => `if (!${constant(g, (x: unknown) => passes(c, x))}(${v})) return false\n`
  // a check zod runs only `when` something holds is run through zod, but for zod's default on
  // length checks (a value with a length: always so for the strings and arrays reaching them)
  if (def.when !== undefined && def.when.name !== '_whenHasLength') return zod()
  const text = type === 'string'
  switch (def.check) {
    case 'number_format':
      return def.format === 'safeint' ? `if (!Number.isSafeInteger(${v})) return false\n` : zod()
    case 'greater_than':
    case 'less_than': {
      const bound = def.value
      if (typeof bound !== 'number' || !Number.isFinite(bound)) return zod()
      const op = def.check === 'greater_than' ? (def.inclusive === true ? '>=' : '>') : (def.inclusive === true ? '<=' : '<')
      return `if (!(${v} ${op} ${String(bound)})) return false\n`
    }
    case 'max_length': {
      // zod counts a string's length in code points, never more than its UTF-16 units
      const max = def.maximum
      if (typeof max !== 'number' || (type !== 'string' && type !== 'array')) return zod()
      return `if (${v}.length > ${max}${text ? ` && !${constant(g, (x: unknown) => passes(c, x))}(${v})` : ''}) return false\n`
    }
    case 'min_length': {
      // a string of n units has at least n / 2 code points
      const min = def.minimum
      if (typeof min !== 'number' || (type !== 'string' && type !== 'array')) return zod()
      return text
        ? `if (${v}.length < ${2 * min} && !${constant(g, (x: unknown) => passes(c, x))}(${v})) return false\n`
        : `if (${v}.length < ${min}) return false\n`
    }
    case 'string_format': {
      const pattern = def.pattern
      if (def.format !== 'regex' || !(pattern instanceof RegExp) || pattern.global || pattern.sticky) return zod()
      return patternCode(pattern, v, g) ?? `if (!${constant(g, pattern)}.test(${v})) return false\n`
    }
    default: return zod()
  }
}

/** What zod's `_zod.parse` of each covered type accepts without changing it. */
function typeTest (schema: unknown, def: Internals['def'], v: string, g: Gen): string | null {
  switch (def.type) {
    case 'string': return `if (typeof ${v} !== 'string') return false\n`
    // Number.isFinite is false for NaN too
    case 'number': return `if (typeof ${v} !== 'number' || !Number.isFinite(${v})) return false\n`
    case 'boolean': return `if (typeof ${v} !== 'boolean') return false\n`
    case 'literal': return `if (!${constant(g, new Set(def.values as unknown[]))}.has(${v})) return false\n`
    case 'enum': {
      const values = Object.values(def.entries as Record<string, unknown>)
      // a numeric TypeScript enum's reverse mapping is not covered: let zod decide
      if (values.some(x => typeof x !== 'string')) return null
      return `if (!${constant(g, new Set(values))}.has(${v})) return false\n`
    }
    case 'custom': return '' // its test is its check (zod runs it the same way)
    case 'optional': {
      // `exactOptional` refuses an explicit undefined: not covered
      if (internals(schema).traits.has('$ZodExactOptional')) return null
      const inner = gen(def.innerType, v, g)
      if (inner === null) return null
      return `if (${v} !== undefined) {\n${inner}}\n`
    }
    case 'array': {
      const i = `i${++g.vars}`
      const e = `v${++g.vars}`
      const element = gen(def.element, e, g)
      if (element === null) return null
      // a hole or undefined in an array: zod fills it in, so it is not kept unchanged
      return `if (!Array.isArray(${v})) return false\nfor (let ${i} = 0; ${i} < ${v}.length; ${i}++) {\nconst ${e} = ${v}[${i}]\nif (${e} === undefined) return false\n${element}}\n`
    }
    case 'object': return objectTest(def, v, g)
    default: return null
  }
}

function objectTest (def: Internals['def'], v: string, g: Gen): string | null {
  // z.object strips unknown keys, z.strictObject refuses them: either way they are zod's to judge
  const catchall = def.catchall
  if (catchall !== undefined && internals(catchall).def.type !== 'never') return null
  const shape = def.shape as Record<string, unknown>
  const proto = `p${++g.vars}`
  let code = `if (typeof ${v} !== 'object' || ${v} === null || Array.isArray(${v})) return false\n` +
    `const ${proto} = Object.getPrototypeOf(${v})\nif (${proto} !== Object.prototype && ${proto} !== null) return false\n`
  const keys = Object.keys(shape)
  for (const key of keys) {
    if (key === '__proto__') return null
    const f = `v${++g.vars}`
    const optional = internals(shape[key]).def.type === 'optional'
    const test = gen(shape[key], f, g)
    if (test === null) return null
    code += `const ${f} = ${v}[${JSON.stringify(key)}]\n` + (optional ? `${test}` : `if (${f} === undefined) return false\n${test}`)
  }
  // no key zod would strip or refuse, and none present with undefined (zod would keep it so)
  const k = `k${++g.vars}`
  code += `for (const ${k} in ${v}) {\nswitch (${k}) {\n${keys.map(key => `case ${JSON.stringify(key)}:`).join(' ')}${keys.length > 0 ? ' break\n' : ''}default: return false\n}\nif (${v}[${k}] === undefined) return false\n}\n`
  return code
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

/** One position of a simple pattern: a set of UTF-16 code units, how many of them. */
interface Atom { ranges: Array<[number, number]>, min: number, max: number }

/**
 * A simple anchored pattern — `^`, then characters, `\\d` and `[...]` sets (no negation, no
 * escapes inside), each once or with `{n}`, `{n,m}`, `{n,}`, `+`, `*`, `?`, then `$`, no flags —
 * as its atoms; null for any other. Matching those greedily, without going back, finds what the
 * RegExp finds when each run of varying length is followed by a set it shares no character with
 * (checked here) or by the end: a run can then only stop where the RegExp's does.
 */
export function simplePattern (re: RegExp): Atom[] | null {
  if (re.flags !== '') return null
  const src = re.source
  if (!src.startsWith('^') || !src.endsWith('$') || src.endsWith('\\$')) return null
  const atoms: Atom[] = []
  const LITERAL = /[A-Za-z0-9_:@,\- ]/
  let i = 1
  const end = src.length - 1
  while (i < end) {
    let ranges: Array<[number, number]>
    const ch = src[i]!
    if (ch === '[') {
      const close = src.indexOf(']', i + 1)
      if (close < 0) return null
      const body = src.slice(i + 1, close)
      if (body.length === 0 || body.startsWith('^') || body.includes('\\') || body.includes('[')) return null
      ranges = []
      for (let j = 0; j < body.length; j++) {
        const a = body.charCodeAt(j)
        if (body[j + 1] === '-' && j + 2 < body.length) {
          const b = body.charCodeAt(j + 2)
          if (b < a) return null
          ranges.push([a, b])
          j += 2
        } else ranges.push([a, a])
      }
      i = close + 1
    } else if (ch === '\\' && src[i + 1] === 'd') {
      ranges = [[48, 57]]
      i += 2
    } else if (LITERAL.test(ch)) {
      ranges = [[ch.charCodeAt(0), ch.charCodeAt(0)]]
      i += 1
    } else return null
    let min = 1
    let max = 1
    const q = src[i]
    if (q === '+') { max = Infinity; i++ } else if (q === '*') { min = 0; max = Infinity; i++ } else if (q === '?') { min = 0; i++ } else if (q === '{') {
      const m = /^\{(\d{1,4})(,(\d{0,4}))?\}/.exec(src.slice(i))
      if (m === null) return null
      min = Number(m[1])
      max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3])
      if (max < min) return null
      i += m[0].length
    }
    if (src[i] === '?' || src[i] === '+' || src[i] === '{' || src[i] === '*') return null // lazy or possessive-looking: not covered
    atoms.push({ ranges, min, max })
  }
  if (i !== end) return null
  for (let k = 0; k < atoms.length; k++) {
    const a = atoms[k]!
    if (a.min === a.max) continue
    const next = atoms[k + 1]
    if (next === undefined) continue
    // the next set must start right here (at least once) and share nothing with this one
    if (next.min < 1 || next.ranges.some(([x, y]) => a.ranges.some(([u, w]) => x <= w && u <= y))) return null
  }
  return atoms
}

/** Code that `return false`s unless the string in `v` matches `re` (a simple pattern); null otherwise. */
function patternCode (re: RegExp, v: string, g: Gen): string | null {
  const atoms = simplePattern(re)
  if (atoms === null) return null
  const n = `n${++g.vars}`
  const p = `q${++g.vars}`
  const c = `c${++g.vars}`
  const inSet = (ranges: Array<[number, number]>): string => ranges.map(([a, b]) => a === b ? `${c} === ${a}` : `(${c} >= ${a} && ${c} <= ${b})`).join(' || ')
  let code = `{\nconst ${n} = ${v}.length\nlet ${p} = 0\nlet ${c} = 0\n`
  for (const a of atoms) {
    if (a.min === a.max) {
      code += `if (${p} + ${a.min} > ${n}) return false\nfor (const e = ${p} + ${a.min}; ${p} < e; ${p}++) {\n${c} = ${v}.charCodeAt(${p})\nif (!(${inSet(a.ranges)})) return false\n}\n`
    } else {
      const s = `s${++g.vars}`
      const limit = a.max === Infinity ? '' : ` && ${p} - ${s} < ${a.max}`
      code += `const ${s} = ${p}\nwhile (${p} < ${n}${limit}) {\n${c} = ${v}.charCodeAt(${p})\nif (!(${inSet(a.ranges)})) break\n${p}++\n}\nif (${p} - ${s} < ${a.min}) return false\n`
    }
  }
  return code + `if (${p} !== ${n}) return false\n}\n`
}

/** `re.test` for a string, as compiled here (tests compare the two); null for a pattern not covered. */
export function compilePattern (re: RegExp): ((s: string) => boolean) | null {
  const g: Gen = { consts: [], vars: 0 }
  const code = patternCode(re, 'v0', g)
  if (code === null) return null
  // (tests only: a process that forbids code generation has compileAccepts return null before this)
  return new Function('C', `return function matches (v0) {\n${code}return true\n}`)(g.consts) as (s: string) => boolean
}
