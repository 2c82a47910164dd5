/**
 * Moving sats between two nodes of ONE member (a fleet), by plain invoice-and-pay: the payee node
 * creates an invoice (a `create_invoice` directive to its stormd), and when it has, the payer
 * node pays it (`pay_invoice` to the payer's stormd). Never across members: both nodes must be
 * the asking member's, and each stormd checks again (it pays only its own member's nodes).
 */
import type { Ctx } from '../context.ts'
import { audit } from '../context.ts'
import type { Actor } from '../members/find_member.ts'
import { actorName, requirePairedMember } from '../members/find_member.ts'
import { findOwnNode, nodesOf, type MemberNode } from '../members/member_nodes.ts'
import { issueDirective } from '../directives/issue_directive.ts'
import type { DirectiveRecord } from '../state/schema.ts'
import { err, ok, type Result } from '../../shared/errors.ts'
import { own } from '../../shared/own.ts'

export interface MoveOutcome { invoice: DirectiveRecord, from: MemberNode, to: MemberNode }

/**
 * Errors: those of `requirePairedMember`, `AMOUNT_NOT_POSITIVE`, `NOT_YOUR_NODE` {node} (no node
 * of yours by that alias or key), `SAME_NODE`.
 */
export function moveBetweenOwnNodes (ctx: Ctx, actor: Actor, amount: number, fromRef: string, toRef: string, maxFee: number): Result<MoveOutcome> {
  const r = requirePairedMember(ctx.state, actor)
  if (!r.ok) return r
  const member = r.value
  if (!Number.isSafeInteger(amount) || amount <= 0) return err('AMOUNT_NOT_POSITIVE')
  const from = findOwnNode(member, fromRef)
  if (from === undefined) return err('NOT_YOUR_NODE', { node: fromRef.slice(0, 66) })
  const to = findOwnNode(member, toRef)
  if (to === undefined) return err('NOT_YOUR_NODE', { node: toRef.slice(0, 66) })
  if (from.agentKey === to.agentKey) return err('SAME_NODE')
  const invoice = issueDirective(ctx, member, { kind: 'create_invoice', params: { amount, payer: from.node.publicKey, maxFee } },
    `${amount} sats from your node ${from.node.alias} to your node ${to.node.alias}`, to.agentKey)
  audit(ctx, 'own_nodes_move', { member: member.id, amount, from: from.node.publicKey, to: to.node.publicKey, invoice: invoice.directive.id }, actorName(actor))
  return ok({ invoice, from, to })
}

/**
 * A `create_invoice` finished: when it succeeded, the payer node (still the same member's) is told
 * to pay the invoice. Nothing else happens for other outcomes (the move ends there).
 */
export function invoiceCreated (ctx: Ctx, record: DirectiveRecord): void {
  const d = record.directive
  if (d.kind !== 'create_invoice' || record.status !== 'succeeded') return
  const member = own(ctx.state.members, record.target)
  const request = record.result?.request
  const payer = member === undefined ? undefined : nodesOf(member).find(n => n.node.publicKey === d.params.payer)
  const payee = member === undefined ? undefined : nodesOf(member).find(n => n.agentKey === (record.agent ?? member.agentKey))
  if (member === undefined || payer === undefined || payee === undefined || typeof request !== 'string') {
    audit(ctx, 'own_nodes_move_dropped', { invoice: d.id, reason: 'payer, payee or request gone' })
    return
  }
  issueDirective(ctx, member, { kind: 'pay_invoice', params: { request, payee: payee.node.publicKey, amount: d.params.amount, maxFee: d.params.maxFee } },
    `${d.params.amount} sats from your node ${payer.node.alias} to your node ${payee.node.alias} (invoice ${d.id})`, payer.agentKey)
}
