/**
 * What identifies a roster for an agent: SHA-256 of its member node keys, sorted, one per line.
 * stormd keeps only the node keys of the roster (`AgentState.roster`), so that is what both ends
 * hash; the order the manager lists members in does not matter.
 */
import { createHash } from 'node:crypto'

/** The digest of a roster's node keys (hex). */
export function rosterDigest (nodes: readonly string[]): string {
  return createHash('sha256').update([...nodes].sort().join('\n')).digest('hex')
}
