/**
 * `stormd pair CODE`: the agent connects with the key derived from the one-time code, answers the
 * manager's challenge with two signatures (its own key and the Lightning node's, in LND's
 * signmessage format), and learns its member id. The manager is played by the test.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import crypto from 'hypercore-crypto'
import { ManualClock } from '../../src/shared/clock.ts'
import { StormError } from '../../src/shared/errors.ts'
import { SimNetwork } from '../../src/simnet/index.ts'
import { pairAgent } from '../../src/agent/pair_agent.ts'
import { pairingKeyPair, recoverNodePublicKey, generateKeyPair } from '../../src/protocol/index.ts'
import { pairingProofText, type MessageBody } from '../../src/protocol/messages.ts'
import { FakeLink, MANAGER_KEY, until } from './fake_link.ts'

const NONCE = 'cd'.repeat(32)
const GROUP = 'Supercell'

/** A manager that challenges on start and, given `answer`, answers the pair request. */
function setup (answer: (req: MessageBody<'pair_request'>, link: FakeLink) => void = (req, link) => {
  link.deliver('pair_result', { memberId: 'mem42', group: GROUP, managerKey: MANAGER_KEY })
}, challenge: (link: FakeLink) => void = (link) => link.deliver('pair_challenge', { group: GROUP, nonce: NONCE })) {
  const clock = new ManualClock()
  const network = SimNetwork.create({ seed: 'pairing', clock })
  const node = network.addNode('me')
  const keyPair = generateKeyPair()
  const links: FakeLink[] = []
  const connect = (kp: { publicKey: Buffer, secretKey: Buffer }, managerKey: string) => {
    const link = new FakeLink(kp, managerKey)
    link.onStart = challenge
    link.onSend = (m, l) => { if (m.type === 'pair_request') answer(m.body as MessageBody<'pair_request'>, l) }
    links.push(link)
    return link
  }
  const pair = (code: string, group?: string) => pairAgent({
    code,
    managerKey: MANAGER_KEY,
    keyPair,
    lightning: node,
    connect,
    pairingKeyPair,
    clock,
    ...(group === undefined ? {} : { group })
  })
  return { clock, network, node, keyPair, links, pair }
}

test('pairing proves the agent key and the node key to the manager and returns the membership', async () => {
  const s = setup()
  const pairing = await s.pair('k7px q2md', 'supercell')
  assert.deepEqual(pairing, { managerKey: MANAGER_KEY, memberId: 'mem42', group: GROUP, node: s.node.publicKey, pairedAt: s.clock.now() })

  const link = s.links[0]!
  assert.deepEqual(link.keyPair, pairingKeyPair(MANAGER_KEY, 'K7PX-Q2MD'), 'connected with the key of the code as normalised')
  assert.equal(link.managerKey, MANAGER_KEY)
  assert.equal(link.closed, 1, 'the pairing connection is closed afterwards')
  const [req] = link.of('pair_request')
  assert.ok(req !== undefined)
  const agentKey = s.keyPair.publicKey.toString('hex')
  const proof = pairingProofText(GROUP, NONCE, agentKey, s.node.publicKey)
  assert.equal(req.agentKey, agentKey)
  assert.equal(req.nonce, NONCE)
  assert.equal(req.node.publicKey, s.node.publicKey)
  assert.equal(recoverNodePublicKey(proof, req.nodeSignature), s.node.publicKey, 'the node signed the proof')
  assert.equal(crypto.verify(Buffer.from(proof), Buffer.from(req.agentSignature, 'hex'), s.keyPair.publicKey), true, 'the agent key signed it too')
  assert.equal(recoverNodePublicKey(pairingProofText(GROUP, 'ef'.repeat(32), agentKey, s.node.publicKey), req.nodeSignature) === s.node.publicKey, false,
    'the signature is bound to this nonce')
})

test('a challenge for another Storm than stormd.conf names is refused before anything is signed', async () => {
  const s = setup()
  await assert.rejects(s.pair('K7PX-Q2MD', 'Thundercloud'), (e: unknown) =>
    e instanceof StormError && e.code === 'PAIRING_WRONG_GROUP' && e.params.group === GROUP && e.params.expected === 'Thundercloud')
  assert.deepEqual(s.links[0]!.of('pair_request'), [])
  assert.equal(s.links[0]!.closed, 1)
})

test('the manager\'s refusal is PAIRING_REFUSED with its reason', async () => {
  const s = setup((_req, link) => link.deliver('error', { code: 'PAIRING_FAILED', detail: 'the node signature does not match' }))
  await assert.rejects(s.pair('K7PX-Q2MD'), (e: unknown) =>
    e instanceof StormError && e.code === 'PAIRING_REFUSED' && e.params.reason === 'the node signature does not match')
  assert.equal(s.links[0]!.closed, 1)
})

test('no challenge within the time limit is PAIRING_NO_ANSWER (wrong or expired code look the same)', async () => {
  const s = setup(undefined, () => {})
  const seen: { error?: unknown } = {}
  const pairing = s.pair('K7PX-Q2MD').catch((e: unknown) => { seen.error = e })
  await until(() => s.links.length === 1, 'the connection')
  s.clock.advance(19_999)
  await until(() => true, 'a tick')
  assert.deepEqual(Object.keys(seen), [], 'still waiting just before 20 s')
  s.clock.advance(1)
  await pairing
  assert.ok(seen.error instanceof StormError && seen.error.code === 'PAIRING_NO_ANSWER')
  assert.equal(s.links[0]!.closed, 1)
})

test('a malformed code or a node that does not answer fails before any connection is made', async () => {
  const s = setup()
  await assert.rejects(s.pair('K7PX-Q2M'), (e: unknown) => e instanceof StormError && e.code === 'PAIRING_CODE_MALFORMED' && e.params.code === 'K7PX-Q2M')
  s.network.setOnline(s.node.publicKey, false)
  await assert.rejects(s.pair('K7PX-Q2MD'), (e: unknown) => e instanceof StormError && e.code === 'LN_UNAVAILABLE')
  assert.equal(s.links.length, 0)
})
