/**
 * stormd's command line: `check-config`, `pair INVITE` (handed to the running stormd), and the
 * mistakes it refuses before doing anything; and the pairing invitation it reads.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runStormd, stormdMain } from '../../src/app/stormd_main.ts'
import { parsePairingInvite, pairingInvite } from '../../src/app/pairing_invite.ts'
import { StormError } from '../../src/shared/errors.ts'
import { Capture, LOCALES, cliHarness } from './cli_harness.ts'

const T = LOCALES.translator('en')
const MANAGER = 'ab'.repeat(32)
const INVITE = `storm:pair?manager=${MANAGER}&code=K7PX-Q2MD&group=Supercell`

async function withConf (lines: string[], fn: (conf: string, dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'storm-stormd-'))
  try {
    const conf = join(dir, 'stormd.conf')
    await writeFile(conf, [`dataDir=${dir}`, `controlSocket=${join(dir, 'stormd.sock')}`, ...lines].join('\n') + '\n')
    await fn(conf, dir)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** The StormError stormd's command line fails with, as the user would read it (in the language stormd chose). */
async function refusal (argv: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: string, params: Record<string, string | number>, text: string }> {
  let t = T
  try {
    await runStormd(argv, new Capture(), (lang) => (t = LOCALES.translator(lang ?? env.LANG)))
  } catch (e) {
    if (e instanceof StormError) return { code: e.code, params: e.params, text: t.error(e) }
    throw e
  }
  assert.fail(`stormd ${argv.join(' ')} did not fail`)
}

test('check-config on a good file says so and shows every value with its defaults', async () => {
  await withConf(['group=Supercell   # the Storm', 'nodeRpcPort=3600', 'autoApprove=set_fees'], async (conf, dir) => {
    const out = new Capture()
    assert.equal(await runStormd(['check-config', '--config', conf], out, () => T), 0)
    const [first, ...rest] = out.text.split('\n')
    assert.equal(first, 'The configuration is valid.')
    const shown = JSON.parse(rest.join('\n'))
    assert.deepEqual(
      [shown.group, shown.nodeRpcPort, shown.autoApprove, shown.dataDir, shown.maxChannelSize, shown.allowForceClose],
      ['Supercell', 3600, ['set_fees'], dir, 16_777_215, false]
    )
  })
})

test('check-config never shows the macaroon inside an lndconnect URI', async () => {
  const uri = 'lndconnect://10.0.0.2:10009?cert=MIICcert&macaroon=AgEDbG5kAvgBSECRETMACAROON'
  await withConf([`lndconnect=${uri}`], async (conf) => {
    const out = new Capture()
    assert.equal(await runStormd(['check-config', '--config', conf], out, () => T), 0)
    assert.equal(out.text.includes('SECRETMACAROON'), false)
    assert.equal(JSON.parse(out.text.slice(out.text.indexOf('\n') + 1)).lndconnect, 'lndconnect://10.0.0.2:10009?cert=MIICcert&macaroon=(hidden)')
  })
})

test('check-config on a bad file names the key; a missing file says it cannot be read', async () => {
  await withConf(['nodeRpcPort=70000'], async (conf) => {
    const r = await refusal(['check-config', '--config', conf])
    assert.deepEqual([r.code, r.params.key], ['CONFIG_INVALID', 'nodeRpcPort'])
    assert.match(r.text, /^Configuration error at “nodeRpcPort”: /)
  })
  await withConf(['network=mainnet', 'group Supercell'], async (conf) => {
    const r = await refusal(['check-config', '--config', conf])
    assert.deepEqual([r.code, r.params.line], ['CONFIG_SYNTAX', 4])
  })
  const r = await refusal(['check-config', '--config', '/nonexistent/stormd.conf'])
  assert.equal(r.text, 'Cannot read the configuration file /nonexistent/stormd.conf: ENOENT.')
})

test('a key given twice: stormd check-config and stormd itself refuse to start, naming the key and both lines', async () => {
  await withConf(['maxChannelSize=1000000', 'maxChannelSize=5000000'], async (conf) => {
    for (const argv of [['check-config', '--config', conf], ['--config', conf]]) {
      const r = await refusal(argv)
      // the file starts with dataDir= and controlSocket= (lines 1 and 2)
      assert.deepEqual([r.code, r.params], ['CONFIG_DUPLICATE_KEY', { key: 'maxChannelSize', first: 3, second: 4 }], argv.join(' '))
      assert.equal(r.text, 'Configuration error: “maxChannelSize” is set twice, on line 3 and on line 4. Keep only one.')
    }
  })
  await withConf(['colour=blue'], async (conf) => {
    for (const argv of [['check-config', '--config', conf], ['--config', conf]]) {
      assert.deepEqual((await refusal(argv)).params, { key: 'colour' }, argv.join(' '))
    }
  })
})

