/** `addfunds AMOUNT`: put sats in; the planner answers with the channels it will open. */
import { defineCommand } from './define_command.ts'
import { amountWords } from './arguments.ts'
import { answer } from './replies.ts'

export const addfunds = defineCommand({
  name: 'addfunds',
  // more words are one amount only where a language groups digits with spaces
  words: { required: 1, optional: Infinity },
  parse: (words, lang) => amountWords('addfunds', words, lang),
  scope: 'any',
  fronts: ['chat', 'cli'],
  authority: 'member',
  run: async ({ manager, actor, t, p }, { amount }) =>
    answer(t, await manager.addFunds(actor, amount), o => [
      t.t('addfunds-submitted', { amount, id: o.allocation.id, p }),
      ...o.channels.map(ch => t.t('addfunds-planned-channel', { amount: ch.capacity, peer: ch.peerName, directive: ch.directive })),
      ...o.channels.length > 1 ? [t.t('addfunds-one-transaction', { count: o.channels.length })] : []
    ].join('\n'))
})
