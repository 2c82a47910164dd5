/** `disconnect`: leave the Storm gracefully (channels closed in a safe order first). */
import { defineCommand } from './define_command.ts'
import { none } from './arguments.ts'
import { answer } from './replies.ts'
import { exitLines } from './exit_lines.ts'

export const disconnect = defineCommand({
  name: 'disconnect',
  words: { required: 0, optional: 0 },
  parse: none,
  scope: 'any',
  fronts: ['chat', 'cli'],
  authority: 'member',
  run: async ({ manager, actor, t, p }) =>
    answer(t, await manager.disconnect(actor), o => o.allocation === null
      ? t.t('disconnect-done', { group: manager.group })
      : [t.t('disconnect-submitted', { group: manager.group, channels: o.closes.length, p }), ...exitLines(manager, t, o.exit)].join('\n'))
})
