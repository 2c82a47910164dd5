/** `removefunds AMOUNT`: take sats out gracefully; answers with the channels that will close. */
import { defineCommand } from './define_command.ts'
import { amountWords } from './arguments.ts'
import { answer } from './replies.ts'
import { nodeName } from '../../manager/queries/names.ts'
import { exitLines } from './exit_lines.ts'

export const removefunds = defineCommand({
  name: 'removefunds',
  words: { required: 1, optional: Infinity },
  parse: (words, lang) => amountWords('removefunds', words, lang),
  scope: 'any',
  fronts: ['chat', 'cli'],
  authority: 'member',
  run: async ({ manager, actor, t, p }, { amount }) =>
    answer(t, await manager.removeFunds(actor, amount), o => [
      t.t('removefunds-submitted', { amount, id: o.allocation?.id ?? '', p }),
      ...o.closes.map(ch => t.t('removefunds-planned-close', { amount: ch.capacity, peer: nodeName(manager.state, ch.peer) })),
      ...exitLines(manager, t, o.exit)
    ].join('\n'))
})

