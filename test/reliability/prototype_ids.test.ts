/**
 * Ids that are names of `Object.prototype` (`__proto__`, `constructor`, `toString` …), typed in
 * chat, sent by an agent, or arriving as a directive from the manager, are unknown ids like any
 * other: a clear "there is no such …", never "not yours", never a crash, nothing changed.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ManagerFixture } from '../support/manager_fixture.ts'
import { IdSchema, DirectiveSchema } from '../../src/protocol/messages.ts'
import { StateSchema, emptyState } from '../../src/manager/state/schema.ts'
import { parseConfText, parseAgentConfig } from '../../src/agent/config.ts'
import { runnerHarness } from '../agent/runner_harness.ts'
import { setFees } from '../agent/helpers.ts'
import { StormError } from '../../src/shared/errors.ts'
import { say, sentence } from './say.ts'

const PROTOTYPE_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', '__defineGetter__']

test('a member types /cancel, /approve and /reject with prototype names: "no such request/directive", nothing changes', async () => {
  const f = await ManagerFixture.start()
  const alice = await f.joinAndPair('alice')
  await f.joinAndPair('bob')
  await f.joinAndPair('carol')
  assert.ok((await f.manager.addFunds(alice.actor, 1_000_000)).ok)
  const before = f.stored()
  const sentBefore = f.link.sent.length
  for (const id of PROTOTYPE_NAMES) {
    const expected = (code: string): { ok: false, text: string } => ({ ok: false, text: sentence(code, { id }) })
    assert.deepEqual(await say(f, alice.actor, `/cancel ${id}`), expected('UNKNOWN_REQUEST'), `/cancel ${id}`)
    assert.deepEqual(await say(f, alice.actor, `/approve ${id}`), expected('UNKNOWN_DIRECTIVE'), `/approve ${id}`)
    assert.deepEqual(await say(f, alice.actor, `/reject ${id}`), expected('UNKNOWN_DIRECTIVE'), `/reject ${id}`)
  }
  assert.deepEqual(f.stored(), before)
  assert.equal(f.link.sent.length, sentBefore, 'nothing sent to any agent')
})

test('an admin types /admit and /decline with prototype names (or taps a button carrying one): "no such member", nothing changes', async () => {
  const f = await ManagerFixture.start({ visibility: 'private' })
  const admin = f.chatActor('ada', true)
  await f.manager.connect(admin)
  await f.manager.connect(f.chatActor('bea'))
  const before = f.stored()
  for (const id of PROTOTYPE_NAMES) {
    assert.deepEqual(await say(f, admin, `/admit ${id}`), { ok: false, text: sentence('UNKNOWN_MEMBER', { ref: id }) }, `/admit ${id}`)
    assert.deepEqual(await say(f, admin, `/decline @${id}`), { ok: false, text: sentence('UNKNOWN_MEMBER', { ref: '@' + id }) }, `/decline @${id}`)
    // the Telegram buttons `admit:<id>` / `approve:<id>` hand their data to the manager as is
    const tapped = await f.manager.decideMembership(admin, id, true)
    assert.equal(tapped.ok ? 'admitted' : tapped.error.code, 'UNKNOWN_MEMBER')
    const approved = await f.manager.decide(admin, id, 'approve')
    assert.equal(approved.ok ? 'approved' : approved.error.code, 'UNKNOWN_DIRECTIVE')
  }
  assert.deepEqual(f.stored(), before)
})

test('an agent reports a status or a result for a directive named after a prototype property: audited as unknown, nothing moves', async () => {
  const f = await ManagerFixture.start()
  const alice = await f.joinAndPair('alice')
  const before = f.stored()
  for (const id of PROTOTYPE_NAMES) {
    await f.fromAgent(alice.agentKey, 'directive_status', { directive: id, status: 'executing' })
    await f.fromAgent(alice.agentKey, 'result', { directive: id, outcome: 'succeeded', detail: {} })
  }
  assert.deepEqual(f.stored().directives, before.directives)
  const unknown = f.audit.entries.filter(e => e.event === 'unknown_directive_status' || e.event === 'unknown_directive_result')
  assert.equal(unknown.length, PROTOTYPE_NAMES.length * 2)
})

test('a message carrying the id __proto__ is refused at the edge, and a state file with such a key cannot set a prototype', () => {
  assert.equal(IdSchema.safeParse('__proto__').success, false)
  assert.equal(IdSchema.safeParse('constructor').success, true, 'any other name is an id like the rest, looked up as an own key')
  const text = JSON.stringify(emptyState('g', 0, { baseFeeMsat: '1', feeRatePpm: 1 })).replace('"members":{}', '"members":{"__proto__":{"polluted":true}}')
  assert.ok(text.includes('__proto__'))
  const state = JSON.parse(text) as unknown
  // zod leaves such a key out of a record and never lets it set a prototype
  const loaded = StateSchema.parse(state)
  assert.deepEqual(Object.keys(loaded.members), [])
  assert.equal((loaded.members as Record<string, unknown>).polluted, undefined)
  assert.equal(DirectiveSchema.safeParse(setFees(0, '1000', 1, { id: '__proto__' })).success, false)
})

test('the manager sends stormd a directive named "constructor": it is run as a new directive, not mistaken for a known one', async () => {
  const h = await runnerHarness()
  const d = setFees(h.clock.now(), '1000', 10, { id: 'constructor' })
  await h.runner.receive(d)
  const statuses = h.drain().filter(s => s.type === 'directive_status' || s.type === 'result').map(s => s.body.directive)
  assert.ok(statuses.length > 0 && statuses.every(x => x === 'constructor'))
  assert.equal(h.saved('constructor')?.directive.id, 'constructor')
  // and the owner deciding "toString" locally is told there is no such directive
  await assert.rejects(h.runner.decide('toString', 'approve', 'owner', true), (e: unknown) => e instanceof StormError && e.code === 'UNKNOWN_DIRECTIVE')
})

test('stormd.conf with a key named __proto__ or constructor: refused as an unknown key, naming it', () => {
  for (const key of ['__proto__', 'constructor']) {
    const raw = parseConfText(`${key} = 1\n`)
    assert.equal(Object.keys(raw).includes(key), true)
    assert.throws(() => parseAgentConfig({ dataDir: '/tmp/x', ...raw }), (e: unknown) => e instanceof StormError && e.code === 'CONFIG_UNKNOWN_KEY' && e.params.key === key)
  }
})
