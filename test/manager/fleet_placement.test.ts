/**
 * A company runs three nodes, each with its own stormd, as ONE member of the Storm. When it adds
 * funds, the node that has the funds pays (or the one it names) and the answer says which; no
 * channel opens between two of its own nodes, nor to a member one of its nodes already has a
 * channel with; the channels of all its nodes count as its own — for placement, for its stake —
 * and a channel between two of its own nodes counts for nothing.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ManagerFixture, agentFunds, channelReport, outpoint, LOCALES } from '../support/manager_fixture.ts'
import { membersView } from '../../src/manager/queries/index.ts'
import { placementPicture } from '../../src/manager/use_cases/placement_picture.ts'
import { addfunds } from '../../src/bot/commands/addfunds.ts'

/** Alice, Bob, Gina and Dave, one node each; Corp with corp (little on-chain), corp-2 (the treasury) and corp-3 (empty). */
async function companyStorm () {
  const f = await ManagerFixture.start()
  const alice = await f.joinAndPair('alice')
  const bob = await f.joinAndPair('bob')
  const gina = await f.joinAndPair('gina')
  const dave = await f.joinAndPair('dave')
  const corp = await f.joinAndPair('corp', 150_000)
  const corp2 = await f.pairNode(corp.actor, 'corp-2', 'Y'.charCodeAt(0))
  const corp3 = await f.pairNode(corp.actor, 'corp-3', 'Z'.charCodeAt(0))
  // corp-2 already has a channel to Alice, and one to its sister node corp-3
  await f.report(corp2.agentKey, 6_000_000, [
    channelReport(outpoint(901), alice.nodeKey, 1_000_000, 600_000),
    { ...channelReport(outpoint(902), corp3.nodeKey, 500_000, 250_000), id: '100x2x0' }
  ])
  await f.report(corp3.agentKey, 0, [{ ...channelReport(outpoint(902), corp2.nodeKey, 500_000, 250_000, false), id: '100x2x0' }])
  await f.report(alice.agentKey, 5_000_000, [{ ...channelReport(outpoint(901), corp2.nodeKey, 1_000_000, 400_000, false) }])
  return { f, alice, bob, gina, dave, corp, corp2, corp3 }
}

test('a company with three nodes adds funds: the node with the funds pays, and nothing opens between its own nodes or to Alice, whom corp-2 already has', async () => {
  const { f, alice, corp, corp2, corp3 } = await companyStorm()
  const r = await f.manager.addFunds(corp.actor, 1_200_000)
  assert.ok(r.ok, JSON.stringify(!r.ok && r.error))
  assert.deepEqual(r.value.node, { alias: 'corp-2', publicKey: corp2.nodeKey }, 'corp (150,000 sats) cannot; corp-2 can, and the answer says so')
  const peers = r.value.channels.map(c => c.peer)
  for (const own of [corp.nodeKey, corp2.nodeKey, corp3.nodeKey]) assert.ok(!peers.includes(own), 'never one of its own nodes')
  assert.ok(!peers.includes(alice.nodeKey), 'not Alice: corp-2 has a channel with her')
  assert.equal(new Set(peers).size, peers.length)
  assert.equal(r.value.channels.reduce((s, c) => s + c.capacity, 0), 1_200_000)
  // the one funding directive goes to corp-2's stormd, not to the first node's
  const record = f.manager.state.directives[r.value.channels[0]!.directive]!
  assert.equal(record.agent, corp2.agentKey)
  assert.equal(f.link.to(corp2.agentKey, 'directive').at(-1)?.id, record.directive.id)
  assert.ok(!f.link.to(corp.agentKey, 'directive').some(d => d.id === record.directive.id))

  // corp-2 opens the channels and reports them active: the request is done
  const points = await agentFunds(f, { ...corp, agentKey: corp2.agentKey }, r.value.channels.map(c => ({ directive: c.directive, capacity: c.capacity })), 7)
  await f.report(corp2.agentKey, 4_700_000, r.value.channels.map((c, i) => ({ ...channelReport(points[i]!, c.peer, c.capacity, c.capacity), id: `200x${i}x0` })))
  assert.equal(f.manager.state.allocations[r.value.allocation.id]!.status, 'done', 'the fleet node\'s report opens what it funded')
})

