/**
 * The member index (agent key → member, chat user → member) is derived from the state: it finds
 * members as they join, pair, re-pair, are banned or leave, and after a failed use case it answers
 * from the state the manager went back to, never from what was forgotten.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import crypto from 'hypercore-crypto'
import { ManagerFixture, MANAGER_KEY, type TestMember } from '../support/manager_fixture.ts'
import { pairingProofText } from '../../src/protocol/messages.ts'
import { newNodeKey, signNodeMessage } from '../../src/protocol/node_signature.ts'
import { pairingKeyPair, publicKeyHex } from '../../src/protocol/keys.ts'
import { findMemberByActor, findMemberByAgent, requireMember } from '../../src/manager/members/find_member.ts'
import { emptyState, type Member, type State } from '../../src/manager/state/schema.ts'

function member (id: string, userId: string, agentKey?: string, status: Member['status'] = 'active'): Member {
  return {
    id, chat: { platform: 'telegram', userId, name: '@' + userId }, status, requestedAt: 1, rating: 100,
    ...(agentKey === undefined ? {} : { agentKey })
  }
}

function stateWith (...members: Member[]): State {
  const state = emptyState('Supercell', 0, { baseFeeMsat: '1000', feeRatePpm: 1 })
  for (const m of members) state.members[m.id] = m
  return state
}

const KEY_A = 'aa'.repeat(32)
const KEY_B = 'bb'.repeat(32)
const chat = (userId: string, platform = 'telegram') => ({ kind: 'chat' as const, platform, userId, name: userId, isAdmin: false })

/** What the lookups answered before the index: the first member that matches, in order. */
function scanned (state: State, agentKey: string): Member | undefined {
  return Object.values(state.members).find(m => m.agentKey === agentKey)
}

test('the index follows members who join, pair and re-pair after it was built', () => {
  const state = stateWith(member('m1', '1', KEY_A))
  assert.equal(findMemberByAgent(state, KEY_A)?.id, 'm1')
  assert.equal(findMemberByAgent(state, KEY_B), undefined)
  assert.equal(findMemberByActor(state, chat('2')), undefined)

  // a member joins and pairs (as request_membership and pairing change the state)
  state.members.m2 = member('m2', '2')
  assert.equal(findMemberByActor(state, chat('2'))?.id, 'm2')
  state.members.m2.agentKey = KEY_B
  assert.equal(findMemberByAgent(state, KEY_B)?.id, 'm2')

  // m1 pairs a new agent: the old key finds nobody, the new one finds m1
  const KEY_C = 'cc'.repeat(32)
  state.members.m1!.agentKey = KEY_C
  assert.equal(findMemberByAgent(state, KEY_A), undefined)
  assert.equal(findMemberByAgent(state, KEY_C)?.id, 'm1')
  for (const key of [KEY_A, KEY_B, KEY_C]) assert.equal(findMemberByAgent(state, key), scanned(state, key))
})

test('a chat user is told apart by platform and user id together', () => {
  const state = stateWith(member('m1', '12'), { ...member('m2', '2'), chat: { platform: 'telegram1', userId: '2', name: 'x' } })
  assert.equal(findMemberByActor(state, chat('12'))?.id, 'm1')
  assert.equal(findMemberByActor(state, chat('2', 'telegram1'))?.id, 'm2')
  assert.equal(findMemberByActor(state, chat('12', 'telegram1')), undefined)
  assert.equal(findMemberByActor(state, chat('2')), undefined)
})

test('banned and departed members are still found, so they are told why they may not act', () => {
  const state = stateWith(member('m1', '1', KEY_A, 'banned'), member('m2', '2', KEY_B))
  assert.equal(findMemberByAgent(state, KEY_A)?.id, 'm1')
  const banned = requireMember(state, chat('1'))
  assert.ok(!banned.ok && banned.error.code === 'BANNED')
  // m2 is banned after the index was built
  state.members.m2!.status = 'banned'
  const later = requireMember(state, { kind: 'agent', agentKey: KEY_B })
  assert.ok(!later.ok && later.error.code === 'BANNED')
  state.members.m2!.status = 'left'
  const left = requireMember(state, chat('2'))
  assert.ok(!left.ok && left.error.code === 'NOT_A_MEMBER')
  assert.equal(findMemberByAgent(state, KEY_B)?.id, 'm2')
})

test('a state put back as it was (same objects) is answered as it now is', () => {
  const state = stateWith(member('m1', '1', KEY_A))
  assert.equal(findMemberByAgent(state, KEY_A)?.id, 'm1')
  state.members.m2 = member('m2', '2', KEY_B)
  assert.equal(findMemberByAgent(state, KEY_B)?.id, 'm2')
  delete state.members.m2
  assert.equal(findMemberByAgent(state, KEY_B), undefined)
  assert.equal(findMemberByActor(state, chat('2')), undefined)
})

test('a loaded copy of the state gets its own index', () => {
  const state = stateWith(member('m1', '1', KEY_A))
  assert.equal(findMemberByAgent(state, KEY_A)?.id, 'm1')
  const copy = structuredClone(state)
  copy.members.m1!.agentKey = KEY_B
  assert.equal(findMemberByAgent(copy, KEY_A), undefined)
  assert.equal(findMemberByAgent(copy, KEY_B), copy.members.m1)
  assert.equal(findMemberByAgent(state, KEY_A), state.members.m1, 'the original keeps its own answers')
})

