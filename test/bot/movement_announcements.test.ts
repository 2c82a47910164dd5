/**
 * What the chat says when the Storm moves around a node, in English and Spanish: a newcomer lifted
 * (who lifted whom, the budget left), one refused (why, nothing opened), an exit's plan (who would
 * be cut off, who opens to them, how many closes wait), and the lift command's answers. Every
 * variable a sentence uses is given (a missing one throws when rendered).
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ManagerFixture, LOCALES } from '../support/manager_fixture.ts'
import type { StormEvent } from '../../src/manager/context.ts'
import { announcementFor } from '../../src/bot/announcements.ts'
import { OnboardingRulesSchema } from '../../src/manager/planning/movement_rules.ts'
import { exitLines } from '../../src/bot/commands/exit_lines.ts'
import { lift } from '../../src/bot/commands/lift.ts'

test('lifted and refused newcomers, in en and es: who lifted whom, the budget, and why nothing was opened', async () => {
  const f = await ManagerFixture.start({ onboarding: OnboardingRulesSchema.parse({ satsPerDay: 400_000 }) })
  const events: StormEvent[] = []
  f.manager.on('event', e => events.push(e))
  await f.joinAndPair('alice')
  await f.joinAndPair('bob')
  await f.joinAndPair('erin', 0)
  await f.joinAndPair('frank', 0)
  const render = (type: StormEvent['type'], lang: string) => {
    const e = events.find(x => x.type === type)!
    return announcementFor(e, f.manager)!.render(LOCALES.translator(lang)).text
  }
  const en = render('newcomer_lifted', 'en')
  assert.match(en, /@erin joined with no funds/)
  assert.match(en, /@(alice|bob) opens 200,000 sats to @erin/)
  assert.match(en, /left today: 0 of 400,000 sats/)
  assert.match(render('newcomer_lifted', 'es'), /@erin llegó sin fondos/)
  assert.match(render('lift_refused', 'en'), /@frank has no funds, but the Storm opened nothing: the day's budget for newcomers is used up/)
  assert.match(render('lift_refused', 'es'), /@frank no tiene fondos, pero el Storm no abrió nada: el presupuesto del día/)
  // the openers' requests say whom they lift
  const request = events.find(e => e.type === 'allocation_changed' && e.allocation.purpose?.kind === 'onboard')
  if (request !== undefined) assert.match(announcementFor(request, f.manager)!.render(LOCALES.translator('en')).text, /lifts @erin/)
})

test('an exit plan, in en and es: who would be cut off, who opens to them, what waits', async () => {
  const f = await ManagerFixture.start()
  const [a, b] = [await f.joinAndPair('alice'), await f.joinAndPair('bob')]
  const plan = {
    atRisk: [{ member: b.id, reason: 'cut_off' as const, capacityBefore: 500_000, capacityAfter: 0 }],
    reinforcements: [{ opener: a.id, to: b.id, capacity: 200_000, reason: 'cut_off' as const }],
    unhelped: [],
    safe: ['x:0'],
    deferred: ['y:0']
  }
  const member = f.manager.state.members[a.id]!
  const allocation = { id: 'Abc1234', member: a.id, kind: 'remove' as const, amount: 1, createdAt: 0, status: 'pending' as const, directives: [], channels: [], leave: true }
  for (const [lang, cut, opens] of [['en', /@bob would be cut off/, /@alice is asked to open 200,000 sats to @bob/], ['es', /@bob quedaría aislado/, /se pide a @alice que abra 200.000 sats hacia @bob/]] as const) {
    const t = LOCALES.translator(lang)
    const text = announcementFor({ type: 'exit_planned', member, allocation, plan }, f.manager)!.render(t).text
    assert.match(text, cut)
    assert.match(text, opens)
    for (const type of ['exit_ready', 'left_early'] as const) {
      const e = type === 'exit_ready' ? { type, member, allocation, closes: 1, failed: 0, unhelped: 0 } : { type, member, allocation, channelsOpen: 2 }
      assert.ok(announcementFor(e, f.manager)!.render(t).text.includes('@alice'))
    }
    assert.equal(exitLines(f.manager, t, plan).length, 2)
  }
  assert.match(announcementFor({ type: 'left_early', member, allocation, channelsOpen: 2 }, f.manager)!.render(LOCALES.translator('en')).text, /counts against @alice's uptime rating/)
  for (const lang of ['en', 'es']) {
    const t = LOCALES.translator(lang)
    assert.match(announcementFor({ type: 'exit_ready', member, allocation, closes: 2, failed: 0, unhelped: 1 }, f.manager)!.render(t).text, /⚠️/)
    assert.match(announcementFor({ type: 'exit_ready', member, allocation, closes: 2, failed: 1, unhelped: 0 }, f.manager)!.render(t).text, /⚠️/)
  }
})

test('lift takes nothing, on or off: anything else is a clear error in the user\'s language', () => {
  assert.deepEqual(lift.parse([], 'en'), { ok: true, value: {} })
  assert.deepEqual(lift.parse(['ON'], 'en'), { ok: true, value: { willing: true } })
  const bad = lift.parse(['maybe'], 'en')
  assert.ok(!bad.ok)
  assert.match(LOCALES.translator('en').error(bad.error), /`lift` takes nothing, `on` or `off`, not “maybe”/)
  assert.match(LOCALES.translator('es').error(bad.error), /no «maybe»/)
})
