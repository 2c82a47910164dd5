/**
 * `/move AMOUNT FROM TO` on real LND: corp, one member, runs two nodes (carol first, erin its
 * fleet), each with its own stormd paired to the real manager. corp types `/move` in the chat;
 * erin's stormd creates the invoice, carol's pays it, and corp is told both outcomes.
 *
 * erin is the node no other file gives a channel: first it has none, so carol finds no route —
 * the failure is reported and nothing is paid, then or later. Then the test opens carol → alice
 * → erin (alice is outside the Storm, and charges a routing fee) and the same move goes through:
 * the sats leave carol and arrive at erin, the fee within the move's maximum. erin's channels are
 * closed at the end so the second pass (the other macaroon) finds erin without a route again.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { getChannels, getInvoice, getPayments } from 'lightning'
import { StormError } from '../../src/shared/errors.ts'
import type { Actor } from '../../src/manager/members/find_member.ts'
import type { DirectiveRecord } from '../../src/manager/state/schema.ts'
import { ConsoleChat } from '../../src/bot/console/console_chat.ts'
import { moveMaxFee } from '../../src/bot/commands/move.ts'
import { directiveAgent } from '../../src/manager/members/member_nodes.ts'
import { network, SKIP } from './helpers.ts'
import { closeChannelsBetween, startRegtestManager, startStormd, until, type Stormd } from './stormd_helpers.ts'

const AMOUNT = 50_000
const corpActor: Extract<Actor, { kind: 'chat' }> = { kind: 'chat', platform: 'test', userId: 'corp', name: '@corp', handle: 'corp', isAdmin: false }

test('/move between two nodes of one member, each with its own stormd, on LND', { skip: SKIP }, async t => {
  const net = network()
  const keyC = net.node('carol').publicKey
  const keyE = net.node('erin').publicKey
  // left by an interrupted run: erin must start without a channel
  await closeChannelsBetween(net, 'alice', 'erin')
  await closeChannelsBetween(net, 'carol', 'erin')
  const { runtime, closers, locales, dir, testnet } = await startRegtestManager(t)
  const { manager } = runtime
  const en = locales.translator('en')
  const output = new PassThrough()
  let shown = ''
  output.on('data', (chunk: Buffer) => { shown += chunk.toString() })
  const chat = new ConsoleChat({ manager, locales, actor: corpActor, lang: 'en', input: new PassThrough(), output, interactive: false, pairingInvite: code => code })
  const record = (id: string): DirectiveRecord | undefined => manager.state.directives[id]
  /** The move's pay_invoice, once the invoice `invoiceId` was created and the payment issued. */
  const paymentOf = (invoiceId: string): DirectiveRecord | undefined => Object.values(manager.state.directives)
    .find(r => r.directive.kind === 'pay_invoice' && r.directive.reason.includes(`(invoice ${invoiceId})`))
  const ended = (r: DirectiveRecord | undefined): DirectiveRecord | undefined => r?.status === 'succeeded' || r?.status === 'failed' ? r : undefined

  /** corp types `/move AMOUNT carol erin`; returns the invoice directive's id. */
  const move = async (): Promise<string> => {
    const reply = await chat.handle(`/move ${AMOUNT} carol erin`)
    assert.ok(reply.ok, reply.text)
    const invoice = Object.values(manager.state.directives).filter(r => r.directive.kind === 'create_invoice').at(-1)!
    assert.equal(reply.text, en.t('move-submitted', { amount: AMOUNT, from: 'carol', to: 'erin', directive: invoice.directive.id, fee: moveMaxFee(AMOUNT) }))
    return invoice.directive.id
  }

  let carolD: Stormd | undefined
  let erinD: Stormd | undefined
  let corpId = ''
  /** The stormd a directive went to: the one it names, else the member's first node's. */
  const agentOf = (r: DirectiveRecord): string | undefined => directiveAgent(manager.state.members[corpId], r)
  await t.test('corp pairs carol, then erin from a second stormd: erin joins its fleet, and each stormd learns both are corp’s', async () => {
    assert.ok((await manager.connect(corpActor)).ok)
    const pairNode = async (alias: string): Promise<Stormd> => {
      const code = await manager.pair(corpActor)
      assert.ok(code.ok)
      corpId = code.value.member.id
      // payments are not spaced out here: the failed move and the good one follow each other
      const stormd = await startStormd(net, alias, join(dir.path, alias), testnet.network, { minTimeBetweenPayments: 0 })
      closers.push(() => stormd.runtime.close())
      await stormd.runtime.pair(runtime.invite(code.value.code))
      return stormd
    }
    carolD = await pairNode('carol')
    erinD = await pairNode('erin')
    const member = manager.state.members[corpId]!
    assert.equal(member.node?.publicKey, keyC)
    assert.deepEqual(member.fleet?.map(f => [f.agentKey, f.node.publicKey, f.node.alias]), [[erinD.agentKey, keyE, 'erin']])
    for (const stormd of [carolD, erinD]) {
      await until(() => [keyC, keyE].every(k => stormd.runtime.agent.state.roster.includes(k)) ? true : undefined, 'both nodes in each roster')
    }
  })

  let failedInvoice = ''
  await t.test('no route from carol to erin: erin’s invoice is created, carol’s payment fails with no route, corp is told, nothing is paid', async () => {
    assert.deepEqual((await getChannels({ lnd: net.lnd('erin') })).channels, [], 'erin starts without a channel')
    const before = await localBalance(net.lnd('carol'))
    const invoiceId = await move()
    const invoice = await until(() => ended(record(invoiceId)), 'erin’s invoice', 60_000)
    assert.equal(invoice.status, 'succeeded', JSON.stringify(invoice.error))
    assert.equal(agentOf(invoice), erinD!.agentKey, 'the invoice directive went to erin’s stormd')
    failedInvoice = String(invoice.result?.paymentId)
    const request = String(invoice.result?.request)
    const onErin = await getInvoice({ lnd: net.lnd('erin'), id: failedInvoice })
    assert.deepEqual([onErin.request, onErin.tokens, onErin.is_confirmed], [request, AMOUNT, false])

    const pay = await until(() => ended(paymentOf(invoiceId)), 'carol’s payment to end', 120_000)
    assert.equal(agentOf(pay), carolD!.agentKey, 'the payment directive went to carol’s stormd')
    assert.deepEqual(pay.directive.kind === 'pay_invoice' && pay.directive.params, { request, payee: keyE, amount: AMOUNT, maxFee: moveMaxFee(AMOUNT) })
    assert.equal(pay.status, 'failed')
    assert.equal(pay.error?.code, 'LN_NO_ROUTE', JSON.stringify(pay.error))
    // corp reads both outcomes in the chat: the invoice made, the payment failed for want of a route
    await until(() => shown.includes(en.error(new StormError('LN_NO_ROUTE', pay.error?.params ?? {}))) ? true : undefined, 'the failure in the chat')
    assert.ok(shown.includes(en.t('directive-create-invoice', { amount: AMOUNT, payer: 'carol' })), shown)
    assert.ok(shown.includes(en.t('directive-pay-invoice', { amount: AMOUNT, payee: 'erin', fee: moveMaxFee(AMOUNT) })), shown)

    assert.equal((await getInvoice({ lnd: net.lnd('erin'), id: failedInvoice })).is_confirmed, false)
    assert.equal(await localBalance(net.lnd('carol')), before)
    const stored = carolD!.runtime.agent.state
    assert.equal(stored.directives[pay.directive.id]?.status, 'failed')
    assert.equal(stored.ledger.filter(e => e.kind === 'rebalance').length, 0, 'nothing spent against corp’s limits')
  })

  await t.test('with carol → alice → erin open, the same move goes through: erin receives it, carol pays it and a fee within the maximum, once', async () => {
    await net.openChannels([{ from: 'carol', to: 'alice', capacity: 400_000 }, { from: 'alice', to: 'erin', capacity: 400_000 }])
    const carolBefore = await localBalance(net.lnd('carol'))
    const paidBefore = new Set((await getPayments({ lnd: net.lnd('carol') })).payments.map(p => p.id))
    const erinBefore = await localBalance(net.lnd('erin'))
    assert.equal(erinBefore, 0)
    const invoiceId = await move()
    const invoice = await until(() => ended(record(invoiceId)), 'erin’s invoice', 60_000)
    assert.equal(invoice.status, 'succeeded', JSON.stringify(invoice.error))
    const hash = String(invoice.result?.paymentId)
    const pay = await until(() => ended(paymentOf(invoiceId)), 'carol’s payment', 120_000)
    assert.equal(pay.status, 'succeeded', JSON.stringify(pay.error))
    const { amount, fee, paymentId, hops } = pay.result as { amount: number, fee: number, paymentId: string, hops: number }
    assert.deepEqual([amount, paymentId, hops], [AMOUNT, hash, 2])
    assert.ok(fee > 0 && fee <= moveMaxFee(AMOUNT), `alice’s fee ${fee}, at most ${moveMaxFee(AMOUNT)}`)
    await until(() => shown.includes(en.t('status-succeeded-payment', { fee })) ? true : undefined, 'the success in the chat')

    // the sats moved: erin's invoice is paid in full, carol's side is down by the amount and fee
    const onErin = await getInvoice({ lnd: net.lnd('erin'), id: hash })
    assert.deepEqual([onErin.is_confirmed, onErin.received], [true, AMOUNT])
    await until(async () => await localBalance(net.lnd('erin')) === erinBefore + AMOUNT ? true : undefined, 'erin’s balance')
    const paid = (await getPayments({ lnd: net.lnd('carol') })).payments.find(p => p.id === hash)
    assert.equal(paid?.fee, fee)
    // to the sat: balances are whole sats, the fee is in millisats
    const spent = AMOUNT + Number(paid!.fee_mtokens) / 1000
    await until(async () => Math.abs(carolBefore - await localBalance(net.lnd('carol')) - spent) < 1 ? true : undefined, `carol’s balance down by ${spent}`)
    assert.deepEqual(carolD!.runtime.agent.state.ledger.filter(e => e.kind === 'rebalance').map(e => e.amount), [AMOUNT])

    // once: carol paid only this invoice, never the one of the failed move (still unpaid, now routable)
    const payments = (await getPayments({ lnd: net.lnd('carol') })).payments
    assert.deepEqual(payments.filter(p => !paidBefore.has(p.id)).map(p => [p.id, p.destination]), [[hash, keyE]])
    assert.equal(payments.find(p => p.id === failedInvoice), undefined)
    assert.equal((await getInvoice({ lnd: net.lnd('erin'), id: failedInvoice })).is_confirmed, false)
    assert.equal(Object.values(manager.state.directives).filter(r => r.directive.kind === 'pay_invoice').length, 2, 'one payment per move')
  })

  await t.test('erin’s channels close, so the next pass starts without a route', async () => {
    await closeChannelsBetween(net, 'alice', 'erin')
    assert.deepEqual((await getChannels({ lnd: net.lnd('erin') })).channels, [])
  })
})

/** The node's own side of all its channels, sats. */
async function localBalance (lnd: ReturnType<ReturnType<typeof network>['lnd']>): Promise<number> {
  return (await getChannels({ lnd })).channels.reduce((s, c) => s + c.local_balance, 0)
}
