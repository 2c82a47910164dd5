/**
 * On Telegram, over the Bot API emulator: taps whose button data carry a prototype name
 * (`approve:__proto__`, `admit:constructor` …), as a crafted client can send, and the same ids
 * typed as commands, get "there is no such …" in the tapper's language — never "not yours" —
 * and change nothing.
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { StormError } from '../../src/shared/errors.ts'
import type { TgChat } from '../telegram/harness.ts'
import { startTelegramStorm, ADA, YARA, GROUP_ID, type TelegramStorm } from '../telegram/setup.ts'
import { shown } from '../telegram/shown.ts'

let s: TelegramStorm
let group: TgChat

before(async () => {
  s = await startTelegramStorm({ chatId: GROUP_ID })
  group = s.h.group(GROUP_ID, 'Storm friends')
  await s.h.ask(YARA, group, '/connect')
})

after(async () => { await s?.stop() })

test('a member taps buttons whose data name prototype properties, and types them: told there is no such directive or member', async () => {
  const en = s.demo.locales.translator('en')
  const manager = s.demo.manager.manager
  const before = JSON.stringify(manager.state)
  const anchor = await s.h.ask(YARA, group, '/help')
  for (const id of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
    for (const action of ['approve', 'reject']) {
      const a = await s.h.tap(YARA, group, anchor.id, `${action}:${id}`)
      assert.equal(a.text, en.error(new StormError('UNKNOWN_DIRECTIVE', { id })), `${action}:${id}`)
    }
    const admitted = await s.h.tap(ADA, group, anchor.id, `admit:${id}`)
    assert.equal(admitted.text, en.error(new StormError('UNKNOWN_MEMBER', { ref: id })), `admit:${id}`)
    const typed = await s.h.ask(YARA, group, `/approve ${id}`)
    assert.equal(typed.text, shown(en.error(new StormError('UNKNOWN_DIRECTIVE', { id }))), `/approve ${id}`)
  }
  assert.equal(JSON.stringify(manager.state), before, 'nothing changed')
})
