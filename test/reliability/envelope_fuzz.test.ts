/**
 * The protocol decoder against whatever a peer may send: random bytes, random JSON, a valid
 * envelope with one field changed, a signed envelope whose body is wrong in one place. It never
 * throws; garbage is always a typed error (one of the protocol's codes); nothing changed in
 * transit is accepted; a signed body is accepted exactly when its schema accepts it.
 * (fast-check: each property runs on a few hundred generated inputs, shrunk to the smallest
 * failing one if any fails.)
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import {
  encode, generateKeyPair, MESSAGE_BODIES, openEnvelope, ReplayGuard, seal, sealUnchecked, ErrorMessageSchema
} from '../../src/protocol/index.ts'
import type { MessageType, OpenResult } from '../../src/protocol/index.ts'
import { StormError } from '../../src/shared/errors.ts'
import { SAMPLE_BODIES } from '../protocol/sample_bodies.ts'

const sender = generateKeyPair()
const receiver = generateKeyPair()
const SELF = receiver.publicKey.toString('hex')
const FROM = sender.publicKey.toString('hex')
const NOW = 1_767_225_600_000
const CODES = new Set<string>(ErrorMessageSchema.shape.code.options)
const TYPES = Object.keys(MESSAGE_BODIES) as MessageType[]

/** Opens bytes as the manager would, with a fresh replay guard; throws only if the decoder does. */
function open (bytes: Uint8Array, replay = new ReplayGuard()): OpenResult {
  return openEnvelope(bytes, { now: NOW, self: SELF, expectFrom: FROM, replay })
}

function assertTypedError (r: OpenResult, what: string): void {
  assert.equal(r.ok, false, `${what} was accepted`)
  if (r.ok) return
  assert.ok(r.error instanceof StormError, what)
  assert.ok(CODES.has(r.error.code), `${what}: ${r.error.code} is not a protocol error code`)
  assert.equal(typeof r.error.params.detail, 'string')
}

const valid = seal(sender, { type: 'heartbeat', body: SAMPLE_BODIES.heartbeat, to: SELF, seq: 1, now: NOW })

test('random bytes from a peer: never a throw, always a typed error', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 4096 }), bytes => {
    assertTypedError(open(bytes), 'random bytes')
  }), { numRuns: 500 })
})

test('random JSON from a peer, envelope-shaped or not: never a throw, always a typed error', () => {
  const envelopeish = fc.record({
    v: fc.oneof(fc.constant(1), fc.jsonValue()),
    type: fc.oneof(fc.constantFrom(...TYPES), fc.string()),
    id: fc.oneof(fc.string(), fc.jsonValue()),
    from: fc.oneof(fc.constant(FROM), fc.string()),
    to: fc.oneof(fc.constant(SELF), fc.string()),
    seq: fc.oneof(fc.nat(), fc.jsonValue()),
    ts: fc.oneof(fc.constant(NOW), fc.jsonValue()),
    exp: fc.oneof(fc.constant(NOW + 60_000), fc.jsonValue()),
    body: fc.jsonValue(),
    sig: fc.oneof(fc.uint8Array({ minLength: 64, maxLength: 64 }).map(b => Buffer.from(b).toString('hex')), fc.string())
  }, { requiredKeys: [] })
  fc.assert(fc.property(fc.oneof(fc.jsonValue(), envelopeish), value => {
    assertTypedError(open(Buffer.from(JSON.stringify(value) ?? 'null')), 'random JSON')
  }), { numRuns: 500 })
})

test('a valid envelope with one field changed in transit: never a throw, never accepted unless nothing changed', () => {
  const fields = Object.keys(valid) as Array<keyof typeof valid>
  fc.assert(fc.property(fc.constantFrom(...fields), fc.jsonValue(), (field, value) => {
    const changed = { ...valid, [field]: value }
    const r = open(Buffer.from(JSON.stringify(changed)))
    if (JSON.stringify(value) === JSON.stringify(valid[field])) return
    assertTypedError(r, `${field} changed to ${JSON.stringify(value)?.slice(0, 60)}`)
  }), { numRuns: 500 })
  assert.equal(open(encode(valid)).ok, true, 'the unchanged envelope is accepted')
})

/** Every path to a value inside a body. */
function paths (v: unknown, at: Array<string | number> = []): Array<Array<string | number>> {
  if (v === null || typeof v !== 'object') return [at]
  const entries = Array.isArray(v) ? v.map((x, i) => [i, x] as const) : Object.entries(v)
  return [at, ...entries.flatMap(([k, x]) => paths(x, [...at, k]))]
}

function replaced (body: unknown, path: Array<string | number>, value: unknown): unknown {
  if (path.length === 0) return value
  const copy = structuredClone(body) as Record<string | number, unknown>
  let node = copy
  for (const k of path.slice(0, -1)) node = node[k] as Record<string | number, unknown>
  node[path.at(-1)!] = value
  return copy
}

test('every message type, signed by its sender with one value of its body replaced: accepted exactly when the body\'s schema accepts it', () => {
  const cases = TYPES.flatMap(type => paths(SAMPLE_BODIES[type]).map(path => ({ type, path })))
  fc.assert(fc.property(fc.constantFrom(...cases), fc.jsonValue({ maxDepth: 2 }), ({ type, path }, value) => {
    const body = replaced(SAMPLE_BODIES[type], path, value)
    const env = sealUnchecked(sender, { type, body, to: SELF, seq: 1, now: NOW })
    const r = open(encode(env))
    const valid = MESSAGE_BODIES[type].safeParse(body).success
    if (valid) assert.equal(r.ok, true, `${type} ${path.join('.')} = ${JSON.stringify(value)}`)
    else {
      assertTypedError(r, `${type} ${path.join('.')}`)
      if (!r.ok) assert.ok(r.error.code === 'BAD_BODY' || r.error.code === 'MALFORMED', `${type}: ${r.error.code}`)
    }
  }), { numRuns: 1000 })
})

test('bad input, one table for every message type: a body of the wrong kind, empty, or with each field of the wrong type is BAD_BODY', (t) => {
  const WRONG: unknown[] = [null, 'text', 42, true, [], [[[]]], { unexpected: { nested: [1] } }]
  let cases = 0
  for (const type of TYPES) {
    const sample = SAMPLE_BODIES[type] as Record<string, unknown>
    const bodies: Array<{ description: string, body: unknown }> = [
      { description: 'null', body: null },
      { description: 'a string', body: 'hello' },
      { description: 'an array', body: [sample] },
      ...(Object.keys(sample).length > 0 ? [{ description: 'an empty object', body: {} }] : []),
      ...Object.keys(sample).flatMap(key => WRONG
        .filter(w => !MESSAGE_BODIES[type].safeParse({ ...sample, [key]: w }).success)
        .map(w => ({ description: `${key} = ${JSON.stringify(w)}`, body: { ...sample, [key]: w } })))
    ]
    for (const { description, body } of bodies) {
      if (MESSAGE_BODIES[type].safeParse(body).success) continue // e.g. a body with no required field
      const r = open(encode(sealUnchecked(sender, { type, body, to: SELF, seq: 1, now: NOW })))
      assert.ok(!r.ok && r.error.code === 'BAD_BODY', `${type}, ${description}: ${r.ok ? 'accepted' : r.error.code}`)
      cases++
    }
  }
  assert.ok(cases > 100, `${cases} cases`)
  t.diagnostic(`${cases} bad bodies over ${TYPES.length} message types`)
})
