/** What `admit` and `decline` share: the member word, and the admin's decision. */
import { ok, type Result } from '../../shared/errors.ts'
import type { CommandCall, Reply } from './define_command.ts'
import { answer } from './replies.ts'

/** A member reference as typed (`@bob`, a member id); the manager resolves it. */
export function memberWord (word: string): Result<{ member: string }> {
  return ok({ member: word })
}

export async function decideMembership ({ manager, actor, t }: CommandCall, member: string, admit: boolean): Promise<Reply> {
  return answer(t, await manager.decideMembership(actor, member, admit), m =>
    t.t(admit ? 'admit-done' : 'decline-done', { name: m.chat.name }))
}
