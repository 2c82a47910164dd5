/**
 * Node signatures in LND's `signmessage` format, so the pairing proof made by a simulated node
 * is checked exactly as one made by a real LND: zbase32 of the 65-byte compact recoverable ECDSA
 * signature (header byte 31 + recovery id, then r, then s) over
 * SHA256(SHA256("Lightning Signed Message:" + message)).
 */
import * as secp from '@noble/secp256k1'
import { sha256 } from '@noble/hashes/sha2.js'
import { hmac } from '@noble/hashes/hmac.js'

secp.hashes.sha256 = sha256
secp.hashes.hmacSha256 = (key, msg) => hmac(sha256, key, msg)

const PREFIX = 'Lightning Signed Message:'
const ZBASE32 = 'ybndrfg8ejkmcpqxot1uwisza345h769'
const COMPRESSED_HEADER = 31

/** The 32-byte digest LND signs for `message`. */
export function nodeMessageDigest (message: string): Uint8Array {
  return sha256(sha256(new TextEncoder().encode(PREFIX + message)))
}

/** Signs `message` with a node's secp256k1 secret key, as `lncli signmessage` would. */
export function signNodeMessage (secretKey: Uint8Array, message: string): string {
  // noble's 'recovered' format is [recovery, r(32), s(32)]
  const sig = secp.sign(nodeMessageDigest(message), secretKey, { prehash: false, format: 'recovered' })
  const out = new Uint8Array(65)
  out[0] = COMPRESSED_HEADER + sig[0]!
  out.set(sig.subarray(1), 1)
  return zbase32Encode(out)
}

/**
 * The hex public key that signed `message`, or `null` when the signature is malformed.
 * Verifying a pairing proof is: `recoverNodePublicKey(challenge, sig) === claimedPublicKey`.
 */
export function recoverNodePublicKey (message: string, signature: string): string | null {
  const raw = zbase32Decode(signature)
  if (raw === null || raw.length !== 65) return null
  const header = raw[0]!
  if (header < 27 || header > 34) return null
  const recovery = (header - 27) & 3
  const compact = new Uint8Array(65)
  compact[0] = recovery
  compact.set(raw.subarray(1), 1)
  try {
    const key = secp.recoverPublicKey(compact, nodeMessageDigest(message), { prehash: false })
    return Buffer.from(key).toString('hex')
  } catch {
    return null
  }
}

/** A fresh node key pair (for simulated nodes). */
export function newNodeKey (seed?: Uint8Array): { secretKey: Uint8Array, publicKey: string } {
  const secretKey = seed === undefined ? secp.utils.randomSecretKey() : validSecret(seed)
  return { secretKey, publicKey: Buffer.from(secp.getPublicKey(secretKey, true)).toString('hex') }
}

function validSecret (seed: Uint8Array): Uint8Array {
  // hash until the seed is a valid scalar (the chance it is not is ~2^-128)
  let k = sha256(seed)
  while (!secp.utils.isValidSecretKey(k)) k = sha256(k)
  return k
}

export function zbase32Encode (bytes: Uint8Array): string {
  let out = ''
  let buffer = 0
  let bits = 0
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte
    bits += 8
    while (bits >= 5) {
      out += ZBASE32[(buffer >>> (bits - 5)) & 31]
      bits -= 5
    }
  }
  if (bits > 0) out += ZBASE32[(buffer << (5 - bits)) & 31]
  return out
}

export function zbase32Decode (text: string): Uint8Array | null {
  const out: number[] = []
  let buffer = 0
  let bits = 0
  for (const ch of text) {
    const v = ZBASE32.indexOf(ch)
    if (v < 0) return null
    buffer = ((buffer << 5) | v) & 0xffff
    bits += 5
    if (bits >= 8) {
      out.push((buffer >>> (bits - 8)) & 0xff)
      bits -= 8
    }
  }
  return Uint8Array.from(out)
}
