/**
 * `TELEGRAM_BOT_TOKEN=… STORM_DEMO=1 npm start` with no configuration file: the real entry point
 * in its own process runs the bot on the demo's simulated Storm, and a user tries it in a group.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { once } from 'node:events'
import { Locales } from '../../src/shared/i18n.ts'
import { TelegramHarness, TOKEN } from './harness.ts'
import { GROUP_ID, YARA } from './setup.ts'
import { shown } from './shown.ts'

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url))

test('npm start with TELEGRAM_BOT_TOKEN and STORM_DEMO=1 serves the demo Storm on Telegram', async () => {
  const h = await TelegramHarness.start()
  const cwd = await mkdtemp(join(tmpdir(), 'storm-start-'))
  const en = Locales.load().translator('en')
  const child = spawn(process.execPath, [MAIN], {
    cwd,
    env: { ...process.env, TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: h.apiRoot, TELEGRAM_CHAT_ID: String(GROUP_ID), STORM_DEMO: '1', STORM_CONFIG: '' },
    stdio: ['ignore', 'ignore', 'pipe']
  })
  let stderr = ''
  child.stderr.on('data', (c: Buffer) => { stderr += c.toString() })
  try {
    await h.waitFor(() => stderr.includes('Telegram: @'), 'the bot to start', 60_000)
    assert.match(stderr, /Storm manager for Supercell is running \(demo, simulated network\)/)
    const group = h.group(GROUP_ID, 'Storm friends')
    assert.equal((await h.ask(YARA, group, '/connect')).text, shown(en.t('connect-admitted', { group: 'Supercell', p: '/' })))
    const chat = h.privateOf(YARA)
    const code = /code=([0-9A-Z-]+)/.exec((await h.ask(YARA, chat, '/pair')).text)?.[1]
    await h.waitFor(() => h.messages(YARA.id).find(m => m.text === shown(en.t('telegram-demo-paired', { code: code ?? '', node: 'yara', funds: 5_000_000 }))), 'the demo to pair its node')
    const reply = await h.ask(YARA, group, '/addfunds 1m')
    assert.ok(reply.text.startsWith(shown(en.t('addfunds-submitted', { amount: 1_000_000, id: /\/cancel (\w+)/.exec(reply.text)?.[1] ?? '', p: '/' }))), reply.text)
    await h.waitFor(() => h.messages(GROUP_ID).find(m => m.buttons.flat().some(b => b.data?.startsWith('approve:'))), 'the directives with their buttons')
    child.kill('SIGTERM')
    const [code_] = await once(child, 'exit') as [number | null]
    assert.equal(code_, 0)
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL')
    await h.stop()
    await rm(cwd, { recursive: true, force: true })
  }
})
