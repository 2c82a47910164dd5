/**
 * The announcer's promises, on a clock that moves only when told and an API whose calls finish
 * only when told: a burst is one message, nothing is lost while a call is in flight, changes that
 * pile up become one edit, and a restart keeps editing the same messages.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ManualClock } from '../../src/shared/clock.ts'
import { StormError } from '../../src/shared/errors.ts'
import { Announcer, type AnnouncerApi, type Content } from '../../src/bot/core/index.ts'

interface Call { kind: 'send' | 'edit', chatId: string, messageId?: string, content: Content, finish: (error?: unknown) => void }

/** An API whose calls wait until the test finishes them. */
function deferredApi (): { api: AnnouncerApi, calls: Call[], finishAll: () => Promise<void> } {
  const calls: Call[] = []
  let next = 100
  const api: AnnouncerApi = {
    send: (chatId, content) => new Promise((resolve, reject) => {
      const id = String(next++)
      calls.push({ kind: 'send', chatId, content, finish: e => { if (e === undefined) resolve(id); else reject(e) } })
    }),
    edit: (chatId, messageId, content) => new Promise((resolve, reject) => {
      calls.push({ kind: 'edit', chatId, messageId, content, finish: e => { if (e === undefined) resolve(); else reject(e) } })
    })
  }
  const finishAll = async (): Promise<void> => {
    for (let i = 0; i < 20; i++) {
      await tick()
      const open = calls.filter(c => !(c as { done?: boolean }).done)
      if (open.length === 0) return
      for (const c of open) { (c as { done?: boolean }).done = true; c.finish() }
    }
  }
  return { api, calls, finishAll }
}

const tick = (): Promise<void> => new Promise(resolve => setImmediate(resolve))
const line = (id: string, status: string): Content => ({ text: `${id} — ${status}`, buttons: [[{ label: 'Approve', action: `approve:${id}` }]] })

test('announcements that arrive together are one message, with a labelled button row each', async () => {
  const clock = new ManualClock()
  const { api, calls, finishAll } = deferredApi()
  const a = new Announcer({ api, clock, batchMs: 500 })
  for (const id of ['d1', 'd2', 'd3', 'd4']) a.post('-1', `directive:${id}`, line(id, 'sent'))
  await tick()
  assert.equal(calls.length, 0, 'nothing before the batching window ends')
  clock.advance(500)
  await finishAll()
  assert.equal(calls.length, 1)
  assert.deepEqual(calls[0]!.content, {
    text: ['d1 — sent', 'd2 — sent', 'd3 — sent', 'd4 — sent'].join('\n\n'),
    buttons: ['d1', 'd2', 'd3', 'd4'].map(id => [{ label: `Approve ${id}`, action: `approve:${id}` }])
  })
  assert.equal(a.messageOf('-1', 'directive:d3'), '100')
})

test('a change that arrives while the message is on its way is one edit after it; none is lost', async () => {
  const clock = new ManualClock()
  const { api, calls, finishAll } = deferredApi()
  const a = new Announcer({ api, clock, batchMs: 100 })
  a.post('-1', 'directive:d1', line('d1', 'sent'))
  clock.advance(100)
  await tick()
  assert.equal(calls.length, 1)
  // the send is in flight: three changes come in, and a new announcement
  a.post('-1', 'directive:d1', line('d1', 'approved'))
  a.post('-1', 'directive:d1', line('d1', 'executing'))
  a.post('-1', 'directive:d1', { text: 'd1 — ✅' })
  a.post('-1', 'directive:d2', line('d2', 'sent'))
  await finishAll()
  assert.deepEqual(calls.map(c => [c.kind, c.messageId, c.content.text]), [
    ['send', undefined, 'd1 — sent'],
    ['edit', '100', 'd1 — ✅'],
    ['send', undefined, 'd2 — sent']
  ])
  assert.deepEqual(calls[1]!.content, { text: 'd1 — ✅' })
})

test('an edit that would change nothing is not made', async () => {
  const clock = new ManualClock()
  const { api, calls, finishAll } = deferredApi()
  const a = new Announcer({ api, clock, batchMs: 0 })
  a.post('5', 'k', { text: 'same' })
  clock.advance(0)
  await finishAll()
  a.post('5', 'k', { text: 'same' })
  clock.advance(0)
  await finishAll()
  assert.equal(calls.length, 1)
})

test('a deleted message is announced again; a refused one is dropped and logged', async () => {
  const clock = new ManualClock()
  const { api, calls, finishAll } = deferredApi()
  const logged: string[] = []
  const a = new Announcer({ api, clock, batchMs: 0, log: (event) => logged.push(event) })
  a.post('-1', 'k', { text: 'one' })
  clock.advance(0)
  await finishAll()
  a.post('-1', 'k', { text: 'two' })
  clock.advance(0)
  await tick()
  calls.at(-1)!.finish(new StormError('MESSAGE_GONE'))
  ;(calls.at(-1) as { done?: boolean }).done = true
  await finishAll()
  assert.deepEqual(calls.map(c => [c.kind, c.content.text]), [['send', 'one'], ['edit', 'two'], ['send', 'two']])
  assert.equal(a.messageOf('-1', 'k'), '101')

  a.post('42', 'p', { text: 'private' })
  clock.advance(0)
  await tick()
  calls.at(-1)!.finish(new Error("403: Forbidden: bot can't initiate conversation with a user"))
  ;(calls.at(-1) as { done?: boolean }).done = true
  await finishAll()
  assert.deepEqual(logged, ['chat_announce_failed'])
  assert.equal(a.messageOf('42', 'p'), undefined)
})

test('after a restart, a known key edits the message it was announced in', async () => {
  const clock = new ManualClock()
  const first = deferredApi()
  const a = new Announcer({ api: first.api, clock, batchMs: 0 })
  a.post('-1', 'directive:d1', line('d1', 'sent'))
  a.post('-1', 'directive:d2', line('d2', 'sent'))
  clock.advance(0)
  await first.finishAll()
  const saved = JSON.parse(JSON.stringify(a.snapshot()))

  const second = deferredApi()
  const b = new Announcer({ api: second.api, clock, batchMs: 0, restored: saved })
  b.post('-1', 'directive:d2', { text: 'd2 — ✅' })
  clock.advance(0)
  await second.finishAll()
  assert.deepEqual(second.calls.map(c => [c.kind, c.messageId]), [['edit', '100']])
  // the other announcement in the message is kept as it was
  assert.deepEqual(second.calls[0]!.content, { text: 'd1 — sent\n\nd2 — ✅', buttons: [[{ label: 'Approve d1', action: 'approve:d1' }]] })
})
