/**
 * Fault: your stormd's result of a directive is written into a connection that is dead. It must
 * reach the manager without waiting for the next hello (and the manager's redelivery that
 * follows it): the manager acknowledges each result it has stored (`result_ack`), stormd keeps
 * unacknowledged ones in its state file and sends them again at once on a new connection and on a
 * timer while connected; the manager takes a result it already has once. Over the real Hyperswarm
 * link of the demo Storm (hyperdht testnet on 127.0.0.1).
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { youAddFunds } from '../support/demo_you.ts'
import { startDemoStorm, type DemoStorm } from '../../src/demo/demo_storm.ts'
import type { Message } from '../../src/protocol/messages.ts'
import type { ManagerLink } from '../../src/protocol/index.ts'

/** Lets the test see (and lose) what reaches the manager from the link, before the manager does. */
function tapIncoming (link: ManagerLink, tap: (agentKey: string, msg: Message) => 'lose' | 'keep'): void {
  const emit = link.emit.bind(link) as (event: string, ...args: unknown[]) => boolean
  ;(link as unknown as { emit: typeof emit }).emit = (event, ...args) => {
    if (event === 'message' && tap(args[0] as string, args[1] as Message) === 'lose') return true
    return emit(event, ...args)
  }
}

/** Lets the test lose what the manager sends, before it reaches the link. */
function tapOutgoing (link: ManagerLink, tap: (agentKey: string, type: string, body: unknown) => 'lose' | 'keep'): void {
  const send = link.send.bind(link)
  link.send = ((agentKey: string, type: never, body: never) => tap(agentKey, type, body) === 'lose' ? 'lost' : send(agentKey, type, body)) as typeof link.send
}

async function storm (): Promise<{ demo: DemoStorm, you: { id: string, agentKey: string }, allocation: { channels: Array<{ directive: string }> } }> {
  const demo = await startDemoStorm({ warmup: false })
  const { you, added } = await youAddFunds(demo, 1_000_000)
  return { demo, you: { id: you.id, agentKey: you.agentKey! }, allocation: added }
}

/** The directive ended succeeded, and moved there once. */
function succeededOnce (demo: DemoStorm, directive: string): void {
  const record = demo.manager.manager.state.directives[directive]
  assert.equal(record?.status, 'succeeded', directive)
  assert.equal(record.history.filter(h => h.status === 'succeeded').length, 1, `${directive} succeeded once`)
}

async function until (what: string, fn: () => boolean, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!fn()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, 50))
  }
}

test('the connection dies as your stormd sends a result: the result goes again first thing on the new connection, before the hello, and counts once', async () => {
  const { demo, you, allocation } = await storm()
  try {
    const link = demo.manager.link
    let lost: string | null = null
    const after: string[] = []
    tapIncoming(link, (agentKey, msg) => {
      if (agentKey !== you.agentKey) return 'keep'
      if (lost === null && msg.type === 'result') {
        // the bytes die with the connection: the manager never reads them
        lost = msg.body.directive
        link.drop(agentKey)
        return 'lose'
      }
      if (lost !== null) after.push(msg.type === 'result' ? `result:${msg.body.directive}` : msg.type)
      return 'keep'
    })
    assert.ok((await demo.manager.manager.decide(demo.you.actor, 'all', 'approve')).ok)
    await until('a result lost with its connection', () => lost !== null)
    await demo.settle()
    const firstOnNewConnection = after.findIndex(t => t === `result:${lost}`)
    assert.ok(firstOnNewConnection >= 0, `the lost result came again: ${after.join(', ')}`)
    assert.ok(firstOnNewConnection < after.indexOf('hello'), `before the hello: ${after.join(', ')}`)
    for (const c of allocation.channels) succeededOnce(demo, c.directive)
    const channels = demo.network.channelsOf(demo.you.node.publicKey)
    assert.equal(channels.length, allocation.channels.length, 'one channel per directive, none twice')
    await until('every result acknowledged', () => demo.you.runtime.agent.state.directives[lost!]?.unacked === undefined)
  } finally {
    await demo.close()
  }
})

test('a result and then its acknowledgement are lost on a connection that stays up: stormd sends it again on its own, no new hello, and the manager records it once', async () => {
  const { demo, you, allocation } = await storm()
  try {
    const link = demo.manager.link
    let lostResult: string | null = null
    let lostAck: string | null = null
    let hellos = 0
    const results: string[] = []
    tapIncoming(link, (agentKey, msg) => {
      if (agentKey !== you.agentKey) return 'keep'
      if (msg.type === 'hello') hellos++
      if (msg.type !== 'result') return 'keep'
      if (lostResult === null) {
        lostResult = msg.body.directive
        return 'lose'
      }
      results.push(msg.body.directive)
      return 'keep'
    })
    tapOutgoing(link, (agentKey, type, body) => {
      if (agentKey !== you.agentKey || type !== 'result_ack' || lostAck !== null) return 'keep'
      lostAck = (body as { directive: string }).directive
      return 'lose'
    })
    assert.ok((await demo.manager.manager.decide(demo.you.actor, 'all', 'approve')).ok)
    await until('the lost result sent again', () => results.includes(lostResult ?? ''))
    await demo.settle()
    await until('every result acknowledged', () => Object.values(demo.you.runtime.agent.state.directives).every(d => d.unacked === undefined))
    assert.equal(hellos, 0, 'no reconnect: the result did not wait for a hello')
    assert.ok(lostAck !== null, 'an acknowledgement was lost')
    assert.ok(results.filter(d => d === lostAck).length >= 2, 'the result whose ack was lost came again')
    for (const c of allocation.channels) succeededOnce(demo, c.directive)
    const channels = demo.network.channelsOf(demo.you.node.publicKey)
    assert.equal(channels.length, allocation.channels.length, 'one channel per directive, none twice')
  } finally {
    await demo.close()
  }
})
