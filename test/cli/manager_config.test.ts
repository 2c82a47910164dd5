/**
 * The manager's configuration file: an operator who makes a mistake in `config/storm.json` is
 * told which key is wrong, in their language, and the manager does not start.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { loadManagerConfig, parseManagerConfig } from '../../src/app/manager_config.ts'
import { StormError } from '../../src/shared/errors.ts'
import { Locales } from '../../src/shared/i18n.ts'

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url))
const run = promisify(execFile)

const CASES: Array<{ description: string, text: string, code: string, params: Record<string, unknown> }> = [
  { description: 'a typo in a key', text: '{"grup": "Supercell"}', code: 'CONFIG_UNKNOWN_KEY', params: { key: 'grup' } },
  { description: 'a typo inside a section', text: '{"telegram": {"tokn": "1:a"}}', code: 'CONFIG_UNKNOWN_KEY', params: { key: 'telegram.tokn' } },
  { description: 'a value of the wrong type', text: '{"rules": {"minChannelSize": "big"}}', code: 'CONFIG_INVALID', params: { key: 'rules.minChannelSize' } },
  { description: 'broken JSON', text: '{"lang": "en",}', code: 'CONFIG_SYNTAX', params: { line: 0 } }
]

for (const c of CASES) {
  test(`manager config: ${c.description} is ${c.code}, naming it`, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'storm-config-'))
    try {
      const path = join(dir, 'storm.json')
      await writeFile(path, c.text)
      await assert.rejects(loadManagerConfig(path), (e: unknown) => {
        assert.ok(e instanceof StormError)
        assert.equal(e.code, c.code)
        for (const [k, v] of Object.entries(c.params)) assert.equal(e.params[k], v)
        return true
      })
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
}

test('manager config: a missing file is CONFIG_UNREADABLE with its path; no file at all means the defaults', async () => {
  await assert.rejects(loadManagerConfig('/nonexistent/storm.json'), (e: unknown) =>
    e instanceof StormError && e.code === 'CONFIG_UNREADABLE' && e.params.path === '/nonexistent/storm.json' && e.params.reason === 'ENOENT')
  assert.equal(parseManagerConfig({}).rules.group, 'Supercell')
})

test('npm start with a bad config/storm.json says what is wrong, in the language of LANG, and exits 1', async () => {
  const cwd = await mkdtemp(join(tmpdir(), 'storm-start-config-'))
  const locales = Locales.load()
  try {
    const path = join(cwd, 'storm.json')
    await writeFile(path, '{"lang": "en", "rules": {"grup": "Supercell"}}')
    for (const lang of ['en', 'es']) {
      const e = await run(process.execPath, [MAIN], { cwd, env: { ...process.env, STORM_CONFIG: path, LANG: `${lang}_ES.UTF-8`, TELEGRAM_BOT_TOKEN: '' } })
        .then(() => assert.fail('the manager started'), (e: unknown) => e as { code: number, stdout: string, stderr: string })
      assert.equal(e.code, 1)
      assert.equal(e.stdout, '')
      assert.equal(e.stderr, locales.translator(lang).error(new StormError('CONFIG_UNKNOWN_KEY', { key: 'rules.grup' })) + '\n')
    }
  } finally {
    await rm(cwd, { recursive: true, force: true })
  }
})
