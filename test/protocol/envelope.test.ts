import { test } from 'node:test'
import assert from 'node:assert/strict'
import crypto from 'hypercore-crypto'
import {
  canonicalJson, encode, generateKeyPair, MAX_CLOCK_SKEW_MS, MAX_ENVELOPE_BYTES, MAX_TTL_MS, MESSAGE_BODIES,
  openEnvelope, ReplayGuard, seal, sealUnchecked, SeqCounter, signingBytes, signingBytesV1, quoteEnvelope, ENVELOPE_VERSION
} from '../../src/protocol/index.ts'
import { envelopeVerifies, openQuotedEnvelope } from '../../src/protocol/history_entry.ts'
import type { Envelope, MessageType, OpenResult } from '../../src/protocol/index.ts'
import { ManualClock } from '../../src/shared/clock.ts'
import { SAMPLE_BODIES } from './sample_bodies.ts'

const NOW = Date.UTC(2026, 0, 1)
const alice = generateKeyPair()
const manager = generateKeyPair()
const mallory = generateKeyPair()
const MANAGER = manager.publicKey.toString('hex')
const ALICE = alice.publicKey.toString('hex')

function open (bytes: Uint8Array, opts: { now?: number, replay?: ReplayGuard, expectFrom?: string } = {}): OpenResult {
  return openEnvelope(bytes, { now: opts.now ?? NOW, self: MANAGER, replay: opts.replay ?? new ReplayGuard(), ...(opts.expectFrom !== undefined && { expectFrom: opts.expectFrom }) })
}

function sealed (overrides: { type?: string, body?: unknown, seq?: number, now?: number, to?: string, ttlMs?: number } = {}, keyPair = alice): Envelope {
  return sealUnchecked(keyPair, { type: 'heartbeat', body: SAMPLE_BODIES.heartbeat, to: MANAGER, seq: 1, now: NOW, ...overrides })
}

function codeOf (result: OpenResult): string {
  return result.ok ? 'OK' : result.error.code
}

test('every message type round-trips: seal, encode, open gives back the same message', () => {
  const seqs = new SeqCounter(new ManualClock(NOW))
  const replay = new ReplayGuard()
  for (const type of Object.keys(MESSAGE_BODIES) as MessageType[]) {
    const body = SAMPLE_BODIES[type]
    assert.ok(MESSAGE_BODIES[type].safeParse(body).success, `sample body for ${type} is valid`)
    const env = seal(alice, { type, body, to: MANAGER, seq: seqs.next(), now: NOW })
    const result = open(encode(env), { replay, expectFrom: ALICE })
    assert.ok(result.ok, `${type}: ${result.ok ? '' : result.error.code + ' ' + String(result.error.params.detail)}`)
    assert.deepEqual(result.value, { type, id: env.id, from: ALICE, body })
    assert.deepEqual(result.envelope, env)
  }
})

test('a sealed envelope has a url-safe random id, the sender key, and a bounded lifetime', () => {
  const a = sealed()
  const b = sealed()
  assert.match(a.id, /^[A-Za-z0-9_-]{22}$/)
  assert.notEqual(a.id, b.id)
  assert.equal(a.from, ALICE)
  assert.equal(a.v, 2)
  assert.equal(a.exp - a.ts, 60_000)
  assert.throws(() => sealed({ ttlMs: MAX_TTL_MS + 1 }), /ttlMs/)
})

const TAMPER_CASES: Array<{ field: keyof Envelope, tamper: (e: Envelope) => unknown, expected: string, expectFrom?: string }> = [
  { field: 'v', tamper: e => ({ ...e, v: 3 }), expected: 'UNSUPPORTED_VERSION' },
  { field: 'type', tamper: e => ({ ...e, type: 'report' }), expected: 'BAD_SIGNATURE' },
  { field: 'id', tamper: e => ({ ...e, id: e.id.slice(0, -1) + (e.id.endsWith('A') ? 'B' : 'A') }), expected: 'BAD_SIGNATURE' },
  { field: 'from', tamper: e => ({ ...e, from: mallory.publicKey.toString('hex') }), expected: 'BAD_SIGNATURE' },
  { field: 'from', tamper: e => ({ ...e, from: mallory.publicKey.toString('hex') }), expected: 'NOT_ALLOWED', expectFrom: ALICE },
  { field: 'to', tamper: e => ({ ...e, to: mallory.publicKey.toString('hex') }), expected: 'NOT_ALLOWED' },
  { field: 'seq', tamper: e => ({ ...e, seq: e.seq + 1 }), expected: 'BAD_SIGNATURE' },
  { field: 'ts', tamper: e => ({ ...e, ts: e.ts - 1 }), expected: 'BAD_SIGNATURE' },
  { field: 'exp', tamper: e => ({ ...e, exp: e.exp + 1 }), expected: 'BAD_SIGNATURE' },
  { field: 'body', tamper: e => ({ ...e, body: { ...e.body as object, at: 1 } }), expected: 'BAD_SIGNATURE' },
  { field: 'sig', tamper: e => ({ ...e, sig: (e.sig[0] === '0' ? '1' : '0') + e.sig.slice(1) }), expected: 'BAD_SIGNATURE' }
]

