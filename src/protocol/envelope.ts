/**
 * The signed envelope every Storm message travels in, version 2.
 *
 * Wire form: one UTF-8 JSON object per transport message, at most MAX_ENVELOPE_BYTES, written
 * as `{"sig":"<128 hex>",` followed by the rest of the envelope's JSON text: the sender writes
 * `U = JSON.stringify(envelope without sig)` and sends `'{"sig":"' + sig + '",' + U.slice(1)`.
 * Signature: ed25519 (the sender's Hyperswarm key) over the bytes of `'storm-envelope-v2\n' + U`,
 * U exactly as sent (the receiver puts the `{` back in front of what follows the signature), so
 * nothing is re-encoded to check it — version 1 signed a canonical re-encoding
 * (`canonical_json.ts`), which cost a receiver more than the signature check itself. The prefix
 * keeps an envelope signature from ever being mistaken for a signature over anything else the
 * same key signs (the pairing proof, the history).
 *
 * A version 1 envelope (or any other version) is refused as UNSUPPORTED_VERSION naming both
 * versions, before its signature is looked at; a v1 peer refuses ours the same way, so an old
 * stormd and a new manager say clearly why they cannot talk. History entries written by v1 quote
 * v1 envelopes; `envelopeVerifies` (history_entry.ts) still checks those the v1 way.
 */
import { randomBytes } from 'node:crypto'
import crypto from 'hypercore-crypto'
import { z } from 'zod'
import { StormError } from '../shared/errors.ts'
import { canonicalJson, MAX_JSON_DEPTH } from './canonical_json.ts'
import { AgentKeySchema, IdSchema, MESSAGE_BODIES } from './messages.ts'
import { compileAccepts, type Accepts } from './fast_accept.ts'
import type { ErrorMessageSchema, Message, MessageBody, MessageType } from './messages.ts'
import type { ReplayGuard } from './replay_guard.ts'
import type { KeyPair } from './keys.ts'

/** Largest encoded envelope accepted (and sent). */
export const MAX_ENVELOPE_BYTES = 64 * 1024
/** Longest lifetime an envelope may claim (`exp - ts`). */
export const MAX_TTL_MS = 10 * 60_000
/** Lifetime given to an envelope when the sender does not say. */
export const DEFAULT_TTL_MS = 60_000
/** How far the receiver's clock may disagree with the sender's before an envelope is EXPIRED. */
export const MAX_CLOCK_SKEW_MS = 30_000
/**
 * An upper bound on an encoded envelope's size beyond its JSON body (field names, keys, id,
 * numbers, signature), so a sender can refuse a too large body before sealing it.
 */
export const ENVELOPE_OVERHEAD_BYTES = 512

/** The envelope format this peer seals and opens (the bodies have their own `PROTOCOL_VERSION`). */
export const ENVELOPE_VERSION = 2
const SIGNING_PREFIX = 'storm-envelope-v2\n'
const SIGNING_PREFIX_V1 = 'storm-envelope-v1\n'
/** `{"sig":"` */
const SIG_OPEN = Buffer.from('{"sig":"')
const SIG_END = SIG_OPEN.length + 128
/** What the receiver puts before the bytes after the signature to get the signed bytes back. */
const SIGNED_HEAD = Buffer.from(SIGNING_PREFIX + '{')
const Timestamp = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER)

/** A message type name as it may appear on the wire; whether it is known is checked later. */
export const TypeNameSchema = z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, 'expected a message type name')

/** The signed envelope. `to` binds it to one receiver, so it cannot be replayed to another peer. */
export const EnvelopeSchema = z.strictObject({
  v: z.literal(ENVELOPE_VERSION),
  type: TypeNameSchema,
  /** Random, url-safe; the ref of any reply about this message. */
  id: IdSchema,
  /** The sender's ed25519 public key (its Hyperswarm key), hex. */
  from: AgentKeySchema,
  /** The intended receiver's public key, hex. */
  to: AgentKeySchema,
  /** Strictly increasing per sender (see SeqCounter). */
  seq: Timestamp,
  /** Sealed at, ms since the epoch (sender's clock). */
  ts: Timestamp,
  /** Expires at, ms: `ts < exp ≤ ts + MAX_TTL_MS`. */
  exp: Timestamp,
  body: z.custom<unknown>(v => v !== undefined, 'body is required'),
  /** ed25519 signature, hex, over the signing bytes (see the file comment). */
  sig: z.string().regex(/^[0-9a-f]{128}$/, 'expected 64 bytes of lowercase hex')
}).refine(e => e.ts < e.exp && e.exp <= e.ts + MAX_TTL_MS, { message: `expected ts < exp <= ts + ${MAX_TTL_MS}`, path: ['exp'] })
export type Envelope = z.infer<typeof EnvelopeSchema>

