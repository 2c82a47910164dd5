/**
 * A member declines a directive: the console shows the directive ❌ declined by that member, and
 * the request it belonged to shows what was declined — at once, and when it is done for less.
 * The same announcements whether the member rejects in chat or with `stormcli reject` on their
 * machine (the agent reports the directive rejected).
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { PassThrough } from 'node:stream'
import { ManagerFixture, LOCALES, channelReport, outpoint, type TestMember } from '../support/manager_fixture.ts'
import { ConsoleChat } from '../../src/bot/console/console_chat.ts'
import { describeDirective } from '../../src/bot/render.ts'

async function consoleStorm (lang = 'en') {
  const f = await ManagerFixture.start()
  await f.joinAndPair('alice')
  await f.joinAndPair('bob')
  await f.joinAndPair('carol')
  const you = await f.joinAndPair('you', 5_000_000)
  const output = new PassThrough()
  let printed = ''
  output.on('data', (d: Buffer) => { printed += d.toString() })
  const chat = new ConsoleChat({
    manager: f.manager,
    locales: LOCALES,
    actor: you.actor,
    lang,
    input: new PassThrough(),
    output,
    interactive: false,
    pairingInvite: code => code
  })
  return { f, you, chat, t: LOCALES.translator(lang), printed: () => printed }
}

/** Your addfunds, with every directive waiting for your approval. */
async function planned (f: ManagerFixture, you: TestMember, amount: number) {
  const r = await f.manager.addFunds(you.actor, amount)
  assert.ok(r.ok)
  for (const c of r.value.channels) await f.fromAgent(you.agentKey, 'directive_status', { directive: c.directive, status: 'awaiting_approval' })
  return r.value
}

test('/reject: the directive is ❌ declined by you, the request says what was declined, then is done for less', async () => {
  const { f, you, chat, t, printed } = await consoleStorm()
  const { allocation, channels } = await planned(f, you, 1_500_000)
  const [declined, ...rest] = channels as [typeof channels[0], ...typeof channels]
  const what = describeDirective(f.manager.state.directives[declined.directive]!, f.manager, t)

  const reply = await chat.handle(`/reject ${declined.directive}`)
  assert.equal(reply.text, t.t('reject-done', { id: declined.directive, what }))
  const lines = printed().split('\n')
  const directiveLine = '📣 ' + t.t('announce-directive', { name: '@you', id: declined.directive, what, status: t.t('status-rejected', { name: '@you' }) })
  assert.ok(lines.includes(directiveLine), printed())
  assert.ok(directiveLine.endsWith('— ❌ declined by @you'))
  const request = (status: string): string => '📣 ' + t.t('announce-allocation-add', { name: '@you', id: allocation.id, amount: 1_500_000, status })
  assert.ok(lines.includes(request(t.t('allocation-status-with-declined', { status: t.t('allocation-status-pending'), declined: 500_000, name: '@you' }))), printed())
  // the agent is told, and nothing of it will run
  assert.deepEqual(f.link.to(you.agentKey, 'approval').map(a => [a.directive, a.decision]), [[declined.directive, 'reject']])
  assert.equal(f.stored().directives[declined.directive]?.status, 'rejected')

  await chat.handle('/approve all')
  let n = 1
  for (const c of rest) {
    await f.fromAgent(you.agentKey, 'directive_status', { directive: c.directive, status: 'executing' })
    await f.fromAgent(you.agentKey, 'result', { directive: c.directive, outcome: 'succeeded', detail: { channelPoint: outpoint(n++) } })
  }
  await f.report(you.agentKey, 3_990_000, rest.map((c, i) => channelReport(outpoint(i + 1), c.peer, c.capacity, c.capacity)))
  const done = request(t.t('allocation-status-with-declined', { status: t.t('allocation-status-done-for', { moved: 1_000_000 }), declined: 500_000, name: '@you' }))
  assert.ok(printed().split('\n').includes(done), printed())
  assert.equal(done, "📣 @you's request " + allocation.id + ' to add 1,500,000 sats: ✅ done for 1,000,000 sats · ❌ 500,000 sats declined by @you')
  const info = JSON.parse((await chat.handle('/getinfo')).text)
  assert.equal(info.total_allocations, 1_000_000)
  assert.deepEqual(info.pending_allocations, [])
})

test('declined on the member\'s machine (stormcli reject): the same announcements; all declined: the request is ❌ declined', async () => {
  const { f, you, printed } = await consoleStorm('es')
  const es = LOCALES.translator('es')
  const { allocation, channels } = await planned(f, you, 1_000_000)
  for (const c of channels) await f.fromAgent(you.agentKey, 'result', { directive: c.directive, outcome: 'rejected', detail: {} })
  const lines = printed().split('\n')
  for (const c of channels) {
    const what = describeDirective(f.manager.state.directives[c.directive]!, f.manager, es)
    assert.ok(lines.includes('📣 ' + es.t('announce-directive', { name: '@you', id: c.directive, what, status: '❌ rechazada por @you' })), printed())
  }
  assert.equal(lines.filter(l => l.includes(allocation.id)).at(-1),
    '📣 ' + es.t('announce-allocation-add', { name: '@you', id: allocation.id, amount: 1_000_000, status: es.t('allocation-status-declined', { name: '@you' }) }))
  assert.equal(f.stored().allocations[allocation.id]?.status, 'failed')
})

test('/reject all: each directive is declined once on screen, and the request says it once, not once per directive', async () => {
  const { f, you, chat, t, printed } = await consoleStorm()
  const { allocation, channels } = await planned(f, you, 1_500_000)
  const before = printed().split('\n').length - 1
  const reply = await chat.handle('/reject all')
  assert.equal(reply.text.split('\n').length, channels.length)
  const after = printed().split('\n').slice(before).filter(l => l.startsWith('📣'))
  const request = '📣 ' + t.t('announce-allocation-add', { name: '@you', id: allocation.id, amount: 1_500_000, status: t.t('allocation-status-declined', { name: '@you' }) })
  assert.equal(after.filter(l => l === request).length, 1, after.join('\n'))
  for (const c of channels) assert.equal(after.filter(l => l.includes(` · ${c.directive} · `)).length, 1, after.join('\n'))
  // no other announcement: one line per directive, one for the request
  assert.equal(after.length, channels.length + 1, after.join('\n'))
})
