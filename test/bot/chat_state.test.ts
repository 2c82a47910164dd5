/**
 * The chat core keeps room, user and message ids as strings; a `telegram.json` written when they
 * were Telegram's numbers still loads after the upgrade, so the bot keeps serving its group and
 * editing the messages it sent before.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chatStateStore } from '../../src/bot/core/index.ts'

test('a telegram.json with numeric ids from before the chat core loads with the same ids as strings', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'storm-chat-state-'))
  try {
    await writeFile(join(dir, 'telegram.json'), JSON.stringify({
      version: 1,
      chatId: -1001234567890,
      users: { 101: { lang: 'es' } },
      messages: [{ chatId: -1001234567890, messageId: 42, at: 1, parts: [{ key: 'directive:d1', text: 'd1 — sent' }] }]
    }))
    const state = await chatStateStore(dir, 'telegram.json').load()
    assert.equal(state.chatId, '-1001234567890')
    assert.deepEqual(state.users, { 101: { lang: 'es' } })
    assert.deepEqual(state.messages, [{ chatId: '-1001234567890', messageId: '42', at: 1, parts: [{ key: 'directive:d1', text: 'd1 — sent' }] }])
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
})
