/**
 * The Telegram front end: `TelegramBot.start(options)` serves a Storm in a Telegram group and in
 * its members' private chats.
 */
export { TelegramBot, type TelegramBotOptions, type TelegramWebhook } from './telegram_bot.ts'
export type { AfterCommand } from './bot_env.ts'
export { Announcer, type AnnouncerApi, type Content } from './announcer.ts'
export { AdminCache, ADMIN_TTL_MS } from './admins.ts'
export { menuFor, publishMenus, type MenuScope } from './commands_menu.ts'
export { qrPng, splitText } from './send_reply.ts'
export { commandName } from './handle_message.ts'