/**
 * An envelope as a third party can check it later: the exact text its sender signed (`U`, see
 * the file comment) and the signature. The history quotes agent messages this way.
 */
export interface QuotedEnvelope {
  v: typeof ENVELOPE_VERSION
  /** The envelope without its signature, as its sender encoded and signed it. */
  signed: string
  sig: string
}

/** The error codes a receiver answers with (the `code` of an `error` message). */
export type ProtocolErrorCode = z.infer<typeof ErrorMessageSchema>['code']

/** What `seal` needs besides the key pair. */
export interface SealInput<T extends MessageType> {
  type: T
  body: MessageBody<T>
  /** The receiver's public key, hex. */
  to: string
  seq: number
  /** The sender's clock, ms. */
  now: number
  /** Default DEFAULT_TTL_MS; at most MAX_TTL_MS. */
  ttlMs?: number
  /** Default a fresh random id; pass one to keep the id given out when the message was queued. */
  id?: string
}

/**
 * Seals a message: fills in version, id, sender, times, and signs.
 *
 * @example seal(keyPair, { type: 'heartbeat', body, to: managerKey, seq: seqs.next(), now: clock.now() })
 * @throws Error on a bad TTL or a body that is not JSON data (bugs); the body is not checked
 *   against its schema here (the link does that before sending).
 */
export function seal<T extends MessageType> (keyPair: KeyPair, input: SealInput<T>): Envelope {
  return sealUnchecked(keyPair, input)
}

/**
 * `seal` without the compile-time link between type and body: for tests and tools that need
 * to produce envelopes a correct sender would not.
 */
export function sealUnchecked (keyPair: KeyPair, input: { type: string, body: unknown, to: string, seq: number, now: number, ttlMs?: number, id?: string }): Envelope {
  const ttl = input.ttlMs ?? DEFAULT_TTL_MS
  if (!Number.isInteger(ttl) || ttl <= 0 || ttl > MAX_TTL_MS) throw new Error(`seal: ttlMs must be an integer in (0, ${MAX_TTL_MS}]`)
  const ts = Math.floor(input.now)
  const unsigned = {
    v: ENVELOPE_VERSION as typeof ENVELOPE_VERSION,
    type: input.type,
    id: input.id ?? newMessageId(),
    from: keyPair.publicKey.toString('hex'),
    to: input.to,
    seq: input.seq,
    ts,
    exp: ts + ttl,
    body: input.body
  }
  const sig = crypto.sign(signingBytes(unsigned), keyPair.secretKey).toString('hex')
  return { ...unsigned, sig }
}

/** The text a version 2 signature covers, less the prefix: the envelope without `sig` as JSON. */
export function signedText (envelope: Omit<Envelope, 'sig'> | Envelope): string {
  const { sig: _sig, ...rest } = envelope as Envelope
  return JSON.stringify(rest)
}

/** The bytes the signature covers: the prefix, then `signedText`. */
export function signingBytes (envelope: Omit<Envelope, 'sig'> | Envelope): Buffer {
  return Buffer.from(SIGNING_PREFIX + signedText(envelope), 'utf8')
}

/**
 * The bytes a version 1 signature covered: everything but `sig`, canonically encoded. Only for
 * checking what v1 peers signed (quoted in history written before version 2).
 * @throws NotCanonicalError for a value with no canonical form.
 */
export function signingBytesV1 (envelope: Record<string, unknown>): Buffer {
  const { sig: _sig, ...rest } = envelope
  return Buffer.from(SIGNING_PREFIX_V1 + canonicalJson(rest), 'utf8')
}

/**
 * The wire bytes of an envelope: its signature first, then the text it signs (see the file
 * comment). An envelope changed after sealing is sent as changed, and so fails its signature.
 */
export function encode (envelope: Envelope): Buffer {
  const text = signedText(envelope)
  return Buffer.from('{"sig":' + JSON.stringify(envelope.sig) + (text === '{}' ? '}' : ',' + text.slice(1)), 'utf8')
}

/**
 * The envelope as a third party can check it (see `QuotedEnvelope`): for one `openEnvelope`
 * returned, the text exactly as received; for any other, the text `encode` sends for it.
 */
export function quoteEnvelope (envelope: Envelope): QuotedEnvelope {
  return { v: ENVELOPE_VERSION, signed: OPENED.get(envelope) ?? signedText(envelope), sig: envelope.sig }
}

/** The signed text of each envelope `openEnvelope` returned, while the envelope lives. */
const OPENED = new WeakMap<Envelope, string>()

/** A fresh message id: 16 random bytes, base64url (22 characters). */
export function newMessageId (): string {
  return randomBytes(16).toString('base64url')
}

