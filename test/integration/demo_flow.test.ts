/**
 * The newcomer's first minute, for real: the demo Storm (manager, simulated members each with a
 * real stormd, real Hyperswarm links on a local DHT testnet), driven line by line as
 * `printf '/connect\n/addfunds 2000000\n/approve all\n/getinfo\n' | npm start` does.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { PassThrough } from 'node:stream'
import { runDemo } from '../../src/demo/run_demo.ts'
import { startDemoStorm } from '../../src/demo/demo_storm.ts'
import { startAgentRuntime } from '../../src/app/agent_runtime.ts'

test('the piped demo connects, plans, waits for approval, opens the channels and counts the allocation', async () => {
  const input = new PassThrough()
  const output = new PassThrough()
  let transcript = ''
  output.on('data', (d: Buffer) => { transcript += d.toString() })
  input.end('/connect\n/addfunds 2000000\n/approve all\n/getinfo\n')
  await runDemo({ input, output, interactive: false, lang: 'en' })

  const lines = transcript.split('\n')
  // the banner gives the dashboard's address, and /connect your one-time link to its members' view
  const dashboard = transcript.match(/^Dashboard: (http:\/\/127\.0\.0\.1:\d+)$/m)
  assert.ok(dashboard !== null, 'the dashboard address is printed')
  const url = dashboard[1]!
  assert.ok(lines.some(l => /^\(demo\) Your members' view of the dashboard: (\S+)\/login\?token=[\w-]{43}$/.exec(l)?.[1] === url), 'your login link')
  assert.ok(lines.includes('> /connect') && lines.includes('> /approve all'), 'commands echoed')
  assert.match(transcript, /Your request to add 2,000,000 sats has been submitted\./)
  // four channels, one directive: one approval, one funding transaction
  assert.equal((transcript.match(/🔔 waiting for approval/g) ?? []).length, 1, 'one directive waits for you')
  const approved = /^Approved \w{7}: open 4 channels in one funding transaction, 2,000,000 sats in all: (.+)\.$/m.exec(transcript)
  assert.ok(approved !== null, transcript)
  // sizes follow each peer's need for inbound (flow-aware placement): four channels adding up to the request
  const sizes = [...approved[1]!.matchAll(/([\d,]+) sats to @\w+/g)].map(m => Number(m[1]!.replaceAll(',', '')))
  assert.equal(sizes.length, 4)
  assert.equal(sizes.reduce((s, x) => s + x, 0), 2_000_000)
  assert.equal((transcript.match(/✅ done: 4 channels funded by one transaction, [0-9a-f]{64}/g) ?? []).length, 1)
  const json = transcript.slice(transcript.lastIndexOf('> /getinfo') + '> /getinfo'.length).trim()
  const info = JSON.parse(json)
  assert.deepEqual(Object.keys(info), ['version', 'group', 'members', 'connected', 'uptime', 'consensus_fee_base', 'consensus_fee_rate',
    'rating', 'total_allocations', 'pending_allocations', 'pending_deallocations', 'pending_directives'])
  assert.equal(info.group, 'Supercell')
  assert.equal(info.members, 5)
  assert.equal(info.connected, true)
  assert.equal(info.total_allocations, 2_000_000)
  assert.deepEqual(info.pending_allocations, [])
  assert.deepEqual(info.pending_directives, [])
})

test('stormd restarted mid-flow: every directive runs exactly once', async () => {
  const demo = await startDemoStorm({ warmup: false })
  try {
    const { manager } = demo.manager
    await demo.manager.manager.connect(demo.you.actor)
    await demo.pairYou()
    // one directive funds the request's channels
    const r = await manager.addFunds(demo.you.actor, 1_000_000)
    assert.ok(r.ok)
    await demo.settle()
    const id = r.value.channels[0]!.directive
    assert.ok(r.value.channels.every(c => c.directive === id))

    // stop your stormd, approve while it is away, start a new one on the same data
    await demo.you.runtime.close()
    assert.ok((await manager.decide(demo.you.actor, 'all', 'approve')).ok)
    const again = await startAgentRuntime({ config: demo.you.config, lightning: demo.you.node, network: demo.testnet.network })
    try {
      await again.agent.start()
      await demo.settle()
      const channels = demo.network.channelsOf(demo.you.node.publicKey)
      assert.equal(channels.length, r.value.channels.length, 'one channel per planned channel, none twice')
      assert.equal(new Set(channels.map(c => c.peer)).size, channels.length)
      assert.equal(new Set(channels.map(c => c.channelPoint.split(':')[0])).size, 1, 'one funding transaction')
      assert.equal(manager.getInfo(demo.you.actor).total_allocations, 1_000_000)
      assert.equal(manager.state.directives[id]?.status, 'succeeded')
    } finally {
      await again.close()
    }
  } finally {
    await demo.close()
  }
})
