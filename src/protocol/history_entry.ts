/**
 * Signing and checking the manager's history entries. An entry is signed by the manager's
 * ed25519 key over `'storm-history-v1\n' + canonicalJson(entry without sig)`, so any member who
 * knows the manager's key (from pairing) can check each entry it holds on its own, whatever else
 * the manager sent: a changed byte fails. Agent messages the entry quotes keep the agent's own
 * signature (`envelopeVerifies`), so the manager cannot put words in an agent's mouth either.
 */
import crypto from 'hypercore-crypto'
import { canonicalJson } from './canonical_json.ts'
import { signingBytes, type Envelope } from './envelope.ts'
import { HistoryEntrySchema, type HistoryEntry } from './messages.ts'
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

/** Whether a quoted agent envelope still carries its sender's valid signature. */
export function envelopeVerifies (envelope: Envelope): boolean {
  try {
    return crypto.verify(signingBytes(envelope), Buffer.from(envelope.sig, 'hex'), Buffer.from(envelope.from, 'hex'))
  } catch {
    return false
  }
}
