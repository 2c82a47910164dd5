/** `getinfo`: the seed's JSON about the Storm and the asker. */
import { defineCommand } from './define_command.ts'
import { none } from './arguments.ts'

export const getinfo = defineCommand({
  name: 'getinfo',
  words: { required: 0, optional: 0 },
  parse: none,
  scope: 'any',
  fronts: ['chat', 'cli'],
  authority: 'anyone',
  run: ({ manager, actor }) => {
    const info = manager.getInfo(actor)
    return { ok: true, text: JSON.stringify(info, null, 2), data: info }
  }
})
