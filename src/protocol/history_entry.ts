/**
 * Signing and checking the manager's history entries. An entry is signed by the manager's
 * ed25519 key over `'storm-history-v1\n' + canonicalJson(entry without sig)`, so any member who
 * knows the manager's key (from pairing) can check each entry it holds on its own, whatever else
 * the manager sent: a changed byte fails. Agent messages the entry quotes keep the agent's own
 * signature (`envelopeVerifies`), so the manager cannot put words in an agent's mouth either:
 * since envelope version 2 a quote is the text the agent signed (`QuotedEnvelope`); entries
 * written before quote version 1 envelopes whole, checked the v1 way.
 */
import crypto from 'hypercore-crypto'
import { canonicalJson } from './canonical_json.ts'
import { ENVELOPE_VERSION, EnvelopeSchema, signingBytesV1, type Envelope } from './envelope.ts'
import { HistoryEntrySchema, HistoryHeadSchema, type HistoryEntry, type HistoryHead } from './messages.ts'
import type { KeyPair } from './keys.ts'

const PREFIX = 'storm-history-v1\n'

/** The bytes an entry's signature covers. */
export function historySigningBytes (entry: Omit<HistoryEntry, 'sig'>): Buffer {
  const { sig: _sig, ...rest } = entry as HistoryEntry
  return Buffer.from(PREFIX + canonicalJson(rest), 'utf8')
}

/** Signs an entry with the manager's key. */
export function signHistoryEntry (keyPair: KeyPair, entry: Omit<HistoryEntry, 'sig'>): HistoryEntry {
  return { ...entry, sig: crypto.sign(historySigningBytes(entry), keyPair.secretKey).toString('hex') }
}

/** Whether `entry` is well formed and signed by `managerKey` (hex). */
export function historyEntryVerifies (entry: unknown, managerKey: string): boolean {
  const parsed = HistoryEntrySchema.safeParse(entry)
  if (!parsed.success) return false
  try {
    return crypto.verify(historySigningBytes(parsed.data), Buffer.from(parsed.data.sig, 'hex'), Buffer.from(managerKey, 'hex'))
  } catch {
    return false
  }
}

const HEAD_PREFIX = 'storm-history-head-v1\n'

/** Signs a member's history head (see HistoryHeadSchema) with the manager's key. */
export function signHistoryHead (keyPair: KeyPair, head: Omit<HistoryHead, 'sig'>): HistoryHead {
  return { ...head, sig: crypto.sign(Buffer.from(HEAD_PREFIX + canonicalJson(head), 'utf8'), keyPair.secretKey).toString('hex') }
}

/** Whether `head` is well formed and signed by `managerKey` (hex). */
export function historyHeadVerifies (head: unknown, managerKey: string): boolean {
  const parsed = HistoryHeadSchema.safeParse(head)
  if (!parsed.success) return false
  const { sig, ...rest } = parsed.data
  try {
    return crypto.verify(Buffer.from(HEAD_PREFIX + canonicalJson(rest), 'utf8'), Buffer.from(sig, 'hex'), Buffer.from(managerKey, 'hex'))
  } catch {
    return false
  }
}

const ENVELOPE_PREFIX = 'storm-envelope-v2\n'
const SIG = /^[0-9a-f]{128}$/

/** Whether a quoted agent envelope still carries its sender's valid signature. */
export function envelopeVerifies (quoted: unknown): boolean {
  return openQuotedEnvelope(quoted) !== null
}

/**
 * The envelope a history entry quotes, when its sender's signature verifies; else null. Takes a
 * `QuotedEnvelope` (version 2) or a whole version 1 envelope (history written before v2).
 */
export function openQuotedEnvelope (quoted: unknown): Envelope | null {
  if (typeof quoted !== 'object' || quoted === null) return null
  const q = quoted as Record<string, unknown>
  try {
    if (q.v === ENVELOPE_VERSION) {
      if (typeof q.signed !== 'string' || typeof q.sig !== 'string' || !SIG.test(q.sig)) return null
      const env = EnvelopeSchema.safeParse({ ...JSON.parse(q.signed) as object, sig: q.sig })
      if (!env.success) return null
      return crypto.verify(Buffer.from(ENVELOPE_PREFIX + q.signed, 'utf8'), Buffer.from(q.sig, 'hex'), Buffer.from(env.data.from, 'hex')) ? env.data : null
    }
    if (q.v === 1 && typeof q.sig === 'string' && SIG.test(q.sig) && typeof q.from === 'string' && /^[0-9a-f]{64}$/.test(q.from)) {
      return crypto.verify(signingBytesV1(q), Buffer.from(q.sig, 'hex'), Buffer.from(q.from, 'hex')) ? q as unknown as Envelope : null
    }
    return null
  } catch {
    return null
  }
}
