/**
 * The manager's process runs with a bounded young generation: `npm start` passes the options the
 * load test and the connections bench give their manager process, and with them V8 keeps its
 * semi-spaces at 8 MiB however many objects survive (by default it grows them to 64 MiB on a
 * machine with a few GiB, and they stay resident).
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { MANAGER_NODE_OPTIONS } from '../../src/app/manager_node_options.ts'

const root = join(import.meta.dirname, '..', '..')

test('npm start runs the manager with the Node options the load rig measures', () => {
  const start = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.start!
  assert.equal(start, `node ${MANAGER_NODE_OPTIONS.join(' ')} src/main.ts`)
})

test('with those options the young generation stays at two 8 MiB semi-spaces while many objects survive', () => {
  // what loading a large state does: a few hundred MiB of objects allocated, most of them kept
  const script = `
    const kept = []
    for (let i = 0; i < 2e6; i++) kept.push({ id: 'member-' + i, channels: [i, i + 1], at: Date.now() })
    const s = require('node:v8').getHeapSpaceStatistics().find(x => x.space_name === 'new_space')
    process.stdout.write(JSON.stringify({ size: s.space_size, kept: kept.length }))`
  const out = JSON.parse(execFileSync(process.execPath, [...MANAGER_NODE_OPTIONS, '-e', script], { encoding: 'utf8' })) as { size: number, kept: number }
  assert.equal(out.kept, 2e6)
  assert.ok(out.size <= 2 * 8 * 2 ** 20, `new space ${out.size} bytes`)
})
