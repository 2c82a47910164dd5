/**
 * A member's nodes: the first one it paired (`member.node`, `member.agentKey`) and its fleet (a
 * company's further nodes, each with its own stormd). Every lookup of "which node, which agent"
 * goes through here, so the first node and the fleet are never told apart by hand.
 */
import type { DirectiveRecord, FleetNode, Member, State } from '../state/schema.ts'
import type { MessageBody } from '../../protocol/messages.ts'

export interface MemberNode {
  agentKey: string
  node: MessageBody<'hello'>['node']
  pairedAt: number
  /** The first node: the one the member's requests (`addfunds`, `removefunds`) run on. */
  primary: boolean
}

/** The member's paired nodes, the first one first. */
export function nodesOf (m: Member): MemberNode[] {
  const out: MemberNode[] = []
  if (m.agentKey !== undefined && m.node !== undefined) out.push({ agentKey: m.agentKey, node: m.node, pairedAt: m.pairedAt ?? 0, primary: true })
  for (const f of m.fleet ?? []) out.push({ ...f, primary: false })
  return out
}

/** The member's agent keys, the first node's first. */
export function agentKeysOf (m: Member): string[] {
  return [...m.agentKey === undefined ? [] : [m.agentKey], ...(m.fleet ?? []).map(f => f.agentKey)]
}

/** The member's node keys, the first node's first. */
export function nodeKeysOf (m: Member): string[] {
  return [...m.node === undefined ? [] : [m.node.publicKey], ...(m.fleet ?? []).map(f => f.node.publicKey)]
}

/** The member's node that `agentKey` runs, if any. */
export function nodeOfAgent (m: Member, agentKey: string): MemberNode | undefined {
  return nodesOf(m).find(n => n.agentKey === agentKey)
}

/** The fleet entry (not the first node) that runs `agentKey`. */
export function fleetEntry (m: Member, agentKey: string): FleetNode | undefined {
  return (m.fleet ?? []).find(f => f.agentKey === agentKey)
}

/**
 * Where a member node's reports and connection are observed: the first node under the member's
 * id (as always), a fleet node under its own key, so one node's report never hides another's.
 */
export function observationKey (m: Member, agentKey: string): string {
  return agentKey === m.agentKey ? m.id : `${m.id}/${agentKey.slice(0, 16)}`
}

/** The agent a directive goes to: the one it names, else the member's first node's. */
export function directiveAgent (m: Member | undefined, record: Pick<DirectiveRecord, 'agent'>): string | undefined {
  return record.agent ?? m?.agentKey
}

/**
 * The member's node named `ref` in a command: its alias (case-insensitive), or a prefix of its
 * public key of at least 8 hex characters. Undefined when none or several match.
 */
export function findOwnNode (m: Member, ref: string): MemberNode | undefined {
  const want = ref.trim().toLowerCase()
  if (want === '') return undefined
  const nodes = nodesOf(m)
  const byAlias = nodes.filter(n => n.node.alias.toLowerCase() === want)
  if (byAlias.length === 1) return byAlias[0]
  if (!/^[0-9a-f]{8,66}$/.test(want)) return undefined
  const byKey = nodes.filter(n => n.node.publicKey.startsWith(want))
  return byKey.length === 1 ? byKey[0] : undefined
}

/** The member (not left) one of whose nodes is `nodeKey`. */
export function memberOfNode (state: State, nodeKey: string): Member | undefined {
  return Object.values(state.members).find(m => m.status !== 'left' && nodeKeysOf(m).includes(nodeKey))
}
