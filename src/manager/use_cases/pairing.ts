/**
 * Pairing: `/pair` gives a member a one-time code; `stormd pair CODE` connects with a key derived
 * from it, gets a challenge, and answers with its permanent key and a signature by its Lightning
 * node. The manager checks both signatures and binds chat user ↔ agent key ↔ node key.
 */
import type { Ctx } from '../context.ts'
import { announce, audit, sendTo } from '../context.ts'
import type { Actor } from '../members/find_member.ts'
import { actorName, findMemberByAgent, requireMember } from '../members/find_member.ts'
import type { Member } from '../state/schema.ts'
import type { MessageBody } from '../../protocol/messages.ts'
import { pairingProofText } from '../../protocol/messages.ts'
import { recoverNodePublicKey } from '../../protocol/node_signature.ts'
import { pairingCode } from '../../shared/ids.ts'
import { sendRoster } from '../members/roster.ts'
import { err, ok, type Result } from '../../shared/errors.ts'
import { own } from '../../shared/own.ts'
import { memberOfNode, nodeOfAgent } from '../members/member_nodes.ts'

/** Further nodes a member may pair besides its first (the schema's bound). */
const MAX_FLEET = 100

export interface PairingCode { code: string, expiresAt: number, member: Member }

/** Verifies an ed25519 signature (the agent key's) — injected so the domain stays pure. */
export type VerifySignature = (message: string, signatureHex: string, publicKeyHex: string) => boolean
/** Derives the public key an agent will use when it connects with `code`. */
export type PairingKeyOf = (code: string) => string

/** `/pair`: a new one-time code; earlier unused codes of the member stop working. */
export function issuePairingCode (ctx: Ctx, actor: Actor, pairingKeyOf: PairingKeyOf): Result<PairingCode> {
  const r = requireMember(ctx.state, actor)
  if (!r.ok) return r
  const member = r.value
  const code = pairingCode(ctx.random)
  const expiresAt = ctx.now + ctx.rules.pairingCodeTtlMs
  ctx.state.pairings = ctx.state.pairings.filter(p => p.member !== member.id && p.expiresAt > ctx.now && p.usedAt === undefined)
  ctx.state.pairings.push({ member: member.id, pairingKey: pairingKeyOf(code), createdAt: ctx.now, expiresAt })
  audit(ctx, 'pairing_code_issued', { member: member.id, expiresAt }, actorName(actor))
  return ok({ code, expiresAt, member })
}

/** Whether a connecting key may pair now. */
export function livePairing (ctx: Pick<Ctx, 'state' | 'now'>, pairingKey: string) {
  return ctx.state.pairings.find(p => p.pairingKey === pairingKey && p.usedAt === undefined && p.expiresAt > ctx.now)
}

/** A pairing connection opened: send it a fresh challenge. */
export function challengePairing (ctx: Ctx, pairingKey: string, nonce: string): Result<void> {
  const pairing = livePairing(ctx, pairingKey)
  if (pairing === undefined) return err('PAIRING_CODE_INVALID')
  pairing.nonce = nonce
  sendTo(ctx, pairingKey, 'pair_challenge', { group: ctx.state.group, nonce })
  return ok(undefined)
}

/**
 * The agent's answer. Errors (also sent back as a PAIRING_FAILED error): `PAIRING_CODE_INVALID`,
 * `PAIRING_BAD_NONCE`, `PAIRING_BAD_AGENT_SIGNATURE`, `PAIRING_BAD_NODE_SIGNATURE`,
 * `NODE_ALREADY_PAIRED` {name}, `AGENT_ALREADY_PAIRED`, `FLEET_FULL` {max}. A node other than the
 * member's first joins its fleet; the same node pairs again in place.
 */
