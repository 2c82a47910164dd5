/**
 * stormcli, the member's command line: the seed's commands relayed through the local stormd to
 * the manager, approvals decided locally, and every bad input answered on stderr in the member's
 * language without sending anything.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { ControlHandler } from '../../src/agent/control/control_server.ts'
import { StormError } from '../../src/shared/errors.ts'
import { cliHarness, type CliHarness } from './cli_harness.ts'

/** The seed's `stormcli getinfo` output, as the manager returns it for the relayed command. */
const GETINFO = {
  version: 'Storm release v0.1.0',
  group: 'Supercell',
  members: 3082,
  connected: true,
  uptime: '3d 22h 11m 4s',
  consensus_fee_base: 2500,
  consensus_fee_rate: 0.00225,
  rating: 100,
  total_allocations: 12300000,
  pending_allocations: [{ id: 'jX78nVt', amount: 2000000 }],
  pending_deallocations: [],
  pending_directives: [{ action: 'do_not_disconnect' }]
}

const ADDFUNDS_TEXT = 'Your request to add 2,000,000 sats has been submitted. To cancel this request, run `stormcli cancel jX78nVt`.'

/** A stormd with two directives waiting for the owner, and a manager that answers commands. */
function stormd (): ControlHandler {
  const waiting = new Map([
    ['dA1', { id: 'dA1', kind: 'open_channel', params: {}, reason: 'addfunds jX78nVt' }],
    ['dB2', { id: 'dB2', kind: 'set_fees', params: {}, reason: 'fee vote' }]
  ])
  return async (req) => {
    switch (req.op) {
      case 'status':
        return { ok: true, data: { paired: true, group: 'Supercell', member: 'm1', node: '02ab', agentKey: 'ff', connected: true, awaiting: waiting.size } }
      case 'directives':
        return { ok: true, data: [...waiting.values()] }
      case 'decide': {
        const d = waiting.get(req.directive)
        if (d === undefined) throw new StormError('UNKNOWN_DIRECTIVE', { id: req.directive })
        waiting.delete(req.directive)
        return { ok: true, data: { id: d.id, kind: d.kind, status: req.decision === 'approve' ? 'succeeded' : 'rejected' } }
      }
      case 'command':
        if (req.text === 'getinfo') return { ok: true, text: 'Supercell: 3082 members', data: GETINFO }
        if (req.text.startsWith('removefunds')) return { ok: false, text: 'You have nothing allocated to remove.' }
        return { ok: true, text: ADDFUNDS_TEXT }
      case 'vote':
        if (req.feeRatePpm > 50_000) throw new StormError('FEE_RATE_ABOVE_LIMIT', { max: 50_000 })
        return { ok: true, data: { vote: 'v1', ok: true, stake: 2_000_000, unchanged: false, totalStake: 6_000_000, votedStake: 4_000_000, voters: 2 } }
      case 'pair':
      case 'audit':
        throw new StormError('INTERNAL')
    }
  }
}

async function withCli (fn: (h: CliHarness) => Promise<void>, handler: ControlHandler = stormd(), extraConf: string[] = []): Promise<void> {
  const h = await cliHarness(handler, extraConf)
  try {
    await fn(h)
  } finally {
    await h.close()
  }
}

test('addfunds 2000000 is relayed to the manager as typed, and its answer printed', async () => {
  await withCli(async (h) => {
    const r = await h.cli(['addfunds', '2000000'])
    assert.deepEqual(r, { code: 0, out: ADDFUNDS_TEXT + '\n', err: '' })
    assert.deepEqual(h.requests, [{ op: 'command', text: 'addfunds 2000000', lang: 'en', id: 1 }])
  })
})

test('getinfo prints the seed\'s JSON on stdout; a refusal from the manager goes to stderr and exits 1', async () => {
  await withCli(async (h) => {
    const r = await h.cli(['getinfo'])
    assert.deepEqual({ code: r.code, err: r.err }, { code: 0, err: '' })
    assert.deepEqual(JSON.parse(r.out), GETINFO)
    assert.equal(r.out, JSON.stringify(GETINFO, null, 2) + '\n')

    const refused = await h.cli(['removefunds', '1m'])
    assert.deepEqual(refused, { code: 1, out: '', err: 'You have nothing allocated to remove.\n' })
  })
})

test('a refused getinfo leaves stdout empty, so `stormcli getinfo | jq` never reads an error as JSON', async () => {
  const refusing: ControlHandler = async (req) => req.op === 'command' ? { ok: false, text: 'You are not a member of this Storm.' } : { ok: true }
  await withCli(async (h) => {
    assert.deepEqual(await h.cli(['getinfo']), { code: 1, out: '', err: 'You are not a member of this Storm.\n' })
  }, refusing)
})

