/** The Storm's paired member nodes, as agents need them to keep channels and payments inside. */
import type { Ctx } from '../context.ts'
import { sendTo } from '../context.ts'
import type { MessageBody } from '../../protocol/messages.ts'
import { activeMembers } from './find_member.ts'
import { agentKeysOf, nodesOf } from './member_nodes.ts'

export function roster (ctx: Pick<Ctx, 'state'>): MessageBody<'roster'> {
  return {
    group: ctx.state.group,
    // every node of every member's fleet: channels and payments between them stay in the Storm
    members: activeMembers(ctx.state).flatMap(m => nodesOf(m).map(n => ({ id: m.id, name: m.chat.name, node: n.node.publicKey })))
  }
}

/** Sends the roster to one agent, or to every connected member's agent. */
export function sendRoster (ctx: Ctx, only?: string): void {
  const body = roster(ctx)
  for (const m of activeMembers(ctx.state)) {
    for (const key of agentKeysOf(m)) {
      if (only !== undefined && key !== only) continue
      if (ctx.isConnected(key)) sendTo(ctx, key, 'roster', body)
    }
  }
}
