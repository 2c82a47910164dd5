/**
 * stormd's fee vote from stormd.conf: sent as a structured `vote` message each time the link comes
 * up, sent again at once when the owner edits the file (no restart), not sent for an unchanged or
 * broken file; the manager's answer is logged.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ManualClock } from '../../src/shared/clock.ts'
import { MemoryStore } from '../../src/shared/json_store.ts'
import { SimNetwork } from '../../src/simnet/index.ts'
import { parseAgentConfig } from '../../src/agent/config.ts'
import { emptyAgentState, type AgentState } from '../../src/agent/agent_state.ts'
import { StormAgent } from '../../src/agent/stormd.ts'
import { watchConfigVote } from '../../src/app/config_vote_watch.ts'
import { FakeLink, MANAGER_KEY, until } from './fake_link.ts'

async function agentWith (conf: Record<string, string>) {
  const clock = new ManualClock()
  const me = SimNetwork.create({ seed: 'vote', clock }).addNode('me', { onchain: 1_000_000 })
  const links: FakeLink[] = []
  const logged: Array<{ event: string, data?: Record<string, unknown> }> = []
  const agent = new StormAgent({
    config: parseAgentConfig({ dataDir: '/nonexistent/stormd-vote', ...conf }),
    lightning: me,
    store: new MemoryStore<AgentState>(emptyAgentState),
    keyPair: { publicKey: Buffer.alloc(32, 5), secretKey: Buffer.alloc(64, 5) },
    clock,
    connect: (kp, key) => { const l = new FakeLink(kp, key); links.push(l); return l },
    log: (_level, event, data) => { logged.push(data === undefined ? { event } : { event, data }) }
  })
  await agent.load()
  await agent.paired({ managerKey: MANAGER_KEY, memberId: 'mem1', group: 'Supercell', node: me.publicKey, pairedAt: clock.now() })
  await agent.start()
  return { agent, link: links[0]!, logged }
}

test('stormd.conf\'s vote goes out as a vote message when the link comes up, in msat and ppm', async () => {
  const { agent, link, logged } = await agentWith({ voteBaseFee: '1000', voteFeeRate: '0.000001' })
  link.up()
  await until(() => link.of('vote').length === 1, 'the vote')
  assert.deepEqual(link.of('vote'), [{ baseFeeMsat: '1000', feeRatePpm: 1 }])
  // the manager's answer to a vote nobody waits for is logged
  link.deliver('vote_result', { vote: 'x1', ok: false, error: { code: 'FEE_RATE_ABOVE_LIMIT', params: { max: 0 } } })
  await until(() => logged.some(l => l.event === 'config_vote'), 'the log line')
  assert.deepEqual(logged.find(l => l.event === 'config_vote')?.data, { ok: false, error: 'FEE_RATE_ABOVE_LIMIT', stake: undefined, unchanged: undefined })
  await agent.stop()
})

test('no vote keys, no vote message', async () => {
  const { agent, link } = await agentWith({})
  link.up()
  await until(() => link.of('report').length === 1, 'the first report')
  assert.deepEqual(link.of('vote'), [])
  await agent.stop()
})

test('an edited stormd.conf votes again without a restart; the same vote, or a broken file, sends nothing', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'storm-vote-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  const path = join(dir, 'stormd.conf')
  await writeFile(path, `dataDir=${dir}\nvoteBaseFee=1000\nvoteFeeRate=100ppm\n`)
  const { agent, link } = await agentWith({ voteBaseFee: '1000', voteFeeRate: '100ppm' })
  link.up()
  await until(() => link.of('vote').length === 1, 'the first vote')
  // the watcher is handed a function to call on a change; the test calls it as the file changes
  let changed = (): void => {}
  const warnings: string[] = []
  const stop = watchConfigVote(path, agent, (_level, event) => { warnings.push(event) }, (_p, onChange) => { changed = onChange; return () => {} })

  await writeFile(path, `dataDir=${dir}\nvoteBaseFee=2500\nvoteFeeRate=0.00025\n`)
  changed()
  await eventually(() => link.of('vote').length === 2, 'the new vote')
  assert.deepEqual(link.of('vote')[1], { baseFeeMsat: '2500', feeRatePpm: 250 })

  await writeFile(path, `dataDir=${dir}\nvoteBaseFee=2500\nvoteFeeRate=250ppm   # the same, written the other way\n`)
  changed()
  await eventually(() => warnings.includes('config_reload_checked'), 'the same vote to be read')
  await writeFile(path, `dataDir=${dir}\nvoteBaseFee=2500\nvoteFeeRate=250\n`)
  changed()
  await eventually(() => warnings.includes('config_reload_refused'), 'the broken file to be refused')
  assert.equal(link.of('vote').length, 2, 'nothing sent for the same vote or a broken file')
  // the vote stands for the next connection
  link.down()
  link.up()
  await until(() => link.of('vote').length === 3, 'the vote on reconnect')
  assert.deepEqual(link.of('vote')[2], { baseFeeMsat: '2500', feeRatePpm: 250 })
  stop()
  await agent.stop()
})

/** File reads take real time: polls `cond` for up to 10 s (no assertion on how long it took). */
async function eventually (cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1000 && !cond(); i++) await new Promise(resolve => setTimeout(resolve, 10))
  assert.ok(cond(), `never happened: ${what}`)
}
