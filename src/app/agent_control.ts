/** What stormd answers on its control socket, on top of a running agent runtime. */
import type { ControlHandler } from '../agent/control/control_server.ts'
import type { AgentRuntime } from './agent_runtime.ts'
import { StormError } from '../shared/errors.ts'

/** The newest entries `stormcli audit` shows. */
const AUDIT_SHOWN = 200

export function agentControlHandler (runtime: AgentRuntime): ControlHandler {
  const { agent } = runtime
  return async (req) => {
    switch (req.op) {
      case 'status':
        return {
          ok: true,
          data: {
            paired: agent.pairing !== undefined,
            group: agent.pairing?.group ?? null,
            member: agent.pairing?.memberId ?? null,
            node: agent.pairing?.node ?? null,
            agentKey: agent.publicKey,
            connected: agent.connected,
            awaiting: agent.awaiting().length
          }
        }
      case 'pair': {
        const pairing = await runtime.pair(req.invite)
        return { ok: true, data: { group: pairing.group, member: pairing.memberId } }
      }
      case 'command': {
        if (agent.pairing === undefined) throw new StormError('NOT_PAIRED')
        const reply = await agent.command(req.text, req.lang)
        return reply.data === undefined ? { ok: reply.ok, text: reply.text } : { ok: reply.ok, text: reply.text, data: reply.data }
      }
      case 'decide': {
        const d = await agent.decide(req.directive, req.decision)
        return { ok: true, data: { id: d.directive.id, kind: d.directive.kind, status: d.status } }
      }
      case 'audit': {
        const pairing = agent.pairing
        const history = agent.history
        if (pairing === undefined || history === undefined) throw new StormError('NOT_PAIRED')
        if (req.verify) return { ok: true, data: history.verify(pairing.managerKey, agent.publicKey, agent.state) }
        return { ok: true, data: { from: history.from, entries: history.entries().slice(-AUDIT_SHOWN) } }
      }
      case 'vote': {
        if (agent.pairing === undefined) throw new StormError('NOT_PAIRED')
        // sent as stormd's signed `vote` message, not as chat text
        const r = await agent.vote(req.baseFeeMsat, req.feeRatePpm)
        if (!r.ok) throw new StormError(r.error?.code ?? 'INTERNAL', r.error?.params ?? {})
        return { ok: true, data: r }
      }
      case 'directives':
        return {
          ok: true,
          data: agent.awaiting().map(d => ({ id: d.directive.id, kind: d.directive.kind, params: d.directive.params, reason: d.directive.reason }))
        }
    }
  }
}
