/**
 * The roster on hello: at 3,000 members it is ~340 KB signed per connection, so an agent that
 * already holds the current one (its hello carries the digest of what it holds) is not sent it
 * again — and one whose roster is stale, or that says nothing, still is.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ManagerFixture } from '../support/manager_fixture.ts'
import { rosterDigest } from '../../src/protocol/roster_digest.ts'

async function storm () {
  const f = await ManagerFixture.start()
  const you = await f.joinAndPair('you')
  const bob = await f.joinAndPair('bob')
  return { f, you, bob }
}

function hello (nodeKey: string, digest?: string) {
  return { agentVersion: 'test', node: { publicKey: nodeKey, alias: 'you', network: 'simnet' as const, uris: [], version: 'test' }, finished: [], ...(digest === undefined ? {} : { rosterDigest: digest }) }
}

test('an agent that reconnects holding the current roster is not sent it again', async () => {
  const { f, you, bob } = await storm()
  const before = f.link.to(you.agentKey, 'roster').length
  // the digest does not depend on the order the nodes are held in
  await f.fromAgent(you.agentKey, 'hello', hello(you.nodeKey, rosterDigest([bob.nodeKey, you.nodeKey])))
  assert.equal(f.link.to(you.agentKey, 'roster').length, before)
  assert.ok(f.manager.observations.get(you.id).connectedSince !== undefined, 'the hello is still taken')
})

test('an agent whose roster is stale, or that does not say, gets the current one on hello', async () => {
  const { f, you, bob } = await storm()
  const before = f.link.to(you.agentKey, 'roster').length
  await f.fromAgent(you.agentKey, 'hello', hello(you.nodeKey, rosterDigest([you.nodeKey])))
  await f.fromAgent(you.agentKey, 'hello', hello(you.nodeKey))
  const sent = f.link.to(you.agentKey, 'roster').slice(before)
  assert.equal(sent.length, 2)
  assert.deepEqual(new Set(sent[0]!.members.map(m => m.node)), new Set([you.nodeKey, bob.nodeKey]))
})
