/** `pair`: a one-time pairing code and its invitation (and QR), in the private chat only. */
import { ok } from '../../shared/errors.ts'
import { defineCommand } from './define_command.ts'
import { fail } from './replies.ts'

export const pair = defineCommand({
  name: 'pair',
  words: { required: 0, optional: 0 },
  parse: () => ok({}),
  scope: 'private',
  fronts: ['chat'],
  // the use case answers strangers and pending members itself; a group gets the way to the private chat first
  authority: 'anyone',
  run: async ({ deps, ctx, manager, actor, t }) => {
    if (ctx.surface === 'group') {
      return { ok: true, text: ctx.privateLink === undefined ? t.t('pair-use-private') : t.t('pair-go-private', { link: ctx.privateLink('pair') }) }
    }
    const r = await manager.pair(actor)
    if (!r.ok) return fail(t, r.error)
    const invite = deps.pairingInvite(r.value.code)
    const minutes = Math.round(manager.rules.pairingCodeTtlMs / 60_000)
    return { ok: true, text: t.t('pair-code', { code: r.value.code, invite, minutes }), qr: invite }
  }
})
