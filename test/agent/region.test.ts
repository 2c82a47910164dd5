/**
 * An owner says where their node is (stormd.conf `region`): stormd tells the manager in its hello,
 * and the manager's placement reads it. A region with spaces or symbols is refused when stormd
 * reads its configuration, before anything is sent.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ManualClock } from '../../src/shared/clock.ts'
import { MemoryStore } from '../../src/shared/json_store.ts'
import { SimNetwork } from '../../src/simnet/index.ts'
import { parseAgentConfig } from '../../src/agent/config.ts'
import { emptyAgentState, type AgentState } from '../../src/agent/agent_state.ts'
import { StormAgent } from '../../src/agent/stormd.ts'
import { FakeLink, MANAGER_KEY, until } from './fake_link.ts'

test('stormd.conf region reaches the manager in the hello', async () => {
  const clock = new ManualClock()
  const network = SimNetwork.create({ seed: 'region', confirmations: 3, clock })
  const me = network.addNode('me', { onchain: 1_000_000 })
  const links: FakeLink[] = []
  const agent = new StormAgent({
    config: parseAgentConfig({ dataDir: '/nonexistent/stormd-test', region: 'eu-west' }),
    lightning: me,
    store: new MemoryStore<AgentState>(emptyAgentState),
    keyPair: { publicKey: Buffer.alloc(32, 7), secretKey: Buffer.alloc(64, 7) },
    clock,
    connect: (kp, managerKey) => { const l = new FakeLink(kp, managerKey); links.push(l); return l }
  })
  await agent.load()
  await agent.paired({ managerKey: MANAGER_KEY, memberId: 'mem1', group: 'Supercell', node: me.publicKey, pairedAt: clock.now() })
  await agent.start()
  links.at(-1)!.up()
  await until(() => links.at(-1)!.of('hello').length === 1, 'the hello')
  assert.equal(links.at(-1)!.of('hello')[0]!.node.region, 'eu-west')
  await agent.stop()
})

test('a region with spaces or symbols is refused when the configuration is read', () => {
  assert.throws(() => parseAgentConfig({ dataDir: '/nonexistent/stormd-test', region: 'eu west; drop' }), (e: unknown) => e instanceof Error && e.message === 'CONFIG_INVALID' && JSON.stringify(e).includes('region'))
  assert.equal(parseAgentConfig({ dataDir: '/nonexistent/stormd-test' }).region, undefined, 'no region: none is sent')
})
