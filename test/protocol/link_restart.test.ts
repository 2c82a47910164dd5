/**
 * A manager that stops: when it stops as it should (its link closed), every connected agent learns
 * it from the connection ending, not from its silence running out; agents then find the manager
 * started again under the same key. Real link on a local DHT testnet.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { EventEmitter } from 'node:events'
import { AgentLink, generateKeyPair, localTestnet, ManagerLink } from '../../src/protocol/index.ts'
import type { LocalTestnet } from '../../src/protocol/index.ts'
import { TEST_BACKOFF } from './link_helpers.ts'
import { collect, waitFor } from './wait_for.ts'

let testnet: LocalTestnet
before(async () => { testnet = await localTestnet() })
after(async () => { await testnet.destroy() })

test('the manager stops and starts again: each agent is told by its connection ending (not by a timeout) and comes back to the new one', async (t) => {
  const managerKeys = generateKeyPair()
  const start = async (): Promise<ManagerLink> => {
    const m = new ManagerLink({ keyPair: managerKeys, network: testnet.network, admit: () => 'member' })
    await m.listen()
    return m
  }
  let manager = await start()
  const logs = [new EventEmitter(), new EventEmitter()]
  const agents = logs.map(log => new AgentLink({
    keyPair: generateKeyPair(), managerKey: manager.publicKey, network: testnet.network, backoff: TEST_BACKOFF,
    log: (event, data) => { log.emit(event, data) }
  }))
  t.after(async () => { for (const a of agents) await a.close(); await manager.close() })
  const errors = logs.map(log => collect<[{ code: string }]>(log, 'connection_error'))
  const registered = collect(manager, 'connected')
  await Promise.all(agents.map(a => { const c = waitFor(a, 'connected', 'an agent to connect'); a.start(); return c }))
  while (registered.length < 2) await new Promise(resolve => setTimeout(resolve, 20))

  const gone = agents.map(a => waitFor(a, 'disconnected', 'the agent to see the manager go'))
  await manager.close()
  await Promise.all(gone)
  for (const e of errors) {
    assert.ok(!e.some(([d]) => /timed out|ETIMEDOUT/i.test(d.code)), `told by the close, not by silence: ${JSON.stringify(e)}`)
  }

  const back = agents.map(a => waitFor(a, 'connected', 'the agent to find the new manager', { timeoutMs: 60_000 }))
  manager = await start()
  await Promise.all(back)
  const deadline = Date.now() + 10_000
  while (manager.connectedAgents().length < 2 && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 20))
  assert.equal(manager.connectedAgents().length, 2, 'both agents on the new manager')
})