test('pair with a mistyped invitation is PAIRING_CODE_MALFORMED, whether or not stormd runs', async () => {
  await withConf([], async (conf) => {
    for (const bad of ['hello', 'K7PX-Q2M', `storm:pair?manager=${MANAGER}&code=nope`, 'storm:pair?manager=ABC&code=K7PX-Q2MD']) {
      const r = await refusal(['pair', bad, '--config', conf])
      assert.equal(r.code, 'PAIRING_CODE_MALFORMED', bad)
    }
    assert.equal((await refusal(['pair', 'hello', '--config', conf])).text, '“hello” is not a pairing code: codes look like K7PX-Q2MD.')
  })
})

test('pair hands a good invitation to the running stormd and reports the membership', async () => {
  const h = await cliHarness(async (req) => req.op === 'pair' ? { ok: true, data: { group: 'Supercell', member: 'm7' } } : { ok: false })
  try {
    const out = new Capture()
    assert.equal(await runStormd(['pair', INVITE, '--config', h.conf], out, () => T), 0)
    assert.deepEqual(h.requests, [{ op: 'pair', invite: INVITE, id: 1 }])
    assert.equal(out.text, 'Paired: you are member m7 of Supercell. stormd is connecting to the manager.\n')
    await h.stop()
    const r = await refusal(['pair', INVITE, '--config', h.conf])
    assert.deepEqual([r.code, r.params.socket], ['STORMD_NOT_RUNNING', h.socket])
  } finally {
    await h.close()
  }
  const refusing = await cliHarness(async () => { throw new StormError('PAIRING_NO_ANSWER') })
  try {
    assert.equal((await refusal(['pair', 'K7PX-Q2MD', '--config', refusing.conf])).code, 'PAIRING_NO_ANSWER', 'stormd\'s own refusal is passed on')
  } finally {
    await refusing.close()
  }
})

test('bad command lines are refused with a sentence; node=simnet is refused outside the demo', async () => {
  await withConf([], async (conf) => {
    assert.equal((await refusal(['--frobnicate'])).code, 'CLI_BAD_ARGUMENT')
    for (const argv of [['pair', '--config', conf], ['pair', 'a', 'b', '--config', conf]]) assert.equal((await refusal(argv)).code, 'STORMD_PAIR_NEEDS_INVITE', argv.join(' '))
    assert.deepEqual(await refusal(['frobnicate', '--config', conf]), { code: 'STORMD_UNKNOWN_VERB', params: { verb: 'frobnicate' }, text: 'stormd has no command “frobnicate”. See stormd --help.' })
  })
  await withConf(['node=simnet', 'network=simnet'], async (conf) => {
    const r = await refusal(['--config', conf])
    assert.deepEqual([r.code, r.text], ['SIMNET_ONLY_IN_DEMO', 'node=simnet exists only inside the demo (npm start). Point stormd at LND: node=lnd.'])
  })
})

test('stormd --help prints its usage', async () => {
  const out = new Capture()
  assert.equal(await runStormd(['--help'], out, () => T), 0)
  assert.match(out.text, /^Usage:\n\s*stormd \[--config FILE\]/)
  assert.match(out.text, /stormd pair INVITE/)
  assert.match(out.text, /stormd check-config/)
})

interface InviteCase { description: string, text: string, expected?: ReturnType<typeof parsePairingInvite> }