test('the company names the node that funds; a node it does not have, or one without the funds, is refused and nothing is planned', async () => {
  const { f, corp, corp2 } = await companyStorm()
  const before = Object.keys(f.manager.state.allocations).length
  const none = await f.manager.addFunds(corp.actor, 500_000, 'corp-9')
  assert.deepEqual(none.ok ? null : [none.error.code, none.error.params], ['NOT_YOUR_NODE', { node: 'corp-9' }])
  const empty = await f.manager.addFunds(corp.actor, 500_000, 'corp-3')
  assert.deepEqual(empty.ok ? null : [empty.error.code, empty.error.params.node], ['NODE_INSUFFICIENT_FUNDS', 'corp-3'])
  const tooMuch = await f.manager.addFunds(corp.actor, 50_000_000)
  assert.deepEqual(tooMuch.ok ? null : [tooMuch.error.code, tooMuch.error.params.node], ['FLEET_INSUFFICIENT_FUNDS', 'corp-2'], 'the best any node could do is said')
  assert.equal(Object.keys(f.manager.state.allocations).length, before, 'no request made')
  for (const lang of ['en', 'es']) {
    for (const key of ['error-node-insufficient-funds', 'error-fleet-insufficient-funds', 'error-node-no-report-yet', 'addfunds-from-node']) {
      assert.ok(LOCALES.keys(lang).includes(key), `${lang}: ${key}`)
    }
  }

  const named = await f.manager.addFunds(corp.actor, 500_000, corp2.nodeKey.slice(0, 10))
  assert.ok(named.ok)
  assert.equal(named.value.node?.alias, 'corp-2', 'named by the start of its key')
})

test('/addfunds AMOUNT NODE: the last word names the node; an amount alone names none', () => {
  assert.deepEqual(addfunds.parse(['800000', 'corp-2'], 'en'), { ok: true, value: { amount: 800_000, node: 'corp-2' } })
  assert.deepEqual(addfunds.parse(['800000'], 'en'), { ok: true, value: { amount: 800_000 } })
  assert.equal(addfunds.parse(['lots', 'corp-2'], 'en').ok, false)
  assert.deepEqual(addfunds.parse(['800000', '02345678'], 'en'), { ok: true, value: { amount: 800_000, node: '02345678' } }, 'the start of a node key, digits only')
  const twoAmounts = addfunds.parse(['1', '2'], 'en')
  assert.equal(twoAmounts.ok ? 'parsed' : twoAmounts.error.code, 'TOO_MANY_ARGUMENTS', 'two amounts are too many words, not a node called 2')
})

test('for the others, the company is one member: its nodes\' channels are its channels, and a member linked to any of its nodes does not get another channel to it', async () => {
  const { f, alice, corp, corp2, corp3 } = await companyStorm()
  const picture = placementPicture(f.manager.readSource())
  const company = picture.candidates.filter(c => c.member === corp.id)
  assert.equal(company.length, 1, 'one candidate for the company')
  assert.deepEqual(company[0]!.nodeKeys, [corp.nodeKey, corp2.nodeKey, corp3.nodeKey])
  assert.equal(company[0]!.channels, 1, 'the channel to Alice; the one between corp-2 and corp-3 does not count')
  const ai = picture.candidates.findIndex(c => c.member === alice.id)
  const ci = picture.candidates.findIndex(c => c.member === corp.id)
  assert.deepEqual(picture.channels.map(e => [Math.min(e.a, e.b), Math.max(e.a, e.b)]), [[Math.min(ai, ci), Math.max(ai, ci)]])

  const r = await f.manager.addFunds(alice.actor, 1_500_000)
  assert.ok(r.ok)
  assert.ok(!r.value.channels.some(c => c.peerMember === corp.id), 'Alice already has the company through corp-2')
  assert.equal(r.value.node, undefined, 'one node: no word about which')
})

test('the company\'s stake is what all its nodes opened to other members; a channel between its own nodes is no stake', async () => {
  const { f, corp } = await companyStorm()
  assert.equal(f.manager.stakes()[corp.id], 1_000_000, 'corp-2\'s channel to Alice; not corp-2\'s to corp-3')
  const row = membersView(f.manager.readSource()).find(m => m.id === corp.id)!
  assert.equal(row.stake, 1_000_000)
  assert.equal(row.channels, 1)
})