/** What `openEnvelope` needs to judge an envelope. */
export interface OpenOptions {
  /** The receiver's clock, ms. */
  now: number
  /** Our public key, hex: envelopes addressed to anyone else are refused. */
  self: string
  /** The connection's remote public key, hex: the envelope must come from it. */
  expectFrom?: string
  /** Remembers the sequence numbers seen per sender; updated by accepted envelopes. */
  replay: ReplayGuard
  /** Size limit, default MAX_ENVELOPE_BYTES; both ends of a link must agree on it. */
  maxBytes?: number
}

/**
 * A Result<Message>, plus on success the verified envelope (for the audit log) and on failure
 * the id of the offending message when it could be read (the `ref` of the error reply) and its
 * type (so nobody answers an `error` with an `error`).
 */
export type OpenResult =
  | { ok: true, value: Message, envelope: Envelope, signed: string }
  | { ok: false, error: StormError, ref?: string, type?: string }

/**
 * Checks received bytes and returns the message they carry. Checks, in order (the first that
 * fails gives the error code): size (TOO_LARGE), UTF-8 JSON object within depth and envelope
 * shape (MALFORMED), version (UNSUPPORTED_VERSION), addressed to us and sent by the connection's
 * peer (NOT_ALLOWED), signature (BAD_SIGNATURE), expiry and clock skew (EXPIRED), sequence
 * (REPLAYED — a signed envelope that passes this is recorded), known type (UNKNOWN_TYPE), body
 * against its schema (BAD_BODY). Errors are StormErrors with `params.detail`.
 */
