/**
 * The manager's process loads a chat front end only when it is configured: a manager serving
 * Telegram carries no Matrix SDK (~18 MiB of its memory) and the reverse; without a dashboard
 * the dashboard's server is not loaded either (`src/app/run_manager.ts`).
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'

const root = join(import.meta.dirname, '..', '..')

test('importing the manager service loads neither grammY, nor the Matrix SDK, nor the dashboard', () => {
  // every module the import resolves, as Node resolves it
  const script = `
    const { registerHooks } = await import('node:module')
    const seen = []
    registerHooks({ resolve (s, c, next) { const r = next(s, c); seen.push(r.url); return r } })
    await import(${JSON.stringify(join(root, 'src/app/run_manager.ts'))})
    process.stdout.write(JSON.stringify(seen))`
  const seen = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', cwd: root })) as string[]
  assert.ok(seen.some(u => u.endsWith('/src/app/manager_runtime.ts')), 'the runtime itself is loaded')
  for (const name of ['/node_modules/grammy/', '/node_modules/matrix-js-sdk/', '/src/bot/telegram/', '/src/bot/matrix/', '/src/app/start_dashboard.ts', '/src/dashboard/index.ts']) {
    assert.deepEqual(seen.filter(u => u.includes(name)), [], `${name} is loaded only when configured`)
  }
})
