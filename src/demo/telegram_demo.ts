/**
 * The demo on Telegram (`TELEGRAM_BOT_TOKEN=… STORM_DEMO=1 npm start`): nobody in the group has
 * a stormd of their own, so after `/pair` the demo gives each person a simulated node like the
 * console demo's "you" (funded on chain, its own stormd) and pairs it with their code, as
 * `stormd pair` would. A whole friend group can try the Storm together without LND.
 */
import type { AfterCommand } from '../bot/telegram/index.ts'
import type { Locales } from '../shared/i18n.ts'
import { StormError } from '../shared/errors.ts'
import { parsePairingInvite } from '../app/pairing_invite.ts'
import { MAX_GUEST_NODES, type DemoStorm } from './demo_storm.ts'

/** Sends a plain message to a chat (the bot's `say`). */
export type Say = (chatId: number, text: string) => Promise<void>

/**
 * The bot's `afterCommand` for the demo: after a successful `/pair` in a private chat, the
 * user's own simulated node pairs with the code they were given, and they are told so.
 */
export function demoPairing (demo: DemoStorm, locales: Locales, say: Say): (e: AfterCommand) => Promise<void> {
  return async ({ name, reply, chatId, actor, lang }) => {
    if (name !== 'pair' || reply.qr === undefined) return
    const t = locales.translator(lang)
    const node = await demo.nodeFor(actor)
    if (node === null) {
      await say(chatId, t.t('telegram-demo-full', { max: MAX_GUEST_NODES }))
      return
    }
    try {
      await demo.pairWith(node, reply.qr)
    } catch (e) {
      if (!(e instanceof StormError)) throw e
      await say(chatId, t.error(e))
      return
    }
    await say(chatId, t.t('telegram-demo-paired', { code: parsePairingInvite(reply.qr).code, node: node.name, funds: (await node.node.getChainBalance()).confirmed }))
  }
}
