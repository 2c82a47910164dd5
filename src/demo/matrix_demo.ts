/**
 * The demo on Matrix (`MATRIX_ACCESS_TOKEN=… STORM_DEMO=1 npm start` with a `matrix` section): as
 * on Telegram, after `!pair` each person's own simulated node pairs with their code and they are
 * told so in the direct room. The pairing itself is Telegram's demo's (`demoPairing`), told where
 * to answer.
 */
import type { CoreAfterCommand } from '../bot/core/index.ts'
import type { Locales } from '../shared/i18n.ts'
import type { DemoStorm } from './demo_storm.ts'
import { demoPairing } from './telegram_demo.ts'

/** The Matrix bot's `afterCommand` for the demo; `say` posts in a room (the bot's `say`). */
export function matrixDemoPairing (demo: DemoStorm, locales: Locales, say: (room: string, text: string) => Promise<void>): (e: CoreAfterCommand) => Promise<void> {
  return e => demoPairing(demo, locales, (_chat, text) => say(e.room, text))({ ...e, chatId: 0 })
}
