/**
 * Payment requests of the simulated network. Not BOLT 11, and honest about it: the `lnsim1`
 * prefix makes a simulated request impossible to mistake for (or pay as) a real one.
 * Layout: `lnsim1` + amount in sats + `n` + destination key (66 hex) + payment hash (64 hex)
 * + checksum (first 4 bytes of SHA256 of everything before it, hex).
 */
import { sha256 } from '@noble/hashes/sha2.js'

/** What a simulated payment request carries. */
export interface SimInvoice {
  destination: string
  /** Hex payment hash. */
  hash: string
  amount: number
}

const PATTERN = /^lnsim1(\d{1,16})n([0-9a-f]{66})([0-9a-f]{64})([0-9a-f]{8})$/

/** Encodes a simulated payment request. */
export function encodeInvoice (invoice: SimInvoice): string {
  const body = `lnsim1${invoice.amount}n${invoice.destination}${invoice.hash}`
  return body + checksum(body)
}

/** Decodes a simulated payment request, or `null` when it is not one (or was altered). */
export function decodeInvoice (request: string): SimInvoice | null {
  const m = typeof request === 'string' ? PATTERN.exec(request) : null
  if (m === null) return null
  const body = request.slice(0, -8)
  if (checksum(body) !== m[4]) return null
  const amount = Number(m[1])
  if (!Number.isSafeInteger(amount) || amount <= 0) return null
  return { amount, destination: m[2]!, hash: m[3]! }
}

function checksum (body: string): string {
  return Buffer.from(sha256(new TextEncoder().encode(body)).subarray(0, 4)).toString('hex')
}
