/** What `approve` and `reject` share: the owner's decision, and the directives it applied to. */
import type { CommandCall, Reply } from './define_command.ts'
import { answer } from './replies.ts'
import { describeDirective } from '../render.ts'

export async function decideDirectives ({ manager, actor, t }: CommandCall, id: string, decision: 'approve' | 'reject'): Promise<Reply> {
  return answer(t, await manager.decide(actor, id, decision), records => records.map(r =>
    t.t(decision === 'approve' ? 'approve-done' : 'reject-done', { id: r.directive.id, what: describeDirective(r, manager, t) })
  ).join('\n'))
}
