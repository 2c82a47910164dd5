/**
 * stormd's configuration: the seed's stormd.conf (with its inline comments), the same keys as
 * JSON, the defaults, and every kind of mistake an owner makes, each named by its key.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises'
import { tmpdir, homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { loadAgentConfig, parseAgentConfig, parseConfText, type AgentConfig } from '../../src/agent/config.ts'
import { StormError } from '../../src/shared/errors.ts'
import { Locales } from '../../src/shared/i18n.ts'

const LOCALES = Locales.load()

/** The sample stormd.conf of the Storm seed (seeds/000_*.txt), verbatim, comments included. */
const SEED_SAMPLE = `network=mainnet
node=lnd
nodeMacaroon=/home/user/.lnd/admin.macaroon
nodeRpcPort=3600
group=Supercell         # Specify which group to connect to
voteBaseFee=1000        # Your proposed base fee (needs consensus)
voteFeeRate=0.000001    # Your proposed fee rate (needs consensus)
logLevel=debug
logFile=/home/user/.stormd/debug.log
`

const DEFAULT_DATA_DIR = join(homedir(), '.stormd')

/** Every key with its default: what `parseAgentConfig({})` gives. */
const DEFAULTS: AgentConfig = {
  network: 'mainnet',
  node: 'lnd',
  nodeHost: '127.0.0.1',
  nodeRpcPort: 10009,
  logLevel: 'info',
  dataDir: DEFAULT_DATA_DIR,
  controlSocket: join(DEFAULT_DATA_DIR, 'stormd.sock'),
  backupsKept: 14,
  requireApproval: [],
  autoApprove: [],
  localApproval: [],
  reportInterval: 60,
  reportFlow: true,
  heartbeatInterval: 30,
  minChannelSize: 20_000,
  maxChannelSize: 16_777_215,
  maxChannelsPerDay: 10,
  maxOnchainSpendPerDay: 50_000_000,
  allowForceClose: false,
  maxTransactionSize: 1_000_000,
  minTimeBetweenPayments: 60,
  maxTransactionsPerPeriod: 24,
  maxTransactionsPeriod: 86_400,
  maxAmountPerPeriod: 5_000_000,
  maxAmountPeriod: 86_400,
  maxFeePerPeriod: 5_000
}

async function withTempDir<T> (fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'storm-config-'))
  try {
    return await fn(dir)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** The StormError a call throws (fails the test when it throws nothing or something else). */
function stormErrorOf (fn: () => unknown): StormError {
  try {
    fn()
  } catch (e) {
    if (e instanceof StormError) return e
    throw e
  }
  assert.fail('expected a StormError')
}

test('the seed\'s sample stormd.conf, inline comments and all, reads as the owner meant it', async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, 'stormd.conf')
    await writeFile(path, SEED_SAMPLE)
    const config = await loadAgentConfig(path)
    assert.deepEqual(config, {
      ...DEFAULTS,
      network: 'mainnet',
      node: 'lnd',
      nodeMacaroon: '/home/user/.lnd/admin.macaroon',
      nodeRpcPort: 3600,
      group: 'Supercell',
      voteBaseFee: 1000,
      // the seed's fraction, read into whole parts per million
      voteFeeRate: 1,
      logLevel: 'debug',
      logFile: '/home/user/.stormd/debug.log'
    })
  })
})

test('stormd.conf text: comments, blank lines, CRLF, spaces around = and a # inside a value', () => {
  const text = '# my node\r\n\r\n  group = Super#cell   # the hash in the name stays\r\n  # indented comment\r\nnodeHost=10.0.0.2\r\n'
  assert.deepEqual(parseConfText(text), { group: 'Super#cell', nodeHost: '10.0.0.2' })
})

