/**
 * The README's command table is the command list: every command declared in the registry has a
 * row, and every row is a declared command or stormcli's own `status`; the line under the table
 * names exactly the commands stormcli does not have.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { COMMANDS, CLI_COMMANDS } from '../../src/bot/commands/registry.ts'

function commandsSection (): string {
  const readme = readFileSync('README.md', 'utf8')
  const start = readme.indexOf('\n## Commands\n')
  const end = readme.indexOf('\n### stormd and stormcli\n', start)
  assert.ok(start >= 0 && end > start, 'the README has a Commands section')
  return readme.slice(start, end)
}

test('the README lists every command there is, and no other', () => {
  const section = commandsSection()
  // each row's first cell: one or more `name …` forms (`admit` / `decline MEMBER`)
  const named = new Set(section.split('\n').filter(l => l.startsWith('| `')).flatMap(l => [...l.split(' | ')[0]!.matchAll(/`([a-z]+)/g)].map(m => m[1]!)))
  for (const c of COMMANDS) assert.ok(named.has(c.name), `no README row for ${c.name}`)
  assert.deepEqual([...named].filter(n => n !== 'status' && !COMMANDS.some(c => c.name === n)), [], 'rows for commands that do not exist')
})

test('the README says which commands stormcli lacks', () => {
  const line = /`stormcli` has every command above but the chat's own: ([^(]+)\(/.exec(commandsSection().replace(/\n/g, ' '))
  assert.ok(line, 'the stormcli line under the table')
  const chatOnly = [...line[1]!.matchAll(/`([a-z]+)`/g)].map(m => m[1]!).sort()
  assert.deepEqual(chatOnly, COMMANDS.map(c => c.name).filter(n => !CLI_COMMANDS.includes(n)).sort())
})
