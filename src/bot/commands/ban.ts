/**
 * `ban MEMBER REASON`: an admin puts a ban to the members' stake-weighted vote.
 * `ban MEMBER now REASON`: bans at once, where the Storm's rules let admins (`outrightBan`).
 */
import { ok, type Result } from '../../shared/errors.ts'
import { defineCommand } from './define_command.ts'
import { answer } from './replies.ts'

export const ban = defineCommand({
  name: 'ban',
  words: { required: 1, optional: Infinity },
  parse: words => parseBan(words),
  scope: 'any',
  fronts: ['chat'],
  authority: 'admin',
  run: async ({ manager, actor, t }, { member, reason, now }) => answer(t, await manager.ban(actor, member, reason, now), r =>
    r.kind === 'banned'
      ? t.t('ban-done', { name: r.target.chat.name, closes: r.closes })
      : t.t('ban-proposed', { name: r.target.chat.name, id: r.proposal.id }))
})

/** The member, then `now` for an outright ban, then the reason as typed (the manager bounds it). */
export function parseBan (words: string[]): Result<{ member: string, reason: string, now: boolean }> {
  const [member, ...rest] = words
  const now = rest[0]?.toLowerCase() === 'now'
  return ok({ member: member!, reason: (now ? rest.slice(1) : rest).join(' '), now })
}
