/**
 * stormcli against a real stormd: the control socket served by `agentControlHandler` on a
 * StormAgent driving a simulated node. Only the manager is played by the test (a recording link).
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ManualClock } from '../../src/shared/clock.ts'
import { MemoryStore } from '../../src/shared/json_store.ts'
import { StormError } from '../../src/shared/errors.ts'
import { SimNetwork } from '../../src/simnet/index.ts'
import { parseAgentConfig } from '../../src/agent/config.ts'
import { emptyAgentState, type AgentState } from '../../src/agent/agent_state.ts'
import { StormAgent } from '../../src/agent/stormd.ts'
import { ControlServer } from '../../src/agent/control/control_server.ts'
import { agentControlHandler } from '../../src/app/agent_control.ts'
import { stormcliMain } from '../../src/app/stormcli_main.ts'
import type { MessageBody } from '../../src/protocol/messages.ts'
import { FakeLink, MANAGER_KEY, until } from '../agent/fake_link.ts'
import { openChannel } from '../agent/helpers.ts'
import { Capture, LOCALES } from './cli_harness.ts'

async function setup () {
  const dir = await mkdtemp(join(tmpdir(), 'storm-cli-agent-'))
  const socket = join(dir, 'stormd.sock')
  const conf = join(dir, 'stormd.conf')
  await writeFile(conf, `dataDir=${dir}\ncontrolSocket=${socket}\n`)
  const clock = new ManualClock()
  const network = SimNetwork.create({ seed: 'cli-agent', clock })
  const me = network.addNode('me', { onchain: 5_000_000 })
  const bob = network.addNode('bob')
  const keyPair = { publicKey: Buffer.alloc(32, 3), secretKey: Buffer.alloc(64, 3) }
  const links: FakeLink[] = []
  const agent = new StormAgent({
    config: parseAgentConfig({ dataDir: dir }),
    lightning: me,
    store: new MemoryStore<AgentState>(emptyAgentState),
    keyPair,
    clock,
    connect: (kp, key) => {
      const link = new FakeLink(kp, key)
      // the manager answers every relayed command, in the member's language
      link.onSend = (m, l) => {
        if (m.type !== 'command') return
        const { text, lang } = m.body as MessageBody<'command'>
        l.deliver('command_reply', text === 'getinfo'
          ? { command: m.id, ok: true, text: 'getinfo', data: { group: 'Supercell', members: 2, connected: true } }
          : { command: m.id, ok: true, text: `manager (${lang}): ${text}` })
      }
      links.push(link)
      return link
    }
  })
  await agent.load()
  await agent.paired({ managerKey: MANAGER_KEY, memberId: 'mem1', group: 'Supercell', node: me.publicKey, pairedAt: clock.now() })
  await agent.start()
  const link = links[0]!
  link.up()
  link.deliver('roster', { group: 'Supercell', members: [{ id: 'mem1', name: 'me', node: me.publicKey }, { id: 'mem2', name: 'bob', node: bob.publicKey }] })
  await until(() => link.of('report').length === 1, 'the first report')
  const control = new ControlServer(socket, agentControlHandler({
    agent,
    keyPair,
    pair: async () => { throw new StormError('INTERNAL') },
    close: () => agent.stop()
  }))
  await control.listen()
  const cli = async (...argv: string[]) => {
    const out = new Capture()
    const err = new Capture()
    const code = await stormcliMain(['--config', conf, ...argv], out, err, LOCALES, {})
    return { code, out: out.text, err: err.text }
  }
  return {
    clock, me, bob, agent, link, cli,
    async close () {
      await control.close()
      await agent.stop()
      await rm(dir, { recursive: true, force: true })
    }
  }
}

test('the owner sees what waits for approval and approves it from the terminal; the node opens the channel', async () => {
  const s = await setup()
  try {
    assert.deepEqual(await s.cli('status'), {
      code: 0,
      out: `Paired with Supercell (node ${s.me.publicKey}); connected to the manager: true; directives waiting for you: 0.\n`,
      err: ''
    })
    assert.equal((await s.cli('directives')).out, 'Nothing is waiting for your approval.\n')

    const d = openChannel(s.clock.now(), s.bob.publicKey, 250_000, { requiresApproval: true, reason: 'addfunds jX78nVt' })
    s.link.deliver('directive', d)
    await until(() => s.agent.awaiting().length === 1, 'the directive waits')
    assert.equal((await s.cli('directives')).out, `${d.id} — open a channel — addfunds jX78nVt\n`)

    assert.deepEqual(await s.cli('approve', d.id), { code: 0, out: `Approved ${d.id} (open a channel): done.\n`, err: '' })
    assert.deepEqual((await s.me.getPendingChannels()).map(c => [c.peer, c.capacity]), [[s.bob.publicKey, 250_000]])
    assert.deepEqual(s.link.of('directive_status').map(m => m.status), ['received', 'awaiting_approval', 'approved', 'executing'])
    assert.deepEqual(s.link.of('result').map(r => r.outcome), ['succeeded'])

    assert.deepEqual(await s.cli('reject', d.id), { code: 1, out: '', err: `Directive ${d.id} is not waiting for a decision (done).\n` })
    assert.equal((await s.me.getPendingChannels()).length, 1)
  } finally {
    await s.close()
  }
})

test('commands go through stormd to the manager and back; with the link down stormcli says so', async () => {
  const s = await setup()
  try {
    assert.deepEqual(await s.cli('--lang', 'es', 'addfunds', '2000000'), { code: 0, out: 'manager (es): addfunds 2000000\n', err: '' })
    assert.deepEqual(s.link.of('command'), [{ text: 'addfunds 2000000', lang: 'es' }])
    const info = await s.cli('getinfo')
    assert.deepEqual(JSON.parse(info.out), { group: 'Supercell', members: 2, connected: true })

    s.link.down()
    assert.deepEqual(await s.cli('getinfo'), { code: 1, out: '', err: 'stormd is not connected to the manager right now. Try again shortly.\n' })
    assert.equal(s.link.of('command').length, 2, 'nothing was sent while down')
  } finally {
    await s.close()
  }
})