export function openEnvelope (bytes: Uint8Array, opts: OpenOptions): OpenResult {
  const maxBytes = opts.maxBytes ?? MAX_ENVELOPE_BYTES
  if (bytes.byteLength > maxBytes) return fail('TOO_LARGE', `${bytes.byteLength} bytes, limit ${maxBytes}`)
  let raw: unknown
  let text: string
  try {
    // a byte order mark is kept (and refused by JSON.parse): the text must be the bytes signed
    text = DECODER.decode(bytes)
    raw = JSON.parse(text)
  } catch {
    return fail('MALFORMED', 'not UTF-8 JSON')
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail('MALFORMED', 'not a JSON object')
  const rawObj = raw as Record<string, unknown>
  const ref = ID_ACCEPTS(rawObj.id) || IdSchema.safeParse(rawObj.id).success ? rawObj.id as string : undefined
  const type = typeof rawObj.type === 'string' ? rawObj.type : undefined
  const failRef = (code: ProtocolErrorCode, detail: string): OpenResult => fail(code, detail, ref, type)

  if (!Number.isInteger(rawObj.v)) return failRef('MALFORMED', 'v: expected an integer version')
  if (rawObj.v !== ENVELOPE_VERSION) return failRef('UNSUPPORTED_VERSION', `envelope version ${String(rawObj.v)}, this peer speaks ${ENVELOPE_VERSION}`)
  const u8 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  // the signature leads, at a fixed place; what follows it is the signed text
  if (bytes.byteLength <= SIG_END + 1 || !u8.subarray(0, SIG_OPEN.length).equals(SIG_OPEN) || u8[SIG_END] !== 0x22 || u8[SIG_END + 1] !== 0x2c) {
    return failRef('MALFORMED', 'sig: expected first, as {"sig":"<128 hex>",')
  }
  if (jsonDepth(u8) > MAX_JSON_DEPTH) return failRef('MALFORMED', `nested deeper than ${MAX_JSON_DEPTH}`)
  // an envelope zod would take as it is needs no copy; any other is zod's to judge (fast_accept.ts)
  let env: Envelope
  if (ENVELOPE_ACCEPTS(raw)) env = raw as Envelope
  else {
    const shape = EnvelopeSchema.safeParse(raw)
    if (!shape.success) return failRef('MALFORMED', describeIssues(shape.error))
    env = shape.data
  }
  const sig = u8.toString('latin1', SIG_OPEN.length, SIG_END)
  // a second "sig" key further on would be the one JSON.parse kept: only the leading one counts
  if (sig !== env.sig) return failRef('MALFORMED', 'sig: given twice')

  if (env.to !== opts.self) return failRef('NOT_ALLOWED', 'addressed to another peer')
  if (opts.expectFrom !== undefined && env.from !== opts.expectFrom) return failRef('NOT_ALLOWED', 'from is not the connection\'s key')

  if (!crypto.verify(signedBytes(u8), hexInto(SIG_BYTES, sig), hexInto(KEY_BYTES, env.from))) {
    return failRef('BAD_SIGNATURE', 'signature does not verify for from')
  }

  if (env.ts > opts.now + MAX_CLOCK_SKEW_MS) return failRef('EXPIRED', `sealed ${env.ts - opts.now} ms in the future`)
  if (opts.now > env.exp + MAX_CLOCK_SKEW_MS) return failRef('EXPIRED', `expired ${opts.now - env.exp} ms ago`)

  if (!opts.replay.accept(env.from, env.seq)) return failRef('REPLAYED', `seq ${env.seq} not above ${opts.replay.last(env.from) ?? 0}`)

  if (!Object.hasOwn(MESSAGE_BODIES, env.type)) return failRef('UNKNOWN_TYPE', `unknown type ${env.type}`)
  const msgType = env.type as MessageType
  let body: unknown = env.body
  if (!bodyAccepts(msgType)(body)) {
    const parsed = MESSAGE_BODIES[msgType].safeParse(body)
    if (!parsed.success) return failRef('BAD_BODY', describeIssues(parsed.error))
    body = parsed.data
  }

  const message = { type: msgType, id: env.id, from: env.from, body } as Message
  // the signature's place held ASCII only (it matched env.sig), so characters and bytes agree up to it
  const signed = '{' + text.slice(SIG_END + 2)
  OPENED.set(env, signed)
  return { ok: true, value: message, envelope: env, signed }
}

const DECODER = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/** Quick yes for envelopes and bodies zod would take unchanged (null: always zod). */
const ENVELOPE_ACCEPTS: Accepts = compileAccepts(EnvelopeSchema) ?? (() => false)
const ID_ACCEPTS: Accepts = compileAccepts(IdSchema) ?? (() => false)
const BODY_ACCEPTS = new Map<MessageType, Accepts>()
function bodyAccepts (type: MessageType): Accepts {
  let accepts = BODY_ACCEPTS.get(type)
  if (accepts === undefined) {
    accepts = compileAccepts(MESSAGE_BODIES[type]) ?? (() => false)
    BODY_ACCEPTS.set(type, accepts)
  }
  return accepts
}

/** The signature and the sender's key as bytes, written in place for each check (64 and 32 bytes). */
const SIG_BYTES = Buffer.alloc(64)
const KEY_BYTES = Buffer.alloc(32)
/** `hex` (lowercase hex of exactly `into.length` bytes: the envelope schema checked it) written into `into`. */
function hexInto (into: Buffer, hex: string): Buffer {
  if (into.write(hex, 'hex') !== into.length) throw new Error('envelope: a checked hex field did not decode')
  return into
}

let scratch = Buffer.alloc(0)
/**
 * The bytes the signature covers — the prefix, then `{` and what follows the signature — put
 * together in a buffer kept for the purpose (the check reads them before the next envelope is
 * opened), not in a fresh one per envelope.
 */
function signedBytes (u8: Buffer): Buffer {
  const restLength = u8.byteLength - (SIG_END + 2)
  if (SIGNED_HEAD.length + restLength > scratch.length) {
    // grown to the largest envelope seen (at most the size limit), rounded up to 4 KiB
    scratch = Buffer.alloc(Math.ceil((SIGNED_HEAD.length + restLength) / 4096) * 4096)
    SIGNED_HEAD.copy(scratch)
  }
  u8.copy(scratch, SIGNED_HEAD.length, SIG_END + 2)
  return scratch.subarray(0, SIGNED_HEAD.length + restLength)
}

/**
 * How deeply the JSON text in `bytes` nests (strings skipped), for text JSON.parse accepted.
 * Untrusted input must not be able to make later walks over the value (history signing) exhaust
 * the stack.
 */
export function jsonDepth (bytes: Uint8Array): number {
  const n = bytes.length
  let depth = 0
  let max = 0
  let i = 0
  while (i < n) {
    const c = bytes[i++]!
    if (c === 0x22) {
      // a string: on to its closing quote, an escaped character skipped (a tight loop of its own:
      // most of an envelope's bytes are in strings)
      for (;;) {
        if (i >= n) return max
        const d = bytes[i++]!
        if (d === 0x22) break
        if (d === 0x5c) i++
      }
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) max = depth
    } else if (c === 0x7d || c === 0x5d) {
      depth--
    }
  }
  return max
}

/** A compact, value-free description of zod issues, within the `detail` limit of an error message. */
export function describeIssues (error: z.ZodError): string {
  const text = error.issues.slice(0, 3).map(i => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')
  return text.length > 500 ? text.slice(0, 497) + '...' : text
}

function fail (code: ProtocolErrorCode, detail: string, ref?: string, type?: string): OpenResult {
  return { ok: false, error: new StormError(code, { detail }), ...(ref !== undefined && { ref }), ...(type !== undefined && { type }) }
}
