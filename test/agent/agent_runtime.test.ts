/**
 * The agent runtime as stormd runs it, against a real manager runtime over Hyperswarm on a local
 * DHT testnet: pairing with the invitation from /pair, the first report reaching the manager, a
 * restart that keeps the key and the pairing, and a failed re-pairing that leaves the agent as it
 * was. Both sides share one manual clock, started at the wall-clock time.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ManualClock } from '../../src/shared/clock.ts'
import { Locales } from '../../src/shared/i18n.ts'
import { StormError } from '../../src/shared/errors.ts'
import { SimNetwork } from '../../src/simnet/index.ts'
import { parseAgentConfig } from '../../src/agent/config.ts'
import { localTestnet } from '../../src/protocol/index.ts'
import { defaultRules } from '../../src/manager/rules.ts'
import { startManagerRuntime } from '../../src/app/manager_runtime.ts'
import { startAgentRuntime, type AgentRuntime } from '../../src/app/agent_runtime.ts'

/** Waits for network I/O (not for a schedule: the clock does not move). */
async function waitFor (cond: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms
  while (!cond()) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, 20))
  }
}

test('stormd pairs with the invitation, reports, survives a restart, and a mistyped re-pairing changes nothing', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'storm-agent-runtime-'))
  const testnet = await localTestnet()
  const clock = new ManualClock(Date.now())
  const closers: Array<() => Promise<void>> = []
  t.after(async () => {
    for (const c of closers.reverse()) await c().catch(() => {})
    await testnet.destroy()
    await rm(dir, { recursive: true, force: true })
  })
  const manager = await startManagerRuntime({
    dataDir: join(dir, 'manager'),
    rules: defaultRules({ group: 'Supercell', visibility: 'public' }),
    locales: Locales.load(),
    network: testnet.network,
    clock,
    backupSchedule: null
  })
  closers.push(() => manager.close())
  const network = SimNetwork.create({ seed: 'agent-runtime', clock })
  const node = network.addNode('alice', { onchain: 3_000_000 })
  const config = parseAgentConfig({ node: 'simnet', network: 'simnet', dataDir: join(dir, 'alice') })
  const start = async (): Promise<AgentRuntime> => {
    const r = await startAgentRuntime({ config, lightning: node, network: testnet.network, clock })
    closers.push(() => r.close())
    return r
  }

  const actor = { kind: 'chat' as const, platform: 'console', userId: 'alice', name: '@alice', handle: 'alice', isAdmin: false }
  const joined = await manager.manager.connect(actor)
  assert.ok(joined.ok)
  const issued = await manager.manager.pair(actor)
  assert.ok(issued.ok)
  const memberId = issued.value.member.id

  // pairing with the invitation, then connecting with the agent's permanent key
  const first = await start()
  const pairing = await first.pair(manager.invite(issued.value.code))
  assert.deepEqual({ ...pairing, pairedAt: 0 }, { managerKey: manager.managerKey, memberId, group: 'Supercell', node: node.publicKey, pairedAt: 0 })
  await waitFor(() => manager.manager.observations.get(memberId).report !== undefined, 'the first report at the manager')
  assert.equal(first.agent.connected, true)

  // a restart reads the same key and pairing from the data folder and reconnects on its own
  await first.close()
  const second = await start()
  assert.deepEqual(second.keyPair, first.keyPair)
  assert.deepEqual(second.agent.pairing, first.agent.pairing)
  await second.agent.start()
  await waitFor(() => second.agent.connected, 'the reconnection after a restart')

  // re-pairing with a code the manager never issued: no answer, and the agent keeps its Storm
  let outcome: unknown = null
  const repair = second.pair(manager.invite('ZZZZ-ZZZZ')).then(() => { outcome = 'paired' }, (e: unknown) => { outcome = e })
  for (let i = 0; i < 100 && outcome === null; i++) {
    clock.advance(1_000)
    await new Promise(resolve => setTimeout(resolve, 10))
  }
  await repair
  assert.ok(outcome instanceof StormError && outcome.code === 'PAIRING_NO_ANSWER', String(outcome))
  assert.deepEqual(second.agent.pairing, first.agent.pairing)
  await waitFor(() => second.agent.connected, 'the agent back on its old link')
  assert.equal((await second.agent.command('getinfo', 'en')).ok, true, 'and it still relays commands')
})
