/** `cancel ID`: withdraw a request that has not executed. */
import { defineCommand } from './define_command.ts'
import { idWord } from './arguments.ts'
import { answer } from './replies.ts'

export const cancel = defineCommand({
  name: 'cancel',
  words: { required: 1, optional: 0 },
  parse: ([id]) => idWord(id!),
  scope: 'any',
  fronts: ['chat', 'cli'],
  authority: 'member',
  run: async ({ manager, actor, t }, { id }) =>
    answer(t, await manager.cancel(actor, id), a => t.t('cancel-done', { id: a.id }))
})
