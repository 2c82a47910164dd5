/**
 * `/move AMOUNT FROM TO` in chat: a member with a fleet moves sats between two of its own nodes,
 * named by alias; naming a node that is not theirs is answered clearly and changes nothing.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { PassThrough } from 'node:stream'
import { ManagerFixture, LOCALES } from '../support/manager_fixture.ts'
import { ConsoleChat } from '../../src/bot/console/console_chat.ts'
import { StormError } from '../../src/shared/errors.ts'
import { describeDirective } from '../../src/bot/render.ts'

async function chatOf (f: ManagerFixture, actor: ReturnType<ManagerFixture['chatActor']>, lang: string): Promise<ConsoleChat> {
  return new ConsoleChat({ manager: f.manager, locales: LOCALES, actor, lang, input: new PassThrough(), output: new PassThrough(), interactive: false, pairingInvite: code => code })
}

test('/move between your own nodes asks the payee node for an invoice; a node of someone else is refused, in the member\'s language', async () => {
  const f = await ManagerFixture.start()
  await f.joinAndPair('alice')
  const corp = await f.joinAndPair('corp')
  const second = await f.pairNode(corp.actor, 'warehouse', 'X'.charCodeAt(0))
  const en = LOCALES.translator('en')
  const chat = await chatOf(f, corp.actor, 'en')

  const reply = await chat.handle('/move 100000 corp warehouse')
  const sent = f.link.to(second.agentKey, 'directive')
  assert.equal(sent.length, 1)
  assert.equal(reply.text, en.t('move-submitted', { amount: 100_000, from: 'corp', to: 'warehouse', directive: sent[0]!.id, fee: 1000 }))
  assert.deepEqual(sent[0]!.kind === 'create_invoice' && sent[0]!.params, { amount: 100_000, payer: corp.nodeKey, maxFee: 1000 })
  // what corp reads about it names the node, not corp again (both nodes are corp's)
  const record = f.manager.state.directives[sent[0]!.id]!
  assert.equal(describeDirective(record, f.manager, en), en.t('directive-create-invoice', { amount: 100_000, payer: 'corp' }))
  const payment = { ...record, directive: { ...record.directive, kind: 'pay_invoice', params: { request: 'lnbcrt1', payee: second.nodeKey, amount: 100_000, maxFee: 1000 } } } as typeof record
  assert.equal(describeDirective(payment, f.manager, en), en.t('directive-pay-invoice', { amount: 100_000, payee: 'warehouse', fee: 1000 }))

  const before = JSON.stringify(f.stored().directives)
  const es = LOCALES.translator('es')
  const bad = await (await chatOf(f, corp.actor, 'es')).handle('/move 100000 corp alice')
  assert.equal(bad.text, es.error(new StormError('NOT_YOUR_NODE', { node: 'alice' })))
  assert.equal(JSON.stringify(f.stored().directives), before)
})
