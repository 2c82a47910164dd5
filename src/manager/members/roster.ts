/** The Storm's paired member nodes, as agents need them to keep channels and payments inside. */
import type { Ctx } from '../context.ts'
import { sendTo } from '../context.ts'
import type { MessageBody } from '../../protocol/messages.ts'
import { activeMembers } from './find_member.ts'

export function roster (ctx: Pick<Ctx, 'state'>): MessageBody<'roster'> {
  return {
    group: ctx.state.group,
    members: activeMembers(ctx.state).flatMap(m => m.node === undefined ? [] : [{ id: m.id, name: m.chat.name, node: m.node.publicKey }])
  }
}

/** Sends the roster to one agent, or to every connected member's agent. */
export function sendRoster (ctx: Ctx, only?: string): void {
  const body = roster(ctx)
  for (const m of activeMembers(ctx.state)) {
    if (m.agentKey === undefined || (only !== undefined && m.agentKey !== only)) continue
    if (ctx.isConnected(m.agentKey)) sendTo(ctx, m.agentKey, 'roster', body)
  }
}
