/**
 * The signed envelope every Storm message travels in, version 1.
 *
 * Wire form: UTF-8 JSON of the envelope object, one envelope per transport message, at most
 * MAX_ENVELOPE_BYTES. Signature: ed25519 (the sender's Hyperswarm key) over the bytes of
 * `'storm-envelope-v1\n' + canonicalJson(envelope without sig)` — see canonical_json.ts for the
 * rules. The prefix keeps an envelope signature from ever being mistaken for a signature over
 * anything else the same key signs (the pairing proof).
 */
import { randomBytes } from 'node:crypto'
import crypto from 'hypercore-crypto'
import { z } from 'zod'
import { StormError } from '../shared/errors.ts'
import { canonicalJson, NotCanonicalError } from './canonical_json.ts'
import { AgentKeySchema, IdSchema, MESSAGE_BODIES, PROTOCOL_VERSION } from './messages.ts'
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

const SIGNING_PREFIX = 'storm-envelope-v1\n'
const Timestamp = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER)

/** A message type name as it may appear on the wire; whether it is known is checked later. */
export const TypeNameSchema = z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, 'expected a message type name')

/** The signed envelope. `to` binds it to one receiver, so it cannot be replayed to another peer. */
export const EnvelopeSchema = z.strictObject({
  v: z.literal(PROTOCOL_VERSION),
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
    v: PROTOCOL_VERSION as typeof PROTOCOL_VERSION,
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

/** The bytes the signature covers: everything but `sig`, canonically encoded. */
export function signingBytes (envelope: Omit<Envelope, 'sig'> | Envelope): Buffer {
  const { sig: _sig, ...rest } = envelope as Envelope
  return Buffer.from(SIGNING_PREFIX + canonicalJson(rest), 'utf8')
}

/** The wire bytes of an envelope. */
export function encode (envelope: Envelope): Buffer {
  return Buffer.from(JSON.stringify(envelope), 'utf8')
}

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
  | { ok: true, value: Message, envelope: Envelope }
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
  try {
    raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes))
  } catch {
    return fail('MALFORMED', 'not UTF-8 JSON')
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail('MALFORMED', 'not a JSON object')
  const rawObj = raw as Record<string, unknown>
  const ref = IdSchema.safeParse(rawObj.id).success ? rawObj.id as string : undefined
  const type = typeof rawObj.type === 'string' ? rawObj.type : undefined
  const failRef = (code: ProtocolErrorCode, detail: string): OpenResult => fail(code, detail, ref, type)

  if (!Number.isInteger(rawObj.v)) return failRef('MALFORMED', 'v: expected an integer version')
  if (rawObj.v !== PROTOCOL_VERSION) return failRef('UNSUPPORTED_VERSION', `version ${String(rawObj.v)}, this peer speaks ${PROTOCOL_VERSION}`)
  const shape = EnvelopeSchema.safeParse(raw)
  if (!shape.success) return failRef('MALFORMED', describeIssues(shape.error))
  const env = shape.data

  if (env.to !== opts.self) return failRef('NOT_ALLOWED', 'addressed to another peer')
  if (opts.expectFrom !== undefined && env.from !== opts.expectFrom) return failRef('NOT_ALLOWED', 'from is not the connection\'s key')

  let signed: Buffer
  try {
    signed = signingBytes(env)
  } catch (e) {
    if (e instanceof NotCanonicalError) return failRef('MALFORMED', `body: ${e.message}`)
    throw e
  }
  if (!crypto.verify(signed, Buffer.from(env.sig, 'hex'), Buffer.from(env.from, 'hex'))) {
    return failRef('BAD_SIGNATURE', 'signature does not verify for from')
  }

  if (env.ts > opts.now + MAX_CLOCK_SKEW_MS) return failRef('EXPIRED', `sealed ${env.ts - opts.now} ms in the future`)
  if (opts.now > env.exp + MAX_CLOCK_SKEW_MS) return failRef('EXPIRED', `expired ${opts.now - env.exp} ms ago`)

  if (!opts.replay.accept(env.from, env.seq)) return failRef('REPLAYED', `seq ${env.seq} not above ${opts.replay.last(env.from) ?? 0}`)

  if (!Object.hasOwn(MESSAGE_BODIES, env.type)) return failRef('UNKNOWN_TYPE', `unknown type ${env.type}`)
  const msgType = env.type as MessageType
  const body = MESSAGE_BODIES[msgType].safeParse(env.body)
  if (!body.success) return failRef('BAD_BODY', describeIssues(body.error))

  const message = { type: msgType, id: env.id, from: env.from, body: body.data } as Message
  return { ok: true, value: message, envelope: env }
}

/** A compact, value-free description of zod issues, within the `detail` limit of an error message. */
export function describeIssues (error: z.ZodError): string {
  const text = error.issues.slice(0, 3).map(i => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')
  return text.length > 500 ? text.slice(0, 497) + '...' : text
}

function fail (code: ProtocolErrorCode, detail: string, ref?: string, type?: string): OpenResult {
  return { ok: false, error: new StormError(code, { detail }), ...(ref !== undefined && { ref }), ...(type !== undefined && { type }) }
}
