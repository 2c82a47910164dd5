/**
 * A member checks for themselves what the manager did with their node: the demo Storm for real
 * (manager, stormd over Hyperswarm, simulated Lightning). After an addfunds runs, the member's
 * stormd holds every history entry about it, signed by the manager, with its own result messages
 * quoted under its own signature; `stormcli audit` lists them and `stormcli audit verify` says
 * every directive this stormd ran is there as it ran it. One changed byte in the copy fails.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { youAddFunds } from '../support/demo_you.ts'
import { startDemoStorm } from '../../src/demo/demo_storm.ts'
import { startAgentRuntime } from '../../src/app/agent_runtime.ts'
import { stormcliMain } from '../../src/app/stormcli_main.ts'
import { ControlServer } from '../../src/agent/control/control_server.ts'
import { agentControlHandler } from '../../src/app/agent_control.ts'
import { Locales } from '../../src/shared/i18n.ts'
import { canonicalJson } from '../../src/protocol/canonical_json.ts'
import { openQuotedEnvelope } from '../../src/protocol/history_entry.ts'

const LOCALES = Locales.load()

class Capture extends Writable {
  text = ''
  override _write (chunk: Buffer | string, _enc: BufferEncoding, done: () => void): void { this.text += chunk.toString(); done() }
}

async function stormcli (socket: string, args: string[], lang = 'en'): Promise<{ code: number, out: string, err: string }> {
  const out = new Capture()
  const err = new Capture()
  const code = await stormcliMain(['--socket', socket, ...args], out, err, LOCALES, { LANG: lang })
  return { code, out: out.text, err: err.text }
}

async function waitFor (cond: () => boolean, what: string, ms = 30_000): Promise<void> {
  const end = Date.now() + ms
  while (!cond()) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, 50))
  }
}

test('a member sees every directive its stormd ran in the signed history, and a tampered entry fails audit verify', async (t) => {
  const demo = await startDemoStorm({ warmup: false })
  t.after(() => demo.close())
  const { manager } = demo.manager
  const { added } = await youAddFunds(demo, 1_000_000)
  assert.ok((await manager.decide(demo.you.actor, 'all', 'approve')).ok)
  await demo.settle()

  const agent = demo.you.runtime.agent
  const ran = Object.values(agent.state.directives).filter(d => d.status === 'succeeded')
  assert.equal(ran.length, new Set(added.channels.map(c => c.directive)).size, 'your stormd ran the request\'s directive')
  assert.equal(demo.network.channelsOf(demo.you.node.publicKey).length, added.channels.length, 'and opened every channel')
  // the history reaches stormd as it is appended: wait until the results are there
  await waitFor(() => agent.history!.entries().filter(e => e.event === 'directive_result').length >= ran.length, 'the results in your copy of the history')

  // every directive your stormd ran is in the history as it ran it, with your own signed result
  const entries = agent.history!.entries()
  for (const d of ran) {
    const created = entries.find(e => e.event === 'directive_created' && e.data.id === d.directive.id)
    assert.ok(created, `${d.directive.id} is in the history`)
    assert.equal(canonicalJson(created.data.params), canonicalJson(d.directive.params))
    assert.ok(entries.some(e => e.event === 'agent_message' && (openQuotedEnvelope(e.data.envelope)?.body as { directive?: string } | undefined)?.directive === d.directive.id), 'with your signed result')
  }
  // and nothing about other members' business beyond what concerns you
  assert.ok(entries.every(e => e.members.includes(agent.pairing!.memberId)))
  assert.ok(demo.manager.history.length > entries.length, 'the manager holds more than your share')

  const listed = await stormcli(demo.you.socket, ['audit'])
  assert.equal(listed.code, 0)
  assert.match(listed.out, /^#\d+ \d{4}-\d\d-\d\dT[\d:.]+Z directive_created /m)
  const ok = await stormcli(demo.you.socket, ['audit', 'verify'])
  assert.equal(ok.code, 0, ok.err)
  // more entries may have arrived since (the Storm goes on: ratings, fee rounds)
  const verified = new RegExp(`^All (\\d+) history entries verify: .* the ${ran.length} directives this stormd ran are there as it ran them\\.\\n$`).exec(ok.out)
  assert.ok(verified, ok.out)
  assert.ok(Number(verified[1]) >= entries.length)
  const es = await stormcli(demo.you.socket, ['audit', 'verify'], 'es')
  assert.match(es.out, /^Las \d+ entradas del historial se verifican/)

  // someone changes the capacity of one channel in the copy on disk
  await demo.you.runtime.close()
  const file = join(demo.you.config.dataDir, 'history.jsonl')
  const lines = (await readFile(file, 'utf8')).split('\n')
  const at = lines.findIndex(l => l.includes('"directive_created"'))
  const entry = JSON.parse(lines[at]!)
  const params = entry.data.params
  if (Array.isArray(params.channels)) params.channels[0].capacity += 1
  else params.capacity += 1
  lines[at] = JSON.stringify(entry)
  await writeFile(file, lines.join('\n'))
  const again = await startAgentRuntime({ config: demo.you.config, lightning: demo.you.node, network: demo.testnet.network, backupSchedule: null })
  const socket = join(demo.you.config.dataDir, 'verify.sock')
  const control = new ControlServer(socket, agentControlHandler(again))
  await control.listen()
  t.after(async () => { await control.close(); await again.close() })
  const bad = await stormcli(socket, ['audit', 'verify'])
  assert.equal(bad.code, 1)
  assert.equal(bad.out, '')
  assert.match(bad.err, /^The history does NOT verify: \d+ problem\(s\) among \d+ entries\.\n/)
  assert.ok(bad.err.includes(`#${entry.index as number}: not signed by the manager (changed or forged)`), bad.err)
})
