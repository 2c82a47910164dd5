/**
 * An owner says where their node is (stormd.conf `region`): stormd tells the manager in its hello,
 * and the manager's placement reads it. A region with spaces or symbols is refused when stormd
 * reads its configuration, before anything is sent.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ManualClock } from '../../src/shared/clock.ts'
import { SimNetwork } from '../../src/simnet/index.ts'
import { parseAgentConfig } from '../../src/agent/config.ts'
import { pairedAgent, until } from './fake_link.ts'

test('stormd.conf region reaches the manager in the hello', async () => {
  const clock = new ManualClock()
  const network = SimNetwork.create({ seed: 'region', confirmations: 3, clock })
  const me = network.addNode('me', { onchain: 1_000_000 })
  const { agent, link } = await pairedAgent({ config: parseAgentConfig({ dataDir: '/nonexistent/stormd-test', region: 'eu-west' }), lightning: me, clock, keyByte: 7 })
  link().up()
  await until(() => link().of('hello').length === 1, 'the hello')
  assert.equal(link().of('hello')[0]!.node.region, 'eu-west')
  await agent.stop()
})

test('a region with spaces or symbols is refused when the configuration is read', () => {
  assert.throws(() => parseAgentConfig({ dataDir: '/nonexistent/stormd-test', region: 'eu west; drop' }), (e: unknown) => e instanceof Error && e.message === 'CONFIG_INVALID' && JSON.stringify(e).includes('region'))
  assert.equal(parseAgentConfig({ dataDir: '/nonexistent/stormd-test' }).region, undefined, 'no region: none is sent')
})
