/**
 * The Matrix adapter's pure parts, without a homeserver: how a typed message becomes a command,
 * how buttons become commands to type, and the per-room marks that keep a restarted bot from
 * answering anything twice or replaying history.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { asCommand, commandOf, matrixContent, SyncMark } from '../../src/bot/matrix/index.ts'

test('`!storm <command>` is `!<command>`; `!storm` alone is help; other text is left as typed', () => {
  assert.equal(asCommand('!storm connect'), '!connect')
  assert.equal(asCommand('  !STORM   addfunds 2m '), '!addfunds 2m')
  assert.equal(asCommand('!storm'), '!help')
  assert.equal(asCommand('!stormy weather'), '!stormy weather')
  assert.equal(asCommand('hello'), 'hello')
})

test('buttons become the commands they stand for, under the text; HTML is escaped, spans are code', () => {
  assert.equal(commandOf('approve:abc1234', '!'), '!approve abc1234')
  const c = matrixContent({ text: 'Run `!getinfo` <now>', format: 'spans', buttons: [[{ label: 'Approve abc', action: 'approve:abc' }]] }, '!')
  assert.equal(c.body, 'Run `!getinfo` <now>\nApprove abc: !approve abc')
  assert.equal(c.formatted_body, 'Run <code>!getinfo</code> &lt;now&gt;<br><code>Approve abc: !approve abc</code>')
  assert.equal(c.msgtype, 'm.notice')
})

test('sync marks: history before the first start and events already handled are not new, across a restart', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'storm-matrix-mark-'))
  try {
    const mark = await SyncMark.load(dir, 1000)
    assert.equal(mark.isNew('!r', 999, '$old'), false, 'sent before the bot ever started')
    assert.equal(mark.isNew('!r', 1001, '$a'), true)
    await mark.handled('!r', 1001, '$a')
    await mark.handled('!r', 1001, '$b')
    const again = await SyncMark.load(dir, 5000)
    assert.equal(again.isNew('!r', 1001, '$a'), false, 'answered before the restart')
    assert.equal(again.isNew('!r', 1001, '$c'), true, 'same millisecond, not handled')
    assert.equal(again.isNew('!r', 1002, '$d'), true, 'sent while the bot was down')
    assert.equal(again.isNew('!other', 1500, '$e'), true, 'another room keeps its own mark')
    assert.ok(JSON.parse(await readFile(join(dir, 'matrix-sync.json'), 'utf8')).since === 1000)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
})
