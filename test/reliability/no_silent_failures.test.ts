/**
 * Nothing fails silently, and nothing that was stored is reported as failed: a listener that
 * throws is logged while the command's answer stays "done"; a sweep whose save fails is logged,
 * not an unhandled rejection; the log is leveled, on by default, and never shows a secret.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ManagerFixture } from '../support/manager_fixture.ts'
import { createLogger, eventLog, levelFromEnv, levelOfEvent, redact, type LogLevel } from '../../src/shared/log.ts'

interface Logged { event: string, data: Record<string, unknown> }

function recorder (): { log: (event: string, data: Record<string, unknown>) => void, logged: Logged[] } {
  const logged: Logged[] = []
  return { logged, log: (event, data) => { logged.push({ event, data }) } }
}

test('a front end whose announcement listener throws: the member is still told their /addfunds is submitted, the other front ends still announce it, the failure is logged', async () => {
  const { log, logged } = recorder()
  const f = await ManagerFixture.start({}, { log })
  const you = await f.joinAndPair('you')
  await f.joinAndPair('alice')
  const heard: string[] = []
  f.manager.on('event', () => { throw new Error('telegram renderer broke') })
  f.manager.on('event', (e) => { heard.push(e.type) })
  const r = await f.manager.addFunds(you.actor, 1_000_000)
  assert.equal(r.ok, true, 'the request was stored, so it is reported done')
  assert.ok(heard.includes('allocation_changed') || heard.includes('directive_changed'), 'the second listener heard it')
  assert.equal(Object.keys(f.stored().allocations).length, 1)
  assert.ok(logged.some(l => l.event === 'announce_failed' && String(l.data.error).includes('telegram renderer broke')))
})

test('an async listener rejects: logged, not an unhandled rejection', async () => {
  const { log, logged } = recorder()
  const f = await ManagerFixture.start({}, { log })
  let unhandled = 0
  const count = (): void => { unhandled++ }
  process.on('unhandledRejection', count)
  try {
    f.manager.on('event', async () => { throw new Error('chat API 500') })
    assert.equal((await f.manager.connect(f.chatActor('bea'))).ok, true)
    await new Promise(resolve => setImmediate(resolve))
    assert.ok(logged.some(l => l.event === 'announce_failed' && String(l.data.error).includes('chat API 500')))
    assert.equal(unhandled, 0)
  } finally {
    process.off('unhandledRejection', count)
  }
})

test('a stormcli command whose handler throws: logged, the agent\'s other messages still handled', async () => {
  const { log, logged } = recorder()
  const f = await ManagerFixture.start({}, { log })
  const you = await f.joinAndPair('you')
  f.manager.on('agent_command', () => { throw new Error('handler bug') })
  await f.fromAgent(you.agentKey, 'command', { text: 'getinfo', lang: 'en' } as never)
  assert.ok(logged.some(l => l.event === 'agent_command_failed'))
  await f.fromAgent(you.agentKey, 'heartbeat', { at: f.clock.now(), health: { healthy: true, blockHeight: 1 } })
})

test('the expiry sweep cannot save (disk full): logged as a failed scheduled job, the next sweep still runs', async () => {
  const { log, logged } = recorder()
  const f = await ManagerFixture.start({}, { log })
  const you = await f.joinAndPair('you')
  await f.joinAndPair('alice')
  assert.ok((await f.manager.addFunds(you.actor, 1_000_000)).ok)
  const save = f.store.save.bind(f.store)
  f.store.save = async () => { throw new Error('ENOSPC: no space left on device') }
  f.clock.advance(25 * 3_600_000) // past every directive's expiry, through many sweeps
  await f.manager.whenIdle()
  await new Promise(resolve => setImmediate(resolve))
  assert.ok(logged.some(l => l.event === 'scheduled_job_failed' && l.data.job === 'expire_directives' && String(l.data.error).includes('ENOSPC')))
  f.store.save = save
  f.clock.advance(60_000)
  await f.manager.whenIdle()
  const statuses = Object.values(f.stored().directives).map(r => r.status)
  assert.ok(statuses.length > 0 && statuses.every(s => s === 'expired'), `the next sweep stored the expiry: ${statuses.join(', ')}`)
})

test('the log is leveled and on by default: failures are errors, refusals warnings, routine info', () => {
  const lines: string[] = []
  const log = eventLog(createLogger(levelFromEnv({}), undefined, l => lines.push(l)))
  log('handler_failed', { what: 'report', error: 'boom' })
  log('announce_failed', { error: 'x' })
  log('refused', { peer: 'ab' })
  log('connected', { peer: 'ab' })
  log('connecting', { attempt: 1 })
  assert.deepEqual(lines.map(l => (JSON.parse(l) as { level: string, event: string }).event), ['handler_failed', 'announce_failed', 'refused', 'connected'])
  const cases: Array<[string, LogLevel]> = [['handler_failed', 'error'], ['telegram_announce_failed', 'error'], ['sweep_failed', 'error'], ['protocol_error', 'warn'], ['peer_dropped', 'warn'], ['queue_overflow', 'warn'], ['connected', 'info'], ['connection_error', 'info']]
  for (const [event, level] of cases) assert.equal(levelOfEvent(event), level, event)
  assert.equal(levelFromEnv({ STORM_DEBUG: '1' }), 'debug')
  assert.equal(levelFromEnv({ STORM_LOG_LEVEL: 'warn' }), 'warn')
  assert.equal(levelFromEnv({ STORM_LOG_LEVEL: 'nonsense' }), 'info')
})

test('secrets never reach the log: tokens, macaroons, pairing codes and invitations, under any key or inside any text', () => {
  const token = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0'
  const macaroon = '0201036c6e6402f801030a10' + 'ab'.repeat(100)
  const cases: Array<{ description: string, data: Record<string, unknown>, secret: string }> = [
    { description: 'a bot token under its key', data: { token }, secret: token },
    { description: 'a bot token inside an error message (a URL)', data: { error: `request to https://api.telegram.org/bot${token}/getMe failed` }, secret: token },
    { description: 'a macaroon under its key', data: { macaroon }, secret: macaroon },
    { description: 'an lndconnect URI', data: { uri: `lndconnect://127.0.0.1:10009?cert=abc&macaroon=AgEDbG5kAvgBAwoQ` }, secret: 'AgEDbG5kAvgBAwoQ' },
    { description: 'a macaroon in hex inside text', data: { detail: `bad macaroon ${macaroon}` }, secret: macaroon },
    { description: 'a pairing code', data: { said: 'your code is K7PX-Q2MD' }, secret: 'K7PX-Q2MD' },
    { description: 'a pairing invitation', data: { invite: 'storm:pair?manager=ab&code=K7PX-Q2MD' }, secret: 'K7PX-Q2MD' },
    { description: 'an invitation inside text, under another key', data: { line: 'storm:pair?manager=ab&code=K7PXQ2MD&group=x' }, secret: 'K7PXQ2MD' },
    { description: 'nested', data: { config: { lnd: { macaroonPath: '/x', password: 'hunter2' } } }, secret: 'hunter2' },
    { description: 'an Error object', data: { error: new Error(`macaroon=${'a'.repeat(20)}`) }, secret: 'a'.repeat(20) }
  ]
  for (const c of cases) {
    const shown = JSON.stringify(redact(c.data))
    assert.ok(!shown.includes(c.secret), `${c.description}: ${shown}`)
  }
  // what is not secret stays readable
  assert.deepEqual(redact({ code: 'ETIMEDOUT', peer: 'ab'.repeat(33), directive: 'jX78nVt' }), { code: 'ETIMEDOUT', peer: 'ab'.repeat(33), directive: 'jX78nVt' })
})