export function completePairing (ctx: Ctx, pairingKey: string, body: MessageBody<'pair_request'>, verify: VerifySignature, managerKey: string): Result<Member> {
  const r = checkPairing(ctx, pairingKey, body, verify)
  if (!r.ok) {
    sendTo(ctx, pairingKey, 'error', { code: 'PAIRING_FAILED', detail: r.error.code })
    audit(ctx, 'pairing_failed', { code: r.error.code, node: body.node.publicKey })
    return r
  }
  const { member, pairing } = r.value
  pairing.usedAt = ctx.now
  delete pairing.nonce
  const where = bind(ctx, member, body)
  audit(ctx, 'member_paired', { member: member.id, agent: body.agentKey, node: body.node.publicKey, replaced: where.replaced, fleet: where.fleet })
  sendTo(ctx, pairingKey, 'pair_result', { memberId: member.id, group: ctx.state.group, managerKey })
  if (where.replaced !== undefined && where.replaced !== body.agentKey) ctx.effects.drop.push(where.replaced)
  announce(ctx, where.fleet ? { type: 'member_paired', member, added: body.node } : { type: 'member_paired', member })
  sendRoster(ctx)
  return ok(member)
}

/**
 * Binds the proven agent and node to the member: the first node when it has none or re-pairs
 * it; a node of its fleet that it re-pairs; or a further node, added to its fleet.
 */
function bind (ctx: Ctx, member: Member, body: MessageBody<'pair_request'>): { replaced?: string, fleet: boolean } {
  if (member.node === undefined || member.agentKey === undefined || member.node.publicKey === body.node.publicKey) {
    const replaced = member.agentKey
    member.agentKey = body.agentKey
    member.node = body.node
    member.pairedAt = ctx.now
    return replaced === undefined ? { fleet: false } : { replaced, fleet: false }
  }
  const fleet = member.fleet ??= []
  const known = fleet.find(f => f.node.publicKey === body.node.publicKey)
  if (known !== undefined) {
    const replaced = known.agentKey
    Object.assign(known, { agentKey: body.agentKey, node: body.node, pairedAt: ctx.now })
    return { replaced, fleet: true }
  }
  fleet.push({ agentKey: body.agentKey, node: body.node, pairedAt: ctx.now })
  return { fleet: true }
}

function checkPairing (ctx: Ctx, pairingKey: string, body: MessageBody<'pair_request'>, verify: VerifySignature) {
  const pairing = livePairing(ctx, pairingKey)
  if (pairing === undefined) return err('PAIRING_CODE_INVALID')
  const member = own(ctx.state.members, pairing.member)
  if (member === undefined || (member.status !== 'active' && member.status !== 'leaving')) return err('PAIRING_CODE_INVALID')
  if (pairing.nonce === undefined || pairing.nonce !== body.nonce) return err('PAIRING_BAD_NONCE')
  const proof = pairingProofText(ctx.state.group, body.nonce, body.agentKey, body.node.publicKey)
  if (!verify(proof, body.agentSignature, body.agentKey)) return err('PAIRING_BAD_AGENT_SIGNATURE')
  if (recoverNodePublicKey(proof, body.nodeSignature) !== body.node.publicKey) return err('PAIRING_BAD_NODE_SIGNATURE')
  const other = memberOfNode(ctx.state, body.node.publicKey)
  if (other !== undefined && other.id !== member.id) return err('NODE_ALREADY_PAIRED', { name: other.chat.name })
  const holder = findMemberByAgent(ctx.state, body.agentKey)
  if (holder !== undefined && holder.id !== member.id) return err('AGENT_ALREADY_PAIRED')
  // one stormd runs one node: its key cannot stand for another node of the same member
  const running = holder === undefined ? undefined : nodeOfAgent(holder, body.agentKey)
  if (running !== undefined && running.node.publicKey !== body.node.publicKey) return err('AGENT_ALREADY_PAIRED')
  if (member.node !== undefined && member.node.publicKey !== body.node.publicKey && other === undefined && (member.fleet?.length ?? 0) >= MAX_FLEET) {
    return err('FLEET_FULL', { max: MAX_FLEET + 1 })
  }
  return ok({ member, pairing })
}
