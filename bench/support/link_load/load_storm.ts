/**
 * The Storm both sides of a link load agree on without talking: the synthetic state of N paired
 * members (`synthetic_storm.ts`), with each member's agent key replaced by a real ed25519 key
 * derived from its index, so a load generator can speak for member i with the key the manager's
 * state pairs it with. Deterministic: the manager process and the load generator build the same
 * Storm from the same size and seed.
 */
import crypto from 'hypercore-crypto'
import type { KeyPair } from '../../../src/protocol/keys.ts'
import type { NodeSummary } from '../../../src/protocol/messages.ts'
import { syntheticStorm, type SyntheticStorm } from '../synthetic_storm.ts'

/** Storm channels per member in the load Storm (as the memory bench). */
export const LOAD_CHANNELS_PER_MEMBER = 8

/** The agent key pair of member `i` (a seed derived from the index: the same in every process). */
export function loadAgentKeyPair (i: number, seed = 1): KeyPair {
  return crypto.keyPair(crypto.hash(Buffer.from(`storm-load-agent:${seed}:${i}`)))
}

/** The synthetic Storm at `members`, each agent key one `loadAgentKeyPair` gives. */
export function loadStorm (members: number, seed = 1): SyntheticStorm {
  const syn = syntheticStorm({ members, channelsPerMember: LOAD_CHANNELS_PER_MEMBER, seed })
  syn.members.forEach((m, i) => {
    const agentKey = loadAgentKeyPair(i, seed).publicKey.toString('hex')
    m.agentKey = agentKey
    syn.state.members[m.id]!.agentKey = agentKey
  })
  return syn
}

/** The node summary member `i` says hello with: the one its pairing recorded. */
export function loadNodeSummary (syn: SyntheticStorm, i: number): NodeSummary {
  const node = syn.state.members[syn.members[i]!.id]!.node
  if (node === undefined) throw new Error(`load storm: member ${i} has no node`)
  return node
}