for (const { field, tamper, expected, expectFrom } of TAMPER_CASES) {
  test(`tampering with ${field}${expectFrom === undefined ? '' : ' (on a connection)'} gives ${expected}`, () => {
    const env = sealed()
    assert.equal(codeOf(open(encode(env), { ...(expectFrom !== undefined && { expectFrom }) })), 'OK', 'untampered opens')
    const bytes = encode(tamper(env) as Envelope)
    assert.equal(codeOf(open(bytes, { ...(expectFrom !== undefined && { expectFrom }) })), expected)
  })
}

test('the error carries the offending id and type when they can be read', () => {
  const env = sealed()
  const result = open(encode({ ...env, seq: 99 }))
  assert.equal(result.ok, false)
  assert.ok(!result.ok)
  assert.equal(result.ref, env.id)
  assert.equal(result.type, 'heartbeat')
  assert.match(String(result.error.params.detail), /signature/)
})

const MALFORMED_CASES: Array<{ description: string, bytes: Buffer, expected: string }> = [
  { description: 'not JSON', bytes: Buffer.from('hello'), expected: 'MALFORMED' },
  { description: 'not UTF-8', bytes: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), expected: 'MALFORMED' },
  { description: 'a JSON array', bytes: Buffer.from('[1,2]'), expected: 'MALFORMED' },
  { description: 'JSON null', bytes: Buffer.from('null'), expected: 'MALFORMED' },
  { description: 'no version', bytes: Buffer.from('{"type":"heartbeat"}'), expected: 'MALFORMED' },
  { description: 'a missing signature', bytes: Buffer.from(JSON.stringify({ ...sealed(), sig: undefined })), expected: 'MALFORMED' },
  { description: 'the signature last instead of first', bytes: Buffer.from(JSON.stringify(sealed())), expected: 'MALFORMED' },
  { description: 'an extra field', bytes: encode(resign({ ...sealed(), extra: 1 } as Envelope)), expected: 'MALFORMED' },
  { description: 'a byte order mark before the JSON', bytes: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), encode(sealed())]), expected: 'MALFORMED' },
  { description: 'a lifetime beyond the maximum', bytes: encode(resign({ ...sealed(), exp: NOW + MAX_TTL_MS + 1 })), expected: 'MALFORMED' },
  { description: 'exp before ts', bytes: encode(resign({ ...sealed(), exp: NOW - 1 })), expected: 'MALFORMED' },
  { description: 'a body nested 1000 deep', bytes: encode(sealedWithRawBody('['.repeat(1000) + ']'.repeat(1000))), expected: 'MALFORMED' },
  { description: 'a type that is not a name', bytes: encode(resign({ ...sealed(), type: 'Heart beat!' })), expected: 'MALFORMED' }
]

for (const { description, bytes, expected } of MALFORMED_CASES) {
  test(`${description} gives ${expected}`, () => {
    assert.equal(codeOf(open(bytes)), expected)
  })
}

test('an envelope over 64 KiB gives TOO_LARGE before it is parsed', () => {
  const big = sealed({ type: 'command_reply', body: { command: 'c1', ok: true, text: 'x'.repeat(MAX_ENVELOPE_BYTES) } })
  const bytes = encode(big)
  assert.ok(bytes.byteLength > MAX_ENVELOPE_BYTES)
  assert.equal(codeOf(open(bytes)), 'TOO_LARGE')
  assert.equal(codeOf(open(Buffer.alloc(MAX_ENVELOPE_BYTES + 1, 0x20))), 'TOO_LARGE')
})

test('the same bytes twice: the second is REPLAYED; a lower seq too; a higher one passes', () => {
  const replay = new ReplayGuard()
  const bytes = encode(sealed({ seq: 10 }))
  assert.equal(codeOf(open(bytes, { replay })), 'OK')
  assert.equal(codeOf(open(bytes, { replay })), 'REPLAYED')
  assert.equal(codeOf(open(encode(sealed({ seq: 9 })), { replay })), 'REPLAYED')
  assert.equal(codeOf(open(encode(sealed({ seq: 11 })), { replay })), 'OK')
  // kept per sender: another sender's low seq is its own business
  assert.equal(codeOf(open(encode(sealed({ seq: 1 }, mallory)), { replay })), 'OK')
})

