/**
 * stormcli commands reach the manager through the member's agent. Whatever a command's handler
 * does, the member gets an answer in their language and the manager keeps running.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ManagerFixture, LOCALES } from '../support/manager_fixture.ts'
import { answerAgentCommands, COMMAND_FAILED } from '../../src/bot/agent_commands.ts'
import { StormError } from '../../src/shared/errors.ts'

async function cliStorm (): Promise<{ f: ManagerFixture, logged: Array<{ event: string, data: Record<string, unknown> }>, you: Awaited<ReturnType<ManagerFixture['joinAndPair']>> }> {
  const f = await ManagerFixture.start()
  const logged: Array<{ event: string, data: Record<string, unknown> }> = []
  answerAgentCommands(f.manager, LOCALES, code => code, (event, data) => logged.push({ event, data }))
  const you = await f.joinAndPair('you')
  return { f, logged, you }
}

async function settle (): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise(resolve => setImmediate(resolve))
}

function replies (f: ManagerFixture, agentKey: string): Array<{ ok: boolean, text: string }> {
  return f.link.to(agentKey, 'command_reply').map(r => ({ ok: r.ok, text: r.text }))
}

test('stormcli getinfo whose handler throws: the member is told something went wrong, with a code, in Spanish; it is logged; the manager keeps answering', async () => {
  const { f, logged, you } = await cliStorm()
  const unhandled: unknown[] = []
  const onUnhandled = (e: unknown): void => { unhandled.push(e) }
  process.on('unhandledRejection', onUnhandled)
  try {
    const real = f.manager.getInfo.bind(f.manager)
    f.manager.getInfo = () => { throw new Error('boom: a bug in getinfo') }
    await f.fromAgent(you.agentKey, 'command', { text: 'getinfo', lang: 'es' })
    await settle()
    const expected = LOCALES.translator('es').error(new StormError('UNEXPECTED', { code: COMMAND_FAILED }))
    assert.deepEqual(replies(f, you.agentKey), [{ ok: false, text: expected }])
    assert.match(expected, /COMMAND_FAILED/)
    const failure = logged.find(l => l.event === 'agent_command_failed')
    assert.ok(failure !== undefined, 'the failure is logged')
    assert.equal(failure.data.command, 'getinfo')
    assert.match(String(failure.data.error), /boom: a bug in getinfo/)

    // the manager still answers the next command
    f.manager.getInfo = real
    await f.fromAgent(you.agentKey, 'command', { text: 'getinfo', lang: 'en' })
    await settle()
    assert.equal(replies(f, you.agentKey)[1]?.ok, true)
    assert.deepEqual(unhandled, [], 'no unhandled rejection')
  } finally {
    process.off('unhandledRejection', onUnhandled)
  }
})

test('stormcli reads amounts in the language it asked for', async () => {
  const { f, you } = await cliStorm()
  await f.fromAgent(you.agentKey, 'command', { text: 'addfunds 1,5m', lang: 'en' })
  await f.fromAgent(you.agentKey, 'command', { text: 'addfunds 1.5m', lang: 'es' })
  await settle()
  assert.deepEqual(replies(f, you.agentKey), [
    { ok: false, text: LOCALES.translator('en').error(new StormError('AMOUNT_AMBIGUOUS', { value: '1,5m' })) },
    { ok: false, text: LOCALES.translator('es').error(new StormError('AMOUNT_AMBIGUOUS', { value: '1.5m' })) }
  ])
})

test('stormcli offers only the stormcli commands: a chat-only one is unknown there', async () => {
  const { f, you } = await cliStorm()
  await f.fromAgent(you.agentKey, 'command', { text: 'admit @bob', lang: 'en' })
  await settle()
  assert.deepEqual(replies(f, you.agentKey), [{ ok: false, text: LOCALES.translator('en', { p: 'stormcli ' }).error(new StormError('UNKNOWN_COMMAND', { command: 'admit' })) }])
})

test('stormcli downtime 2h: the member\'s own stormd asks; the reply comes back in its language with the window, then extend and cancel', async () => {
  const { f, you } = await cliStorm()
  await f.fromAgent(you.agentKey, 'command', { text: 'downtime 2h', lang: 'es' })
  await f.manager.whenIdle()
  await settle()
  const [asked] = replies(f, you.agentKey)
  assert.equal(asked?.ok, true)
  assert.match(asked!.text, /ya puedes desconectarte/)
  assert.match(asked!.text, /`stormcli downtime cancel`/, 'the way back is written the way stormcli takes it')
  assert.ok(f.link.to(you.agentKey, 'directive').some(d => d.kind === 'safe_to_disconnect'))
  await f.fromAgent(you.agentKey, 'command', { text: 'downtime extend 30m', lang: 'en' })
  await f.fromAgent(you.agentKey, 'command', { text: 'downtime cancel', lang: 'en' })
  await f.manager.whenIdle()
  await settle()
  assert.deepEqual(replies(f, you.agentKey).slice(1).map(r => r.ok), [true, true])
  assert.match(replies(f, you.agentKey)[1]!.text, /now lasts 2h30m/)
  assert.equal(Object.values(f.manager.state.downtimes)[0]?.status, 'cancelled')
})
