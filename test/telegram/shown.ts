/** What a Storm text looks like in Telegram (backtick spans unwrapped; see asShown's own test). */
import { asShown } from '../../src/bot/telegram/send_reply.ts'

export const shown = (text: string): string => asShown(text).text
