/** A Storm of four paired members whose reports show the channels they funded: their stake. */
import { ManagerFixture, channelReport, outpoint, type TestMember } from '../../support/manager_fixture.ts'
import { GovernanceRulesSchema, type GovernanceRules } from '../../../src/manager/governance/rules.ts'
import type { StormRules } from '../../../src/manager/rules.ts'
import type { StormEvent } from '../../../src/manager/context.ts'

export function governance (over: Partial<GovernanceRules> = {}): GovernanceRules {
  return GovernanceRulesSchema.parse(over)
}

export interface GovStorm {
  f: ManagerFixture
  alice: TestMember
  bob: TestMember
  carol: TestMember
  mallory: TestMember
  events: StormEvent[]
  /** Who holds which channel point. */
  channels: Array<{ holder: TestMember, peer: TestMember, point: string, capacity: number }>
}

/**
 * alice funded 5,000,000 sats of channels, bob 3,000,000, carol 2,000,000, mallory 1,000,000:
 * alice→bob 3m, alice→mallory 2m, bob→carol 2m, bob→mallory 1m, carol→mallory 2m, mallory→alice 1m.
 */
export async function govStorm (rules: Partial<StormRules> = {}): Promise<GovStorm> {
  const f = await ManagerFixture.start({ governance: governance(), ...rules })
  const alice = await f.joinAndPair('alice')
  const bob = await f.joinAndPair('bob')
  const carol = await f.joinAndPair('carol')
  const mallory = await f.joinAndPair('mallory')
  const plan: Array<[TestMember, TestMember, number]> = [
    [alice, bob, 3_000_000], [alice, mallory, 2_000_000], [bob, carol, 2_000_000], [bob, mallory, 1_000_000], [carol, mallory, 2_000_000], [mallory, alice, 1_000_000]
  ]
  const channels = plan.map(([holder, peer, capacity], i) => ({ holder, peer, point: outpoint(100 + i), capacity }))
  for (const m of [alice, bob, carol, mallory]) {
    // each side reports the channel: the opener as initiator (its stake), the peer not
    const lines = channels.flatMap(c => c.holder === m
      ? [channelReport(c.point, c.peer.nodeKey, c.capacity, c.capacity / 2, true)]
      : c.peer === m ? [channelReport(c.point, c.holder.nodeKey, c.capacity, c.capacity / 2, false)] : [])
    await f.report(m.agentKey, 1_000_000, lines)
  }
  const events: StormEvent[] = []
  f.manager.on('event', e => events.push(e))
  return { f, alice, bob, carol, mallory, events, channels }
}
