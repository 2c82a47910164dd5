/**
 * The transport-neutral chat core and the port a chat service implements for it. Telegram's
 * adapter is `../telegram/`; a Matrix one implements the same `ChatPort`.
 */
export { ChatCore, commandName, chatActorOf, type ChatCoreOptions, type ChatUser, type Incoming, type Tap, type CoreAfterCommand, type ChatActor } from './chat_core.ts'
export type { ChatPort, Content, OutMessage } from './chat_port.ts'
export { Announcer, compose, type AnnouncerApi, type AnnouncerOptions } from './announcer.ts'
export { AdminCache, ADMIN_TTL_MS, type IsAdminOf } from './admins.ts'
export { chatStateStore, StateSaver, ChatStateSchema, CHAT_STATE_VERSION, type ChatState, type SentMessage } from './chat_state.ts'
export { ReplyBudgets, DEFAULT_REPLY_BUDGETS, type ReplyBudgetRules, type BudgetRule, type BudgetVerdict } from './reply_budget.ts'
export { qrPng } from './qr_png.ts'
export { reactionAction } from './reaction_action.ts'