test('a broken stormd.conf is an error on stderr, exit 1, in the language asked for; stormd is not asked', async () => {
  await withCli(async (h) => {
    const r = await h.cli(['getinfo'])
    assert.deepEqual({ code: r.code, out: r.out }, { code: 1, out: '' })
    assert.match(r.err, /^Configuration error: there is no key “colour”/)
    assert.match((await h.cli(['--lang', 'es', 'getinfo'])).err, /^Error de configuración: no existe la clave «colour»/)
    assert.deepEqual(h.requests, [])
  }, stormd(), ['colour=blue'])
})

interface BadInput { argv: string[], err: string, code?: number }

const BAD_INPUT: BadInput[] = [
  { argv: ['addfunds', '-5'], err: 'The amount must be more than zero.' },
  { argv: ['addfunds', 'abc'], err: '“abc” is not an amount. Write whole sats, like 2000000, 2,000,000 or 2m.' },
  { argv: ['addfunds', '0'], err: 'The amount must be more than zero.' },
  { argv: ['frobnicate'], err: 'I don\'t know the command “frobnicate”. Type stormcli help for the list.' },
  { argv: ['pair'], err: 'I don\'t know the command “pair”. Type stormcli help for the list.' },
  { argv: ['addfunds'], err: '“addfunds” needs more: see stormcli help addfunds.' },
  { argv: ['addfunds', '1', '2'], err: '“addfunds” takes fewer words: see stormcli help addfunds.' },
  { argv: ['cancel', 'jX78nVt!'], err: '“jX78nVt!” is not an id: ids look like jX78nVt.' },
  { argv: ['help', 'frobnicate'], err: 'I don\'t know the command “frobnicate”. Type stormcli help for the list.' },
  { argv: ['audit', 'everything'], err: 'Bad arguments: stormcli audit [verify]. See --help.', code: 2 },
  { argv: ['audit', 'verify', 'now'], err: '“audit” takes fewer words: see stormcli help audit.' }
]

for (const c of BAD_INPUT) {
  test(`stormcli ${c.argv.join(' ')}: a clear sentence on stderr, exit ${c.code ?? 1}, nothing sent`, async () => {
    await withCli(async (h) => {
      const r = await h.cli(c.argv)
      assert.deepEqual(r, { code: c.code ?? 1, out: '', err: c.err + '\n' })
      assert.deepEqual(h.requests, [])
    })
  })
}

test('approve all decides each directive waiting for the owner, one by one', async () => {
  await withCli(async (h) => {
    const r = await h.cli(['approve', 'all'])
    assert.deepEqual(r, { code: 0, out: 'Approved dA1 (open a channel): done.\nApproved dB2 (set fees): done.\n', err: '' })
    assert.deepEqual(h.requests.map(q => q.op === 'decide' ? `${q.decision} ${q.directive}` : q.op), ['directives', 'approve dA1', 'approve dB2'])

    const again = await h.cli(['approve', 'all'])
    assert.deepEqual(again, { code: 1, out: '', err: 'Nothing is waiting for your approval.\n' })
    const unknown = await h.cli(['reject', 'dZ9'])
    assert.deepEqual(unknown, { code: 1, out: '', err: 'There is no directive dZ9.\n' })
  })
})

test('the member\'s language: --lang, then lang= in stormd.conf, then LANG; English otherwise', async () => {
  const spanish = 'La cantidad debe ser mayor que cero.\n'
  const english = 'The amount must be more than zero.\n'
  await withCli(async (h) => {
    assert.equal((await h.cli(['--lang', 'es', 'addfunds', '-5'])).err, spanish)
    assert.equal((await h.cli(['addfunds', '-5'], { LANG: 'es_ES.UTF-8' })).err, spanish)
    assert.equal((await h.cli(['addfunds', '-5'], { LANG: 'de_DE.UTF-8' })).err, english)
    assert.equal((await h.cli(['addfunds', '-5'], { LANG: 'C.UTF-8' })).err, english)
    await h.cli(['--lang', 'es', 'addfunds', '2m'])
    assert.deepEqual(h.requests.at(-1), { op: 'command', text: 'addfunds 2m', lang: 'es', id: 1 }, 'the manager answers in Spanish too')
  })
  await withCli(async (h) => {
    assert.equal((await h.cli(['addfunds', '-5'], { LANG: 'en_US.UTF-8' })).err, spanish, 'the owner\'s stormd.conf beats the system locale')
    assert.equal((await h.cli(['--lang', 'en', 'addfunds', '-5'], { LANG: 'en_US.UTF-8' })).err, english, 'and --lang beats both')
  }, stormd(), ['lang=es'])
})

test('with no stormd running, stormcli says so and how to start it', async () => {
  await withCli(async (h) => {
    await h.stop()
    const r = await h.cli(['getinfo'])
    assert.deepEqual(r, { code: 1, out: '', err: `stormd is not running (no control socket at ${h.socket}). Start it with: stormd\n` })
    const es = await h.cli(['--lang', 'es', 'getinfo'])
    assert.equal(es.err, `stormd no está en marcha (no hay socket de control en ${h.socket}). Arráncalo con: stormd\n`)
  })
})

