/**
 * Pairing binds chat user ↔ agent key ↔ node key, only with a live one-time code, a fresh
 * challenge and two valid signatures (the node's in LND's signmessage format).
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import crypto from 'hypercore-crypto'
import { ManagerFixture, MANAGER_KEY } from '../support/manager_fixture.ts'
import { pairingProofText } from '../../src/protocol/messages.ts'
import { newNodeKey, signNodeMessage } from '../../src/protocol/node_signature.ts'
import { pairingKeyPair, publicKeyHex } from '../../src/protocol/keys.ts'

async function setup () {
  const f = await ManagerFixture.start()
  const actor = f.chatActor('erin')
  await f.manager.connect(actor)
  const code = await f.manager.pair(actor)
  assert.ok(code.ok)
  assert.match(code.value.code, /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/)
  const pairingKey = publicKeyHex(pairingKeyPair(MANAGER_KEY, code.value.code))
  const agent = crypto.keyPair()
  const node = newNodeKey()
  await f.manager.onConnected(pairingKey, 'pairing')
  const challenge = f.link.to(pairingKey, 'pair_challenge').at(-1)!
  const proof = pairingProofText(challenge.group, challenge.nonce, publicKeyHex(agent), node.publicKey)
  const request = {
    nonce: challenge.nonce,
    agentKey: publicKeyHex(agent),
    agentSignature: crypto.sign(Buffer.from(proof), agent.secretKey).toString('hex'),
    node: { publicKey: node.publicKey, alias: 'erin', network: 'simnet' as const, uris: [], version: 'test' },
    nodeSignature: signNodeMessage(node.secretKey, proof)
  }
  return { f, actor, code: code.value.code, pairingKey, agent, node, request }
}

test('a valid pairing binds the member to the agent and the node, and the code works once', async () => {
  const { f, pairingKey, request, actor } = await setup()
  assert.equal(f.manager.admit(pairingKey), 'pairing')
  assert.equal(f.manager.admit(request.agentKey), null, 'the agent key is not admitted before pairing')
  await f.fromAgent(pairingKey, 'pair_request', request, 'pairing')
  const result = f.link.to(pairingKey, 'pair_result')
  assert.equal(result.length, 1)
  assert.equal(result[0]!.managerKey, MANAGER_KEY)
  const member = f.manager.memberOf(actor)!
  assert.equal(member.agentKey, request.agentKey)
  assert.equal(member.node?.publicKey, request.node.publicKey)
  assert.equal(f.stored().members[member.id]?.agentKey, request.agentKey, 'stored')
  assert.equal(f.manager.admit(request.agentKey), 'member')
  assert.equal(f.manager.admit(pairingKey), null, 'the code is used up')
})

test('each forged or stale proof is refused, and nothing is bound', async (t) => {
  const other = newNodeKey()
  const cases: Array<{ description: string, tamper: (r: Awaited<ReturnType<typeof setup>>) => Record<string, unknown>, code: string }> = [
    { description: 'a wrong nonce', tamper: ({ request }) => ({ ...request, nonce: 'ab'.repeat(32) }), code: 'PAIRING_BAD_NONCE' },
    { description: 'the agent signature of another key', tamper: ({ request }) => ({ ...request, agentKey: publicKeyHex(crypto.keyPair()) }), code: 'PAIRING_BAD_AGENT_SIGNATURE' },
    { description: 'a node signature by another node', tamper: ({ request, agent, node }) => ({ ...request, nodeSignature: signNodeMessage(other.secretKey, pairingProofText('Supercell', request.nonce, publicKeyHex(agent), node.publicKey)) }), code: 'PAIRING_BAD_NODE_SIGNATURE' },
    {
      description: 'claiming another node, signed by our own node',
      tamper: ({ request, agent, node }) => {
        const proof = pairingProofText('Supercell', request.nonce, publicKeyHex(agent), other.publicKey)
        return { ...request, node: { ...request.node, publicKey: other.publicKey }, agentSignature: crypto.sign(Buffer.from(proof), agent.secretKey).toString('hex'), nodeSignature: signNodeMessage(node.secretKey, proof) }
      },
      code: 'PAIRING_BAD_NODE_SIGNATURE'
    },
    { description: 'a node signature that is not zbase32', tamper: ({ request }) => ({ ...request, nodeSignature: 'l'.repeat(104) }), code: 'PAIRING_BAD_NODE_SIGNATURE' }
  ]
  for (const c of cases) {
    await t.test(c.description, async () => {
      const s = await setup()
      const before = s.f.stored()
      await s.f.fromAgent(s.pairingKey, 'pair_request', c.tamper(s) as typeof s.request, 'pairing')
      assert.equal(s.f.link.to(s.pairingKey, 'pair_result').length, 0)
      assert.deepEqual(s.f.link.to(s.pairingKey, 'error').at(-1), { code: 'PAIRING_FAILED', detail: c.code })
      const member = s.f.manager.memberOf(s.actor)!
      assert.equal(member.agentKey, undefined)
      assert.deepEqual(s.f.stored().members, before.members, 'no member changed')
    })
  }
})

test('an expired code is refused at the handshake', async () => {
  const { f, pairingKey } = await setup()
  f.clock.advance(f.rules.pairingCodeTtlMs + 1)
  assert.equal(f.manager.admit(pairingKey), null)
})

test('a node already paired to another member cannot pair again', async () => {
  const { f, request, pairingKey, node } = await setup()
  await f.fromAgent(pairingKey, 'pair_request', request, 'pairing')
  const frank = f.chatActor('frank')
  await f.manager.connect(frank)
  const code = await f.manager.pair(frank)
  assert.ok(code.ok)
  const key2 = publicKeyHex(pairingKeyPair(MANAGER_KEY, code.value.code))
  await f.manager.onConnected(key2, 'pairing')
  const challenge = f.link.to(key2, 'pair_challenge').at(-1)!
  const agent2 = crypto.keyPair()
  // the same owner, with the same node's key, under a second chat account
  const proof = pairingProofText(challenge.group, challenge.nonce, publicKeyHex(agent2), node.publicKey)
  await f.fromAgent(key2, 'pair_request', {
    ...request,
    nonce: challenge.nonce,
    agentKey: publicKeyHex(agent2),
    agentSignature: crypto.sign(Buffer.from(proof), agent2.secretKey).toString('hex'),
    nodeSignature: signNodeMessage(node.secretKey, proof)
  }, 'pairing')
  assert.deepEqual(f.link.to(key2, 'error').at(-1), { code: 'PAIRING_FAILED', detail: 'NODE_ALREADY_PAIRED' })
  assert.equal(f.manager.memberOf(frank)?.agentKey, undefined)
})

test('a pairing connection may only pair', async () => {
  const { f, pairingKey } = await setup()
  await f.fromAgent(pairingKey, 'heartbeat', { at: 1, health: { healthy: true } }, 'pairing')
  assert.equal(f.link.to(pairingKey, 'error').at(-1)?.code, 'NOT_ALLOWED')
})

test('a non-member cannot get a pairing code', async () => {
  const f = await ManagerFixture.start()
  const r = await f.manager.pair(f.chatActor('nobody'))
  assert.equal(r.ok ? '' : r.error.code, 'NOT_A_MEMBER')
  assert.deepEqual(f.stored().pairings, [])
})