test('the same keys as JSON (numbers, booleans and lists as JSON values) give the same config', async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, 'stormd.json')
    await writeFile(path, JSON.stringify({
      network: 'regtest',
      nodeRpcPort: 10010,
      group: 'Supercell',
      voteBaseFee: 1000,
      voteFeeRate: 0.000001,
      allowForceClose: true,
      requireApproval: ['open_channel', 'close_channel'],
      autoApprove: 'set_fees, rebalance',
      dataDir: join(dir, 'data'),
      maxChannelsPerDay: 3
    }))
    assert.deepEqual(await loadAgentConfig(path), {
      ...DEFAULTS,
      network: 'regtest',
      nodeRpcPort: 10010,
      group: 'Supercell',
      voteBaseFee: 1000,
      voteFeeRate: 1,
      allowForceClose: true,
      requireApproval: ['open_channel', 'close_channel'],
      autoApprove: ['set_fees', 'rebalance'],
      dataDir: join(dir, 'data'),
      controlSocket: join(dir, 'data', 'stormd.sock'),
      maxChannelsPerDay: 3
    })
  })
})

test('an empty file and an empty object give every default; a relative dataDir is made absolute', () => {
  assert.deepEqual(parseAgentConfig(parseConfText('')), DEFAULTS)
  assert.deepEqual(parseAgentConfig({}), DEFAULTS)
  const relative = parseAgentConfig(parseConfText('dataDir=state\ncontrolSocket=/run/stormd.sock\nautoApprove=set_fees,rebalance\nallowForceClose=true'))
  assert.equal(relative.dataDir, resolve('state'))
  assert.equal(relative.controlSocket, '/run/stormd.sock')
  assert.deepEqual(relative.autoApprove, ['set_fees', 'rebalance'])
  assert.equal(relative.allowForceClose, true)
})

interface BadCase { description: string, text: string, key: string, reason?: RegExp }

const BAD: BadCase[] = [
  { description: 'port 0', text: 'nodeRpcPort=0', key: 'nodeRpcPort' },
  { description: 'port 65536', text: 'nodeRpcPort=65536', key: 'nodeRpcPort' },
  { description: 'a port that is not a number', text: 'nodeRpcPort=lnd', key: 'nodeRpcPort' },
  { description: 'a fractional port', text: 'nodeRpcPort=10009.5', key: 'nodeRpcPort' },
  { description: 'a port in hex', text: 'nodeRpcPort=0x2711', key: 'nodeRpcPort' },
  { description: 'an empty port', text: 'nodeRpcPort=', key: 'nodeRpcPort' },
  { description: 'a fee rate above 1', text: 'voteFeeRate=2', key: 'voteFeeRate' },
  { description: 'a negative fee rate', text: 'voteFeeRate=-0.1', key: 'voteFeeRate' },
  { description: 'a fee rate written as a percent', text: 'voteFeeRate=0.1%', key: 'voteFeeRate' },
  { description: 'an empty fee rate (not a vote for zero)', text: 'voteFeeRate=', key: 'voteFeeRate' },
  { description: 'a negative base fee', text: 'voteBaseFee=-1', key: 'voteBaseFee' },
  { description: 'an empty limit (not a limit of zero)', text: 'maxChannelSize=', key: 'maxChannelSize' },
  { description: 'a manager key in upper case', text: `manager=${'AB'.repeat(32)}`, key: 'manager', reason: /64-character hex/ },
  { description: 'a manager key one character short', text: `manager=${'a'.repeat(63)}`, key: 'manager' },
  { description: 'an unknown kind in a list', text: 'requireApproval=open_channel, teleport', key: 'requireApproval', reason: /teleport/ },
  { description: 'a kind in the wrong case', text: 'autoApprove=Set_Fees', key: 'autoApprove', reason: /Set_Fees/ },
  { description: 'a boolean written yes', text: 'allowForceClose=yes', key: 'allowForceClose' },
  { description: 'an unknown network', text: 'network=bitcoin', key: 'network' },
  { description: 'an unknown log level', text: 'logLevel=verbose', key: 'logLevel' },
  { description: 'an empty log file', text: 'logFile=', key: 'logFile' },
  { description: 'an empty group', text: 'group=', key: 'group' },
  { description: 'reports more often than every 5 s', text: 'reportInterval=4', key: 'reportInterval' },
  { description: 'a period of zero', text: 'maxAmountPeriod=0', key: 'maxAmountPeriod' }
]

for (const c of BAD) {
  test(`CONFIG_INVALID names the key: ${c.description}`, () => {
    const e = stormErrorOf(() => parseAgentConfig(parseConfText(`nodeHost=127.0.0.1\n${c.text}\n`)))
    assert.equal(e.code, 'CONFIG_INVALID')
    assert.equal(e.params.key, c.key)
    if (c.reason !== undefined) assert.match(String(e.params.reason), c.reason)
  })
}

