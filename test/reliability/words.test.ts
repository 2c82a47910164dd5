/**
 * Users read words, never raw codes: a status or a directive kind is said in the reader's
 * language. And a refusal gives the true reason: a second /addfunds while the first is planned
 * is not told "there is no other paired member" when four are.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ManagerFixture, LOCALES } from '../support/manager_fixture.ts'
import { DIRECTIVE_STATUSES, ALLOCATION_STATUSES } from '../../src/manager/state/schema.ts'
import { DIRECTIVE_KINDS } from '../../src/protocol/messages.ts'
import { AGENT_DIRECTIVE_STATUSES } from '../../src/agent/agent_state.ts'
import { StormError } from '../../src/shared/errors.ts'
import { say, sentence } from './say.ts'

const CODES = [...new Set([...DIRECTIVE_STATUSES, ...ALLOCATION_STATUSES, ...AGENT_DIRECTIVE_STATUSES, ...DIRECTIVE_KINDS])]
/** A raw code, as the code writes it, inside a Spanish sentence (English words may coincide with codes). */
const RAW = new RegExp(`\\b(${CODES.join('|')})\\b`)
/** A code that is no English word either (`awaiting_approval`). */
const RAW_EN = new RegExp(`\\b(${CODES.filter(c => c.includes('_')).join('|')})\\b`)

test('every status and every directive kind has words in English and Spanish', () => {
  for (const lang of ['en', 'es']) {
    const keys = new Set(LOCALES.keys(lang))
    for (const s of [...DIRECTIVE_STATUSES, ...ALLOCATION_STATUSES, ...AGENT_DIRECTIVE_STATUSES]) assert.ok(keys.has(`code-status-${s.replace(/_/g, '-')}`), `${lang}: ${s}`)
    for (const k of DIRECTIVE_KINDS) assert.ok(keys.has(`code-kind-${k.replace(/_/g, '-')}`), `${lang}: ${k}`)
  }
})

test('every error that names a status or a kind says it in words, in both languages', () => {
  const es = LOCALES.translator('es')
  const en = LOCALES.translator('en')
  for (const status of [...DIRECTIVE_STATUSES, ...ALLOCATION_STATUSES]) {
    for (const t of [en, es]) {
      for (const e of [
        new StormError('DIRECTIVE_NOT_AWAITING', { id: 'Ab12Cd3', status }),
        new StormError('REQUEST_FINISHED', { id: 'Ab12Cd3', status }),
        new StormError('DIRECTIVE_ALREADY_FINISHED', { id: 'Ab12Cd3', status }),
        new StormError('DIRECTIVE_BAD_TRANSITION', { id: 'Ab12Cd3', from: status, to: 'executing' })
      ]) {
        const text = t.error(e)
        assert.doesNotMatch(text, t.lang === 'es' ? RAW : RAW_EN, `${t.lang}: ${text}`)
      }
    }
  }
  assert.equal(es.error(new StormError('DIRECTIVE_NOT_AWAITING', { id: 'Ab12Cd3', status: 'succeeded' })), 'La directiva Ab12Cd3 no espera una decisión (hecha).')
  for (const kind of DIRECTIVE_KINDS) assert.doesNotMatch(es.error(new StormError('INTERRUPTED', { kind })), RAW)
})

test('a member approves, in Spanish, a directive their node already carried out: told in Spanish that it is done', async () => {
  const f = await ManagerFixture.start()
  const you = await f.joinAndPair('you')
  await f.joinAndPair('alice')
  const added = await f.manager.addFunds(you.actor, 1_000_000)
  assert.ok(added.ok)
  const id = added.value.channels[0]!.directive
  assert.ok((await say(f, you.actor, `/approve ${id}`)).ok)
  await f.fromAgent(you.agentKey, 'result', { directive: id, outcome: 'succeeded', detail: {} })
  const reply = await say(f, you.actor, `/approve ${id}`, 'es')
  assert.deepEqual(reply, { ok: false, text: sentence('DIRECTIVE_NOT_AWAITING', { id, status: 'succeeded' }, 'es') })
  assert.ok(reply.text!.includes('(hecha)'), reply.text)
  assert.doesNotMatch(reply.text!, RAW)
})

test('a member cancels, in Spanish, a request already cancelled: told in Spanish that it is cancelled', async () => {
  const f = await ManagerFixture.start()
  const you = await f.joinAndPair('you')
  await f.joinAndPair('alice')
  const added = await f.manager.addFunds(you.actor, 1_000_000)
  assert.ok(added.ok)
  assert.ok((await say(f, you.actor, `/cancel ${added.value.allocation.id}`)).ok)
  const reply = await say(f, you.actor, `/cancel ${added.value.allocation.id}`, 'es')
  assert.ok(reply.text!.includes('(cancelada)'), reply.text)
  assert.doesNotMatch(reply.text!, RAW)
})

test('a member sends a second /addfunds while the first is planned, with four other members: told why, with the request to cancel', async () => {
  const f = await ManagerFixture.start()
  const you = await f.joinAndPair('you')
  for (const name of ['alice', 'bob', 'carol', 'dave']) await f.joinAndPair(name)
  const first = await say(f, you.actor, '/addfunds 2000000')
  assert.equal(first.ok, true)
  const planned = Object.values(f.stored().allocations)[0]!
  const before = f.stored()
  for (const lang of ['en', 'es']) {
    const second = await say(f, you.actor, '/addfunds 500000', lang)
    assert.deepEqual(second, { ok: false, text: sentence('PEERS_ALL_PLANNED', { count: 4, id: planned.id }, lang) })
    assert.notEqual(second.text, sentence('NO_PEERS_AVAILABLE', {}, lang))
  }
  assert.deepEqual(f.stored(), before, 'nothing changed')
})

test('a member whose channels to every other member are open asks to add funds: told each already has one, not that nobody is there', async () => {
  const f = await ManagerFixture.start()
  const you = await f.joinAndPair('you')
  const alice = await f.joinAndPair('alice')
  const added = await f.manager.addFunds(you.actor, 1_000_000)
  assert.ok(added.ok)
  // the channel is open: the request is finished, the channel stays
  await f.manager.decide(you.actor, 'all', 'approve')
  await f.fromAgent(you.agentKey, 'result', { directive: added.value.channels[0]!.directive, outcome: 'succeeded', detail: { channelPoint: '00'.repeat(32) + ':0' } })
  await f.report(you.agentKey, 4_000_000, [{ id: '1x1x0', channelPoint: '00'.repeat(32) + ':0', peer: alice.nodeKey, capacity: 1_000_000, localBalance: 990_000, remoteBalance: 0, localReserve: 10_000, remoteReserve: 10_000, active: true, initiator: true }])
  const reply = await say(f, you.actor, '/addfunds 500000')
  assert.deepEqual(reply, { ok: false, text: sentence('PEERS_ALL_TAKEN', { count: 1 }) })
})

test('alone in the Storm, a member asks to add funds: still told there is no other paired member', async () => {
  const f = await ManagerFixture.start()
  const you = await f.joinAndPair('you')
  assert.deepEqual(await say(f, you.actor, '/addfunds 500000'), { ok: false, text: sentence('NO_PEERS_AVAILABLE') })
})
