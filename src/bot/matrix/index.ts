/**
 * The Matrix front end: `MatrixBot.start(options)` serves a Storm in a Matrix room and in its
 * members' direct rooms, as a thin adapter of the chat core (`../core/`) over matrix-js-sdk.
 */
export { MatrixBot, asCommand, type MatrixBotOptions } from './matrix_bot.ts'
export { matrixContent, commandOf } from './matrix_message.ts'
export { SyncMark } from './sync_mark.ts'