test('help addfunds shows its usage as typed in a terminal; help lists the stormcli commands only', async () => {
  await withCli(async (h) => {
    const one = await h.cli(['help', 'addfunds'])
    assert.deepEqual(one, {
      code: 0,
      out: 'stormcli addfunds AMOUNT [NODE]\nput sats into the Storm: the planner opens channels for them\nExample: stormcli addfunds 2000000\n',
      err: ''
    })
    const all = await h.cli(['help'])
    const lines = all.out.trim().split('\n')
    assert.equal(lines[0], 'Storm commands:')
    assert.equal(lines.at(-1), 'For one command in detail: stormcli help COMMAND')
    const listed = lines.slice(1, -1).map(l => l.split(' ')[1])
    assert.deepEqual(listed, ['connect', 'addfunds', 'removefunds', 'move', 'disconnect', 'lift', 'cancel', 'getinfo', 'members', 'directives', 'audit', 'approve', 'reject', 'vote', 'downtime', 'help'])
    assert.equal(lines.slice(1, -1).every(l => l.startsWith('stormcli ')), true)
    const bare = await h.cli([])
    assert.deepEqual(bare, { code: 2, out: '', err: all.out }, 'no command is a usage error: the list goes to stderr')
    assert.deepEqual(h.requests, [], 'help never bothers stormd')
  })
})

test('status, directives and connect are answered by stormd itself', async () => {
  await withCli(async (h) => {
    assert.deepEqual(await h.cli(['status']), {
      code: 0,
      out: 'Paired with Supercell (node 02ab); connected to the manager: true; directives waiting for you: 2.\n',
      err: ''
    })
    assert.deepEqual((await h.cli(['directives'])).out, 'dA1 — open a channel — addfunds jX78nVt\ndB2 — set fees — fee vote\n')
    assert.equal((await h.cli(['connect', 'Supercell'])).code, 0)
    assert.deepEqual(h.requests.map(r => r.op), ['status', 'directives', 'status', 'command'])
  })
  const unpaired: ControlHandler = async (req) => req.op === 'status' ? { ok: true, data: { paired: false } } : { ok: true, text: 'should not be asked' }
  await withCli(async (h) => {
    const r = await h.cli(['connect', 'Supercell'])
    assert.deepEqual({ code: r.code, out: r.out }, { code: 1, out: '' })
    assert.match(r.err, /^To join a Storm, send \/connect in its chat/)
    assert.deepEqual(h.requests.map(q => q.op), ['status'], 'nothing relayed for an unpaired stormd')
  }, unpaired)
})

test('--socket points stormcli at another stormd than the one in stormd.conf', async () => {
  await withCli(async (h) => {
    const other = await cliHarness(async () => ({ ok: true, text: 'from the other one' }))
    try {
      const r = await h.cli(['--socket', other.socket, 'addfunds', '1m'])
      assert.deepEqual(r, { code: 0, out: 'from the other one\n', err: '' })
      assert.deepEqual([h.requests.length, other.requests.length], [0, 1])
    } finally {
      await other.close()
    }
  })
})

test('vote fee BASE RATE: the rate as the seed\'s fraction or as ppm, sent to stormd as a structured vote; an ambiguous rate is refused and nothing is sent', async () => {
  await withCli(async (h) => {
    const fraction = await h.cli(['vote', 'fee', '1000', '0.000001'])
    assert.deepEqual(fraction, {
      code: 0,
      out: 'Your vote: base 1000 msat, rate 1 ppm, weighed by your stake of 2,000,000 sats. 4,000,000 of 6,000,000 sats of stake have voted.\n',
      err: ''
    })
    const ppm = await h.cli(['vote', 'fee', '2500', '100ppm'])
    assert.equal(ppm.code, 0)
    assert.deepEqual(h.requests.map(r => ({ ...r, id: 0 })), [
      { op: 'vote', baseFeeMsat: '1000', feeRatePpm: 1, id: 0 },
      { op: 'vote', baseFeeMsat: '2500', feeRatePpm: 100, id: 0 }
    ])
    const sent = h.requests.length
    const ambiguous = await h.cli(['vote', 'fee', '1000', '100'])
    assert.deepEqual(ambiguous, { code: 1, out: '', err: '“100” could be read two ways: write 100ppm for parts per million, or 0.000100 as a fraction.\n' })
    const es = await h.cli(['--lang', 'es', 'vote', 'fee', 'mil', '0.0001'])
    assert.equal(es.code, 1)
    assert.match(es.err, /«mil» no es una comisión base/)
    const refused = await h.cli(['vote', 'fee', '1000', '0.9'])
    assert.deepEqual(refused, { code: 1, out: '', err: 'This Storm\'s votes allow a fee rate of 50,000 ppm at most.\n' })
    assert.equal(h.requests.length, sent + 1, 'only the well-formed vote reached stormd')
  })
})
