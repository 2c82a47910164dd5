/**
 * The Storm protocol: message bodies, the signed envelope, keys, the manager ↔ agent link over
 * Hyperswarm's DHT, a local DHT testnet, and LND-format node signatures.
 */
export * from './messages.ts'
export {
  DEFAULT_TTL_MS, encode, ENVELOPE_OVERHEAD_BYTES, EnvelopeSchema, MAX_CLOCK_SKEW_MS, MAX_ENVELOPE_BYTES, MAX_TTL_MS,
  newMessageId, openEnvelope, seal, sealUnchecked, signingBytes, signingBytesV1, signedText, quoteEnvelope, ENVELOPE_VERSION
} from './envelope.ts'
export type { Envelope, OpenOptions, OpenResult, ProtocolErrorCode, QuotedEnvelope, SealInput } from './envelope.ts'
export { canonicalJson } from './canonical_json.ts'
export { ReplayGuard, SeqCounter } from './replay_guard.ts'
export { generateKeyPair, loadKeyPair, loadOrCreateKeyPair, pairingKeyPair, publicKeyHex, saveKeyPair } from './keys.ts'
export type { KeyPair } from './keys.ts'
export * from './link/index.ts'
export { localTestnet } from './local_dht.ts'
export type { LocalTestnet } from './local_dht.ts'
export { newNodeKey, nodeMessageDigest, recoverNodePublicKey, signNodeMessage } from './node_signature.ts'
export { historyEntryVerifies, historySigningBytes, signHistoryEntry, envelopeVerifies } from './history_entry.ts'
