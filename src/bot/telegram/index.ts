/**
 * The Telegram front end: `TelegramBot.start(options)` serves a Storm in a Telegram group and in
 * its members' private chats, as a thin adapter of the chat core (`../core/`) over grammY.
 */
export { TelegramBot, type TelegramBotOptions, type TelegramWebhook } from './telegram_bot.ts'
export type { AfterCommand } from './bot_env.ts'
export { menuFor, publishMenus, type MenuScope } from './commands_menu.ts'
export { qrPng, splitText } from './send_reply.ts'
export { commandName } from './handle_message.ts'