test('expiry follows the receiver clock, with a bounded skew either way', () => {
  const env = sealed({ ttlMs: 1000 })
  const bytes = encode(env)
  assert.equal(codeOf(open(bytes, { now: env.exp + MAX_CLOCK_SKEW_MS })), 'OK', 'just within skew after exp')
  assert.equal(codeOf(open(bytes, { now: env.exp + MAX_CLOCK_SKEW_MS + 1 })), 'EXPIRED')
  assert.equal(codeOf(open(bytes, { now: env.ts - MAX_CLOCK_SKEW_MS })), 'OK', 'sender clock slightly ahead')
  assert.equal(codeOf(open(bytes, { now: env.ts - MAX_CLOCK_SKEW_MS - 1 })), 'EXPIRED', 'sealed too far in the future')
})

test('an expired envelope is not recorded as seen, so it does not block later ones', () => {
  const replay = new ReplayGuard()
  assert.equal(codeOf(open(encode(sealed({ seq: 50, now: NOW - 3_600_000 })), { replay })), 'EXPIRED')
  assert.equal(replay.last(ALICE), undefined)
})

test('a body that does not fit its type gives BAD_BODY, with the field named', () => {
  const result = open(encode(sealed({ type: 'directive', body: { ...SAMPLE_BODIES.directive, params: { peer: 'nope' } } })))
  assert.equal(codeOf(result), 'BAD_BODY')
  assert.ok(!result.ok)
  assert.match(String(result.error.params.detail), /params\.peer/)
})

test('a well-signed envelope of an unknown type gives UNKNOWN_TYPE (prototype names included)', () => {
  assert.equal(codeOf(open(encode(sealed({ type: 'launch_missiles', body: {} })))), 'UNKNOWN_TYPE')
  assert.equal(codeOf(open(encode(sealed({ type: 'constructor', body: {} })))), 'UNKNOWN_TYPE')
})

test('canonical JSON sorts keys at every depth and drops undefined', () => {
  assert.equal(canonicalJson({ b: 1, a: { d: [true, null, 'x'], c: undefined } }), '{"a":{"d":[true,null,"x"]},"b":1}')
})

test('the signature covers the bytes as sent: any byte changed after the signature fails, and so does the same envelope re-encoded', () => {
  const env = sealed({ type: 'report', body: SAMPLE_BODIES.report })
  const bytes = encode(env)
  assert.equal(codeOf(open(bytes)), 'OK')
  const head = '{"sig":"'.length + 128 + 2
  const opened = new Set<string>()
  for (let i = head; i < bytes.length; i++) {
    for (const flip of [0x01, 0x20]) {
      const changed = Buffer.from(bytes)
      changed[i]! ^= flip
      const code = codeOf(open(changed))
      if (code === 'OK') opened.add(`byte ${i} ^ ${flip}: ${changed.subarray(Math.max(0, i - 10), i + 10).toString()}`)
    }
  }
  assert.deepEqual([...opened], [], 'no changed byte opens')
  // the same fields in another order are other bytes: version 2 signs what was sent, not a re-encoding
  const { sig, ...rest } = env
  const reordered = Buffer.from(`{"sig":"${sig}",` + JSON.stringify(Object.fromEntries(Object.entries(rest).reverse())).slice(1))
  assert.equal(codeOf(open(reordered)), 'BAD_SIGNATURE')
  // a second sig further on, which JSON.parse would keep, is refused
  const twice = Buffer.from(bytes.toString().slice(0, -1) + `,"sig":"${'0'.repeat(128)}"}`)
  assert.equal(codeOf(open(twice)), 'MALFORMED')
})

test('a version 1 peer is told which versions differ, and is not judged by its signature', () => {
  const { sig: _sig, ...v2 } = sealed()
  const unsigned = { ...v2, v: 1 }
  const v1 = { ...unsigned, sig: crypto.sign(signingBytesV1(unsigned), alice.secretKey).toString('hex') }
  const result = open(Buffer.from(JSON.stringify(v1)))
  assert.ok(!result.ok)
  assert.equal(result.error.code, 'UNSUPPORTED_VERSION')
  assert.match(String(result.error.params.detail), /envelope version 1, this peer speaks 2/)
  assert.equal(result.ref, v1.id, 'the refusal names the message')
  assert.equal(ENVELOPE_VERSION, 2)
})

