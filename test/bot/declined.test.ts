/**
 * A member declines a directive: the console shows the directive ❌ declined by that member, and
 * the request it belonged to shows what was declined — at once, and when it is done for less.
 * The same announcements whether the member rejects in chat or with `stormcli reject` on their
 * machine (the agent reports the directive rejected).
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { PassThrough } from 'node:stream'
import { ManagerFixture, LOCALES, agentFunds, channelReport, type TestMember } from '../support/manager_fixture.ts'
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

test('/reject: the batch is ❌ declined by you, and the request says so at once; nothing of it runs', async () => {
  const { f, you, chat, t, printed } = await consoleStorm()
  const { allocation, channels } = await planned(f, you, 1_500_000)
  // one directive funds the whole request: declining it declines every channel
  const id = channels[0]!.directive
  assert.ok(channels.every(c => c.directive === id))
  const what = describeDirective(f.manager.state.directives[id]!, f.manager, t)
  assert.equal(what, t.t('directive-open-channels', { count: 3, total: 1_500_000, list: ['@alice', '@bob', '@carol'].map(peer => t.t('directive-open-channels-item', { amount: 500_000, peer })).join(', ') }))

  const reply = await chat.handle(`/reject ${id}`)
  assert.equal(reply.text, t.t('reject-done', { id, what }))
  const lines = printed().split('\n')
  const directiveLine = '📣 ' + t.t('announce-directive', { name: '@you', id, what, status: t.t('status-rejected', { name: '@you' }) })
  assert.ok(lines.includes(directiveLine), printed())
  assert.ok(directiveLine.endsWith('— ❌ declined by @you'))
  const request = '📣 ' + t.t('announce-allocation-add', { name: '@you', id: allocation.id, amount: 1_500_000, status: t.t('allocation-status-declined', { name: '@you' }) })
  assert.ok(lines.includes(request), printed())
  // the agent is told once, and nothing of it will run
  assert.deepEqual(f.link.to(you.agentKey, 'approval').map(a => [a.directive, a.decision]), [[id, 'reject']])
  assert.equal(f.stored().directives[id]?.status, 'rejected')
  assert.equal(f.stored().allocations[allocation.id]?.status, 'failed')
  const info = JSON.parse((await chat.handle('/getinfo')).text)
  assert.equal(info.total_allocations, 0)
  assert.deepEqual(info.pending_allocations, [])
})

test('/approve then funded: the batch is ✅ done in one transaction and the request counts in full', async () => {
  const { f, you, chat, t, printed } = await consoleStorm()
  const { allocation, channels } = await planned(f, you, 1_500_000)
  await chat.handle('/approve all')
  const points = await agentFunds(f, you, channels, 7)
  const tx = points[0]!.split(':')[0]!
  const what = describeDirective(f.manager.state.directives[channels[0]!.directive]!, f.manager, t)
  const doneLine = '📣 ' + t.t('announce-directive', { name: '@you', id: channels[0]!.directive, what, status: t.t('status-succeeded-channels', { count: 3, tx }) })
  assert.ok(printed().split('\n').includes(doneLine), printed())
  await f.report(you.agentKey, 3_490_000, channels.map((c, i) => channelReport(points[i]!, c.peer, c.capacity, c.capacity)))
  assert.ok(printed().split('\n').includes('📣 ' + t.t('announce-allocation-add', { name: '@you', id: allocation.id, amount: 1_500_000, status: t.t('allocation-status-done') })), printed())
  assert.equal(JSON.parse((await chat.handle('/getinfo')).text).total_allocations, 1_500_000)
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
  const directives = new Set(channels.map(c => c.directive))
  const reply = await chat.handle('/reject all')
  assert.equal(reply.text.split('\n').length, directives.size)
  const after = printed().split('\n').slice(before).filter(l => l.startsWith('📣'))
  const request = '📣 ' + t.t('announce-allocation-add', { name: '@you', id: allocation.id, amount: 1_500_000, status: t.t('allocation-status-declined', { name: '@you' }) })
  assert.equal(after.filter(l => l === request).length, 1, after.join('\n'))
  for (const c of channels) assert.equal(after.filter(l => l.includes(` · ${c.directive} · `)).length, 1, after.join('\n'))
  // no other announcement: one line per directive, one for the request
  assert.equal(after.length, directives.size + 1, after.join('\n'))
})
