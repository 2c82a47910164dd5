/** `unban MEMBER`: an admin lifts a ban; the member may ask to join again. */
import { defineCommand } from './define_command.ts'
import { memberWord } from './decide_membership.ts'
import { answer } from './replies.ts'

export const unban = defineCommand({
  name: 'unban',
  words: { required: 1, optional: 0 },
  parse: ([word]) => memberWord(word!),
  scope: 'any',
  fronts: ['chat'],
  authority: 'admin',
  run: async ({ manager, actor, t }, { member }) => answer(t, await manager.unban(actor, member), m => t.t('unban-done', { name: m.chat.name }))
})
