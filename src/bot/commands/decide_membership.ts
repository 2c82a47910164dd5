/** What `admit` and `decline` share: the member word, and the admin's decision. */
import { ok, type Result } from '../../shared/errors.ts'
import { defineCommand } from './define_command.ts'
import { answer } from './replies.ts'

/** A member reference as typed (`@bob`, a member id); the manager resolves it. */
export function memberWord (word: string): Result<{ member: string }> {
  return ok({ member: word })
}

/** The declaration of `admit` (`yes`) or `decline`: an admin decides a membership request, typed or with its button. */
export function membershipDecision<N extends 'admit' | 'decline'> (name: N) {
  const yes = name === 'admit'
  return defineCommand({
    name,
    words: { required: 1, optional: 0 },
    parse: ([word]) => memberWord(word!),
    scope: 'any',
    fronts: ['chat'],
    authority: 'admin',
    button: true,
    run: async ({ manager, actor, t }, { member }) =>
      answer(t, await manager.decideMembership(actor, member, yes), m => t.t(yes ? 'admit-done' : 'decline-done', { name: m.chat.name }))
  })
}
