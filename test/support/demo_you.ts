/**
 * The demo Storm's user, as far as most stories start: you connect, pair your stormd and ask to
 * add funds; the Storm settles (your directives wait for you, or ran where nothing needs approval).
 */
import assert from 'node:assert/strict'
import type { DemoStorm } from '../../src/demo/demo_storm.ts'
import type { AddFundsOutcome } from '../../src/manager/use_cases/add_funds.ts'
import type { Member } from '../../src/manager/state/schema.ts'

export async function youAddFunds (demo: DemoStorm, amount: number): Promise<{ you: Member, added: AddFundsOutcome }> {
  const { manager } = demo.manager
  assert.ok((await manager.connect(demo.you.actor)).ok)
  await demo.pairYou()
  const added = await manager.addFunds(demo.you.actor, amount)
  assert.ok(added.ok)
  await demo.settle()
  return { you: manager.memberOf(demo.you.actor)!, added: added.value }
}
