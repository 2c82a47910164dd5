/**
 * `stats`: the Storm's liquidity and flow as a picture with a caption (a photo on Telegram, a
 * file on the console). Anyone in the Storm's group may ask (the chat core answers only there);
 * in a private chat, members only.
 */
import { ok } from '../../shared/errors.ts'
import { requireMember } from '../../manager/members/find_member.ts'
import { defineCommand } from './define_command.ts'
import { fail } from './replies.ts'

export const stats = defineCommand({
  name: 'stats',
  words: { required: 0, optional: 0 },
  parse: () => ok({}),
  scope: 'any',
  fronts: ['chat'],
  // the group is the Storm's own (other groups are refused before any command runs)
  authority: 'anyone',
  run: ({ deps, manager, actor, ctx, t }) => {
    if (ctx.surface !== 'group') {
      const member = requireMember(manager.state, actor)
      if (!member.ok) return fail(t, member.error)
    }
    if (deps.statsPicture === undefined) return { ok: false, text: t.t('stats-unavailable') }
    const image = deps.statsPicture(t)
    return { ok: true, text: image.caption, image }
  }
})
