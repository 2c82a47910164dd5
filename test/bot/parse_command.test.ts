/** The one command parser, on every surface's syntax. */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { parseCommand, parseAmount, parseDuration } from '../../src/bot/parse_command.ts'

const slash = { prefixes: ['/'], botUsername: 'StormBot', lang: 'en' }

test('commands as each front end writes them', () => {
  const cases = [
    { description: 'telegram', text: '/addfunds 2000000', opts: slash, expected: { name: 'addfunds', amount: 2_000_000 } },
    { description: 'addressed to us', text: '/addfunds@StormBot 2,000,000', opts: slash, expected: { name: 'addfunds', amount: 2_000_000 } },
    { description: 'matrix', text: '!removefunds 500k', opts: { prefixes: ['!'], lang: 'en' }, expected: { name: 'removefunds', amount: 500_000 } },
    { description: 'stormcli', text: 'cancel jX78nVt', opts: { prefixes: [], lang: 'en' }, expected: { name: 'cancel', id: 'jX78nVt' } },
    { description: 'upper case name', text: '/GETINFO', opts: slash, expected: { name: 'getinfo' } },
    { description: 'approve all', text: '/approve ALL', opts: slash, expected: { name: 'approve', id: 'all' } },
    { description: 'connect with a group', text: '/connect Supercell', opts: slash, expected: { name: 'connect', group: 'Supercell' } },
    { description: 'fee vote', text: '/vote fee 1000 0.000001', opts: slash, expected: { name: 'vote', kind: 'fee', baseFeeMsat: '1000', feeRatePpm: 1 } },
    { description: 'fee vote in ppm', text: '/vote fee 2500 100ppm', opts: slash, expected: { name: 'vote', kind: 'fee', baseFeeMsat: '2500', feeRatePpm: 100 } },
    { description: 'a ban vote', text: '/vote no AbC1234', opts: slash, expected: { name: 'vote', kind: 'ban', proposal: 'AbC1234', choice: 'no' } },
    { description: 'a ban with its reason as typed', text: '/ban @mallory force-closes  channels', opts: slash, expected: { name: 'ban', member: '@mallory', reason: 'force-closes channels', now: false } },
    { description: 'an outright ban', text: '/ban @mallory now stole the snacks', opts: slash, expected: { name: 'ban', member: '@mallory', reason: 'stole the snacks', now: true } },
    { description: 'downtime', text: '/downtime 1h30m', opts: slash, expected: { name: 'downtime', kind: 'plan', durationMs: 5_400_000 } },
    { description: 'downtime extended', text: '/downtime EXTEND 1h', opts: slash, expected: { name: 'downtime', kind: 'extend', durationMs: 3_600_000 } },
    { description: 'downtime cancelled', text: '/downtime cancel', opts: slash, expected: { name: 'downtime', kind: 'cancel' } },
    { description: 'lang', text: '/lang ES', opts: slash, expected: { name: 'lang', lang: 'es' } },
    { description: 'help topic with a slash', text: '/help /addfunds', opts: slash, expected: { name: 'help', topic: 'addfunds' } },
    { description: 'extra spaces', text: '  /addfunds    2m  ', opts: slash, expected: { name: 'addfunds', amount: 2_000_000 } }
  ]
  for (const c of cases) {
    const r = parseCommand(c.text, c.opts)
    assert.ok(r !== null && r.ok, c.description)
    assert.deepEqual(r.value, c.expected, c.description)
  }
})

test('text that is not for us is ignored, not answered', () => {
  for (const text of ['hello everyone', '', '   ', '/addfunds@OtherBot 5', '/', '!addfunds 5']) {
    assert.equal(parseCommand(text, slash), null, JSON.stringify(text))
  }
})

test('bad commands are errors with a code', () => {
  const cases = [
    { text: '/nope', code: 'UNKNOWN_COMMAND', params: { command: 'nope' } },
    { text: '/cancel', code: 'MISSING_ARGUMENT', params: { command: 'cancel' } },
    { text: '/getinfo now', code: 'TOO_MANY_ARGUMENTS', params: { command: 'getinfo' } },
    { text: '/approve <script>', code: 'BAD_ID', params: { value: '<script>' } },
    { text: '/vote fees 1 0.1', code: 'BAD_VOTE', params: {} },
    { text: '/vote fee -1 0.1', code: 'BAD_BASE_FEE', params: { value: '-1' } },
    { text: '/vote fee 1 0.0000001', code: 'BAD_FEE_RATE', params: { value: '0.0000001' } },
    { text: '/downtime 0m', code: 'BAD_DURATION', params: { value: '0m' } },
    { text: '/downtime 31d', code: 'DURATION_TOO_LONG', params: {} },
    { text: '/downtime extend', code: 'BAD_DOWNTIME', params: {} },
    { text: '/downtime extend soon', code: 'BAD_DURATION', params: { value: 'soon' } },
    { text: '/downtime cancel now', code: 'BAD_DOWNTIME', params: {} },
    { text: '/downtime 2h 3h', code: 'BAD_DOWNTIME', params: {} }
  ]
  for (const c of cases) {
    const r = parseCommand(c.text, slash)
    assert.ok(r !== null && !r.ok, c.text)
    assert.equal(r.error.code, c.code, c.text)
    assert.deepEqual(r.error.params, c.params, c.text)
  }
})

test('amounts', () => {
  const good: Array<[string, number]> = [['1', 1], ['2,000,000', 2e6], ['2_000_000', 2e6], ['2m', 2e6], ['2.5M', 2.5e6], ['500k', 5e5], ['1.234k', 1234], ['500000sats', 5e5], ['21000000000000000'.slice(0, 16), 2_100_000_000_000_000]]
  for (const [text, value] of good) assert.deepEqual(parseAmount(text, 'en'), { ok: true, value }, text)
  const bad: Array<[string, string]> = [['-5', 'AMOUNT_NOT_POSITIVE'], ['0', 'AMOUNT_NOT_POSITIVE'], ['0k', 'AMOUNT_NOT_POSITIVE'], ['abc', 'AMOUNT_NOT_A_NUMBER'], ['1e6', 'AMOUNT_NOT_A_NUMBER'], ['1.5', 'AMOUNT_NOT_WHOLE'], ['1.2345k', 'AMOUNT_NOT_WHOLE'], ['2100000000000001', 'AMOUNT_TOO_LARGE'], ['NaN', 'AMOUNT_NOT_A_NUMBER'], ['0x10', 'AMOUNT_NOT_A_NUMBER']]
  for (const [text, code] of bad) {
    const r = parseAmount(text, 'en')
    assert.equal(r.ok ? 'ok' : r.error.code, code, text)
  }
})

test('durations', () => {
  assert.deepEqual(parseDuration('90m'), { ok: true, value: 5_400_000 })
  assert.deepEqual(parseDuration('1d'), { ok: true, value: 86_400_000 })
  assert.equal(parseDuration('h').ok, false)
  assert.equal(parseDuration('2 h').ok, false)
})