test('a paired member is found by its agent key through the manager', async () => {
  const f = await ManagerFixture.start()
  const you = await f.joinAndPair('you')
  assert.equal(f.manager.admit(you.agentKey), 'member')
  assert.equal(f.manager.memberOf({ kind: 'agent', agentKey: you.agentKey })?.id, you.id)
  assert.equal(f.manager.memberOf(you.actor)?.id, you.id)
  // the report reached this member's observations: the message found its sender
  assert.equal(f.manager.observations.get(you.id).report?.balance.confirmed, 5_000_000)
})

test('after a use case is rolled back, the index answers from the state that was stored', async () => {
  const f = await ManagerFixture.start()
  const you = await f.joinAndPair('you')
  const save = f.store.save.bind(f.store)
  let failing = true
  f.store.save = async (data) => { if (failing) throw new Error('disk full'); await save(data) }

  // a join that is not stored: the manager goes back to the stored state, where zoe is nobody
  const zoe = f.chatActor('zoe')
  await assert.rejects(f.manager.connect(zoe), /disk full/)
  assert.equal(f.manager.memberOf(zoe), undefined)
  assert.equal(f.manager.getInfo(zoe).members, 1)
  const notMember = await f.manager.cancel(zoe, 'abcdefg')
  assert.ok(!notMember.ok && notMember.error.code === 'NOT_A_MEMBER')

  // a pairing code issued then lost: the member is still found by their own agent key
  await assert.rejects(f.manager.pair(you.actor), /disk full/)
  assert.equal(f.manager.admit(you.agentKey), 'member')

  failing = false
  const joined = await f.manager.connect(zoe)
  assert.ok(joined.ok)
  assert.equal(f.manager.memberOf(zoe)?.id, joined.value.member.id)
  assert.equal(f.manager.memberOf(zoe), f.manager.state.members[joined.value.member.id], 'the live record, not a forgotten one')
})

/** The member pairs a new agent (same node) through the real protocol; returns the new agent key. */
async function pairNewAgent (f: ManagerFixture, you: TestMember, seed: string): Promise<string> {
  const code = await f.manager.pair(you.actor)
  assert.ok(code.ok)
  const pairingKey = publicKeyHex(pairingKeyPair(MANAGER_KEY, code.value.code))
  await f.manager.onConnected(pairingKey, 'pairing')
  const challenge = f.link.to(pairingKey, 'pair_challenge').at(-1)!
  const agent = crypto.keyPair(Buffer.alloc(32, seed))
  const agentKey = publicKeyHex(agent)
  const node = newNodeKey(new TextEncoder().encode('node-' + you.name))
  const proof = pairingProofText(challenge.group, challenge.nonce, agentKey, node.publicKey)
  await f.fromAgent(pairingKey, 'pair_request', {
    nonce: challenge.nonce,
    agentKey,
    agentSignature: crypto.sign(Buffer.from(proof), agent.secretKey).toString('hex'),
    node: { publicKey: node.publicKey, alias: you.name, network: 'simnet', uris: [], version: 'test' },
    nodeSignature: signNodeMessage(node.secretKey, proof)
  }, 'pairing')
  return agentKey
}

test('a re-pairing that is rolled back leaves the old agent key in place, and one that is stored replaces it', async () => {
  const f = await ManagerFixture.start()
  const you = await f.joinAndPair('you')
  const save = f.store.save.bind(f.store)
  let failing = false
  f.store.save = async (data) => { if (failing) throw new Error('disk full'); await save(data) }

  // the pairing code is stored; completing the pairing is not
  const code = await f.manager.pair(you.actor)
  assert.ok(code.ok)
  const pairingKey = publicKeyHex(pairingKeyPair(MANAGER_KEY, code.value.code))
  await f.manager.onConnected(pairingKey, 'pairing')
  const challenge = f.link.to(pairingKey, 'pair_challenge').at(-1)!
  const agent = crypto.keyPair(Buffer.alloc(32, 'n'))
  const node = newNodeKey(new TextEncoder().encode('node-you'))
  const proof = pairingProofText(challenge.group, challenge.nonce, publicKeyHex(agent), node.publicKey)
  failing = true
  await assert.rejects(f.fromAgent(pairingKey, 'pair_request', {
    nonce: challenge.nonce,
    agentKey: publicKeyHex(agent),
    agentSignature: crypto.sign(Buffer.from(proof), agent.secretKey).toString('hex'),
    node: { publicKey: node.publicKey, alias: 'you', network: 'simnet', uris: [], version: 'test' },
    nodeSignature: signNodeMessage(node.secretKey, proof)
  }, 'pairing'), /disk full/)
  assert.equal(f.manager.admit(publicKeyHex(agent)), null, 'the lost pairing binds nothing')
  assert.equal(f.manager.admit(you.agentKey), 'member')
  assert.equal(f.manager.memberOf({ kind: 'agent', agentKey: you.agentKey })?.id, you.id)

  failing = false
  const next = await pairNewAgent(f, you, 'm')
  assert.equal(f.manager.admit(next), 'member')
  assert.equal(f.manager.admit(you.agentKey), null, 'the replaced agent is no longer let in')
  assert.equal(f.manager.memberOf({ kind: 'agent', agentKey: next }), f.manager.state.members[you.id])
  assert.equal(f.stored().members[you.id]?.agentKey, next)
})