test('an unknown key is CONFIG_UNKNOWN_KEY naming it, in English and Spanish, whatever its value', () => {
  const en = LOCALES.translator('en')
  const es = LOCALES.translator('es')
  for (const [text, key] of [['colour=blue', 'colour'], ['nodeRpcport=10009', 'nodeRpcport'], ['macaroon=', 'macaroon']] as const) {
    const e = stormErrorOf(() => parseAgentConfig(parseConfText(`network=mainnet\n${text}\n`)))
    assert.deepEqual({ code: e.code, params: e.params }, { code: 'CONFIG_UNKNOWN_KEY', params: { key } }, text)
  }
  const e = stormErrorOf(() => parseAgentConfig(parseConfText('colour=blue')))
  assert.equal(en.error(e), 'Configuration error: there is no key “colour” (keys are case-sensitive; config/stormd.sample.conf lists them all).')
  assert.match(es.error(e), /^Error de configuración: no existe la clave «colour»/)
})

test("a bad value's reason is said in the reader's language; a schema's own sentence stays as written", () => {
  const en = LOCALES.translator('en')
  const es = LOCALES.translator('es')
  const e = stormErrorOf(() => parseAgentConfig(parseConfText('logLevel=verbose\n')))
  assert.match(en.error(e), /^Configuration error at “logLevel”: Invalid option: expected one of /)
  assert.match(es.error(e), /^Error de configuración en «logLevel»: Opción inválida: se esperaba una de /)
  const small = stormErrorOf(() => parseAgentConfig(parseConfText('reportInterval=4\n')))
  assert.doesNotMatch(es.error(small), /expected|Too small/, es.error(small))
  // a language zod speaks but Storm does not falls back to English, reason included
  assert.equal(LOCALES.translator('de').error(e), en.error(e))
})

test('a key given twice is CONFIG_DUPLICATE_KEY with both line numbers, not the last value silently', () => {
  const cases = [
    { text: 'maxChannelSize=1000000\n# later, another idea\nmaxChannelSize=16000000\n', key: 'maxChannelSize', first: 1, second: 3 },
    { text: 'network=mainnet\n  group = Supercell  # ours\n\nnetwork=mainnet\n', key: 'network', first: 1, second: 4, note: 'even with the same value' },
    { text: 'group=A\r\nlogLevel=info\r\n group=B # typo\r\n', key: 'group', first: 1, second: 3 }
  ]
  for (const c of cases) {
    const e = stormErrorOf(() => parseConfText(c.text))
    assert.deepEqual({ code: e.code, params: e.params }, { code: 'CONFIG_DUPLICATE_KEY', params: { key: c.key, first: c.first, second: c.second } }, c.note ?? c.text)
  }
  const e = stormErrorOf(() => parseConfText(cases[0]!.text))
  assert.equal(LOCALES.translator('en').error(e), 'Configuration error: “maxChannelSize” is set twice, on line 1 and on line 3. Keep only one.')
  assert.equal(LOCALES.translator('es').error(e), 'Error de configuración: «maxChannelSize» aparece dos veces, en la línea 1 y en la línea 3. Deja solo una.')
  // keys differing in case are different keys (the second one is then an unknown key)
  assert.deepEqual(parseConfText('group=A\nGroup=B'), { group: 'A', Group: 'B' })
})

test('the first good value of each bad case above is accepted, so the table tests the value, not the key', () => {
  const good = parseAgentConfig(parseConfText([
    'nodeRpcPort=65535', `manager=${'ab'.repeat(32)}`, 'voteFeeRate=1.0', 'voteBaseFee=0',
    'requireApproval=open_channel', 'allowForceClose=false', 'network=signet', 'reportInterval=5', 'maxAmountPeriod=1'
  ].join('\n')))
  assert.deepEqual(
    [good.nodeRpcPort, good.manager, good.voteFeeRate, good.voteBaseFee, good.requireApproval, good.allowForceClose, good.network, good.reportInterval, good.maxAmountPeriod],
    [65535, 'ab'.repeat(32), 1_000_000, 0, ['open_channel'], false, 'signet', 5, 1]
  )
})