test('a quoted envelope (as the history keeps an agent message) verifies by its sender\'s key, and fails once changed', () => {
  const result = open(encode(sealed({ type: 'result', body: SAMPLE_BODIES.result })))
  assert.ok(result.ok)
  const quote = quoteEnvelope(result.envelope)
  assert.equal(quote.signed, result.signed, 'the text exactly as received')
  assert.deepEqual(openQuotedEnvelope(quote), result.envelope)
  assert.ok(envelopeVerifies(JSON.parse(JSON.stringify(quote))), 'survives storage as JSON')
  assert.equal(envelopeVerifies({ ...quote, signed: quote.signed.replace('"failed"', '"succeeded"') }), false)
  assert.equal(envelopeVerifies({ ...quote, signed: quote.signed.replace(`"from":"${ALICE}"`, `"from":"${mallory.publicKey.toString('hex')}"`) }), false)
  assert.equal(envelopeVerifies({ ...quote, sig: 'zz' }), false)
  assert.equal(envelopeVerifies(null), false)
  // history written before version 2 quotes whole v1 envelopes: still checked, the v1 way
  const { sig: _sig, ...v2 } = result.envelope
  const unsigned = { ...v2, v: 1 }
  const v1 = { ...unsigned, sig: crypto.sign(signingBytesV1(unsigned), alice.secretKey).toString('hex') }
  assert.equal(envelopeVerifies(v1), true)
  assert.equal(envelopeVerifies({ ...v1, seq: v1.seq + 1 }), false)
})

test('sequence numbers rise strictly, and start above a previous process\'s', () => {
  const clock = new ManualClock(NOW)
  const first = new SeqCounter(clock)
  const a = first.next()
  const b = first.next()
  assert.ok(b > a)
  clock.advance(1)
  const restarted = new SeqCounter(clock)
  assert.ok(restarted.next() > b)
})

/** Signs a modified envelope with alice's key as it stands, so only the modification is judged. */
function resign (env: Envelope): Envelope {
  const { sig: _sig, ...rest } = env
  return { ...rest, sig: crypto.sign(signingBytes(rest), alice.secretKey).toString('hex') }
}

/** An envelope whose body is raw JSON text (it cannot be signed canonically, nor need it be). */
function sealedWithRawBody (bodyJson: string): Envelope {
  return { ...sealed(), body: JSON.parse(bodyJson) as unknown }
}

test('an envelope nested too deep is refused before its signature is checked', () => {
  const deep = (n: number): unknown => n === 0 ? { '[': '{{{' } : { a: [deep(n - 1)] }
  // on the wire: a signed envelope whose body nests too deep is refused before its signature is checked
  const tooDeep = open(encode(sealed({ type: 'report', body: deep(20) })))
  assert.equal(codeOf(tooDeep), 'MALFORMED')
  assert.match(String(tooDeep.ok ? '' : tooDeep.error.params.detail), /nested deeper than 32/)
  assert.equal(codeOf(open(encode(sealed({ type: 'report', body: deep(14) })))), 'BAD_BODY', 'as deep as allowed: judged by its schema')
})

test('the depth of a text is what a plain walk of its bytes says, strings and escapes skipped (fuzzed, brackets and quotes inside strings)', async () => {
  const fc = (await import('fast-check')).default
  const { jsonDepth } = await import('../../src/protocol/envelope.ts')
  // the walk the receiver used before its loop was made faster: one byte at a time
  const reference = (bytes: Uint8Array): number => {
    let depth = 0
    let max = 0
    let inString = false
    for (let i = 0; i < bytes.length; i++) {
      const c = bytes[i]!
      if (inString) {
        if (c === 0x5c) i++
        else if (c === 0x22) inString = false
      } else if (c === 0x22) inString = true
      else if (c === 0x7b || c === 0x5b) max = Math.max(max, ++depth)
      else if (c === 0x7d || c === 0x5d) depth--
    }
    return max
  }
  fc.assert(fc.property(fc.json({ depthSize: 'medium' }), text => {
    const bytes = Buffer.from(text)
    assert.equal(jsonDepth(bytes), reference(bytes), text)
  }), { numRuns: 500 })
  for (const text of ['"\\\\"[[', '"a\\"[[["', '{"a":"\\u005b"}', '[', '"', '"\\']) assert.equal(jsonDepth(Buffer.from(text)), reference(Buffer.from(text)), text)
})

test('envelopes of very different sizes one after another: each is checked over its own bytes only', () => {
  const replay = new ReplayGuard()
  const big = { ...SAMPLE_BODIES.report, channels: Array.from({ length: 120 }, () => SAMPLE_BODIES.report.channels[0]!) }
  const small = encode(sealed({ seq: 2 }))
  assert.equal(codeOf(open(encode(sealed({ type: 'report', body: big, seq: 1 })), { replay })), 'OK')
  assert.equal(codeOf(open(small, { replay })), 'OK', 'a small one after a large one')
  const tampered = Buffer.from(small.toString().replace('"healthy":false', '"healthy":true '))
  assert.equal(codeOf(open(tampered, { replay })), 'BAD_SIGNATURE', 'no byte of the large one left to help it')
  assert.equal(codeOf(open(encode(sealed({ type: 'report', body: big, seq: 3 })), { replay })), 'OK')
})