const INVITES: InviteCase[] = [
  { description: 'the full invitation from /pair', text: INVITE, expected: { managerKey: MANAGER, code: 'K7PX-Q2MD', group: 'Supercell' } },
  { description: 'an invitation with spaces around it (pasted)', text: `  ${INVITE}\n`, expected: { managerKey: MANAGER, code: 'K7PX-Q2MD', group: 'Supercell' } },
  { description: 'an invitation without a group', text: `storm:pair?manager=${MANAGER}&code=k7pxq2md`, expected: { managerKey: MANAGER, code: 'K7PX-Q2MD' } },
  { description: 'an invitation whose group needs escaping', text: pairingInvite(MANAGER, 'K7PX-Q2MD', 'Super cell & co+1'), expected: { managerKey: MANAGER, code: 'K7PX-Q2MD', group: 'Super cell & co+1' } },
  { description: 'a bare code with its dash', text: 'K7PX-Q2MD', expected: { code: 'K7PX-Q2MD' } },
  { description: 'a bare code without the dash', text: 'K7PXQ2MD', expected: { code: 'K7PX-Q2MD' } },
  { description: 'a bare code in lower case', text: 'k7px-q2md', expected: { code: 'K7PX-Q2MD' } },
  { description: 'a bare code with O typed for 0 and l for 1', text: 'K7PX-O2Ml', expected: { code: 'K7PX-02M1' } },
  { description: 'a bare code typed with a space', text: 'K7PX Q2MD', expected: { code: 'K7PX-Q2MD' } },
  { description: 'garbage', text: 'hello world' },
  { description: 'an empty string', text: '' },
  { description: 'a code one character short', text: 'K7PX-Q2M' },
  { description: 'a code one character long', text: 'K7PX-Q2MDX' },
  { description: 'a code with U (not in the alphabet)', text: 'K7PU-Q2MD' },
  { description: 'an invitation with an upper-case manager key', text: `storm:pair?manager=${MANAGER.toUpperCase()}&code=K7PX-Q2MD` },
  { description: 'an invitation with a short manager key', text: `storm:pair?manager=${MANAGER.slice(2)}&code=K7PX-Q2MD` },
  { description: 'an invitation without a code', text: `storm:pair?manager=${MANAGER}&group=Supercell` },
  { description: 'an invitation without a manager', text: 'storm:pair?code=K7PX-Q2MD' }
]

for (const c of INVITES) {
  test(`pairing invitation: ${c.description}`, () => {
    if (c.expected !== undefined) {
      assert.deepEqual(parsePairingInvite(c.text), c.expected)
      return
    }
    assert.throws(() => parsePairingInvite(c.text), (e: unknown) =>
      e instanceof StormError && e.code === 'PAIRING_CODE_MALFORMED' && e.params.code === c.text.trim().slice(0, 40))
  })
}

test('stormd speaks the owner\'s lang= from stormd.conf, over the system\'s LANG, on stdout and stderr', async () => {
  const run = async (argv: string[], env: NodeJS.ProcessEnv): Promise<{ code: number, out: string, err: string }> => {
    const out = new Capture()
    const err = new Capture()
    const code = await stormdMain(argv, out, err, LOCALES, env)
    return { code, out: out.text, err: err.text }
  }
  await withConf(['lang=es'], async (conf) => {
    const ok = await run(['check-config', '--config', conf], { LANG: 'en_US.UTF-8' })
    assert.deepEqual([ok.code, ok.out.split('\n')[0], ok.err], [0, 'La configuración es válida.', ''])
    assert.match((await run(['--help', '--config', conf], { LANG: 'en_US.UTF-8' })).out, /^Uso:/)
    assert.deepEqual(await run(['frobnicate', '--config', conf], { LANG: 'en_US.UTF-8' }),
      { code: 2, out: '', err: 'stormd no tiene el comando «frobnicate». Mira stormd --help.\n' })
    assert.deepEqual(await run(['pair', 'hello', '--config', conf], {}),
      { code: 1, out: '', err: '«hello» no es un código de emparejamiento: se parecen a K7PX-Q2MD.\n' })
  })
  // a file that does not validate is still refused in the language it asks for
  await withConf(['lang = es   # español', 'maxChannelSize=1', 'maxChannelSize=2'], async (conf) => {
    assert.deepEqual(await run(['--config', conf], { LANG: 'en_US.UTF-8' }),
      { code: 1, out: '', err: 'Error de configuración: «maxChannelSize» aparece dos veces, en la línea 4 y en la línea 5. Deja solo una.\n' })
  })
  // without lang=, the system's LANG; English otherwise
  await withConf([], async (conf) => {
    assert.equal((await run(['check-config', '--config', conf], { LANG: 'es_AR.UTF-8' })).out.split('\n')[0], 'La configuración es válida.')
    assert.equal((await run(['check-config', '--config', conf], {})).out.split('\n')[0], 'The configuration is valid.')
  })
  await withConf(['lang=en'], async (conf) => {
    assert.equal((await run(['frobnicate', '--config', conf], { LANG: 'es_ES.UTF-8' })).err, 'stormd has no command “frobnicate”. See stormd --help.\n')
  })
})