test('CONFIG_SYNTAX gives the line number of a line that is not key=value', () => {
  const cases = [
    { text: 'network=mainnet\n# a comment\ngroup Supercell\n', line: 3, shown: 'group Supercell' },
    { text: '=mainnet', line: 1, shown: '=mainnet' },
    { text: '\n\n\n\nnodeRpcPort: 10009   # yaml habits', line: 5, shown: 'nodeRpcPort: 10009   # yaml habits' }
  ]
  for (const c of cases) {
    const e = stormErrorOf(() => parseConfText(c.text))
    assert.deepEqual({ code: e.code, params: e.params }, { code: 'CONFIG_SYNTAX', params: { line: c.line, text: c.shown } }, c.text)
  }
})

test('a broken JSON file is CONFIG_SYNTAX, an unknown JSON key CONFIG_UNKNOWN_KEY', async () => {
  await withTempDir(async (dir) => {
    const broken = join(dir, 'broken.json')
    await writeFile(broken, '{ "network": "mainnet", }')
    await assert.rejects(loadAgentConfig(broken), (e: unknown) => e instanceof StormError && e.code === 'CONFIG_SYNTAX')
    const unknown = join(dir, 'unknown.json')
    await writeFile(unknown, '{ "network": "mainnet", "macaroon": "x" }')
    await assert.rejects(loadAgentConfig(unknown), (e: unknown) => e instanceof StormError && e.code === 'CONFIG_UNKNOWN_KEY' && e.params.key === 'macaroon')
  })
})

test('a file that cannot be read is CONFIG_UNREADABLE with its path and why', async () => {
  await withTempDir(async (dir) => {
    const missing = join(dir, 'nope.conf')
    await assert.rejects(loadAgentConfig(missing), (e: unknown) =>
      e instanceof StormError && e.code === 'CONFIG_UNREADABLE' && e.params.path === missing && e.params.reason === 'ENOENT')
    const folder = join(dir, 'folder.conf')
    await mkdir(folder)
    await assert.rejects(loadAgentConfig(folder), (e: unknown) =>
      e instanceof StormError && e.code === 'CONFIG_UNREADABLE' && e.params.reason === 'EISDIR')
  })
})

test('the fee vote in stormd.conf: a fraction or ppm, never a bare whole number, and both keys or neither', () => {
  const cases = [
    { description: 'the seed\'s fraction', conf: { voteBaseFee: '1000', voteFeeRate: '0.000001' }, expected: { voteBaseFee: 1000, voteFeeRate: 1 } },
    { description: 'parts per million', conf: { voteBaseFee: '2500', voteFeeRate: '100ppm' }, expected: { voteBaseFee: 2500, voteFeeRate: 100 } },
    { description: 'zero is zero either way', conf: { voteBaseFee: '0', voteFeeRate: '0' }, expected: { voteBaseFee: 0, voteFeeRate: 0 } },
    { description: 'the seed\'s comparison page rate', conf: { voteBaseFee: '2250', voteFeeRate: '0.006932' }, expected: { voteBaseFee: 2250, voteFeeRate: 6932 } },
    { description: 'a bare 100 could be 100 ppm or 10,000%', conf: { voteBaseFee: '1000', voteFeeRate: '100' }, error: /voteFeeRate.*100ppm or 0\.000100/ },
    { description: 'finer than a ppm', conf: { voteBaseFee: '1000', voteFeeRate: '0.0000001' }, error: /voteFeeRate/ },
    { description: 'above 100%', conf: { voteBaseFee: '1000', voteFeeRate: '1.5' }, error: /voteFeeRate/ },
    { description: 'a rate without a base fee', conf: { voteFeeRate: '100ppm' }, error: /voteBaseFee.*go together/ },
    { description: 'a base fee without a rate', conf: { voteBaseFee: '1000' }, error: /voteFeeRate.*go together/ }
  ]
  for (const c of cases) {
    if (c.error !== undefined) {
      assert.throws(() => parseAgentConfig(c.conf), (e: Error & { params?: Record<string, unknown> }) => c.error.test(e.message + ' ' + JSON.stringify(e.params ?? {})), c.description)
      continue
    }
    const config = parseAgentConfig(c.conf)
    assert.deepEqual({ voteBaseFee: config.voteBaseFee, voteFeeRate: config.voteFeeRate }, c.expected, c.description)
  }
})
