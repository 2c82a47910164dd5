/**
 * LND going away and coming back, as stormd's heartbeats see it: calls fail with
 * LN_UNAVAILABLE while it is down and answer again once it is back, and the event
 * subscription resumes by itself (its retry delay runs on the injected clock).
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ManualClock } from '../../src/shared/clock.ts'
import type { LightningEvent } from '../../src/agent/lightning_port.ts'
import { adapter, eventually, network, rejectsWith, SKIP } from './helpers.ts'

test('LND stopped and restarted', { skip: SKIP }, async t => {
  const net = network()
  const clock = new ManualClock()
  const carol = adapter(net, 'carol', { clock })
  const events: LightningEvent[] = []
  const unsubscribe = carol.subscribe(e => events.push(e))
  t.after(async () => {
    unsubscribe()
    if (!net.isLndRunning('carol')) await net.startLnd('carol')
  })
  const publicKey = net.node('carol').publicKey
  assert.equal((await carol.getInfo()).publicKey, publicKey)

  await t.test('while LND is down every call fails with LN_UNAVAILABLE', async () => {
    await net.stopLnd('carol')
    await rejectsWith(carol.getInfo(), 'LN_UNAVAILABLE')
    await rejectsWith(carol.getChannels(), 'LN_UNAVAILABLE')
    await rejectsWith(carol.getChainBalance(), 'LN_UNAVAILABLE')
    const down = await rejectsWith(carol.signMessage('challenge'), 'LN_UNAVAILABLE')
    assert.equal(down.params.method, 'signMessage')
  })

  await t.test('once LND is back the same adapter answers again', async () => {
    await net.startLnd('carol')
    const info = await carol.getInfo()
    assert.equal(info.publicKey, publicKey)
    assert.equal(info.syncedToChain, true)
  })

  await t.test('the subscription resumes after its retry delay and sees new blocks', async () => {
    const height = await net.mine(1)
    // the streams died with LND; nothing arrives until the retry timer fires
    assert.ok(!events.some(e => e.type === 'block' && e.height === height))
    clock.advance(60_000)
    await eventually(async () => events.some(e => e.type === 'block' && e.height >= height) ? true : undefined, 'a block event after the restart')
    const next = await net.mine(1)
    await eventually(async () => events.some(e => e.type === 'block' && e.height === next) ? true : undefined, `block ${next}`)
  })
})
