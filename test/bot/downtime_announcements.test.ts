/**
 * What the chat is told of planned downtime, for every step, in English and Spanish: each step has
 * its own sentence (none falls back to a bare key or to English), with the member, the window's
 * id and the figures that step is about.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { downtimeAnnouncement } from '../../src/bot/downtime_announcements.ts'
import type { DowntimeChange } from '../../src/manager/context.ts'
import type { Downtime } from '../../src/manager/liveness/schema.ts'
import type { Member } from '../../src/manager/state/schema.ts'
import { LOCALES } from '../support/manager_fixture.ts'

const CHANGES: DowntimeChange[] = ['requested', 'granted', 'extended', 'cancelled', 'left_early', 'overdue', 'back', 'back_late']
const AT = Date.UTC(2026, 11, 2, 19, 0)
const member = { id: 'm1', chat: { platform: 'test', userId: 'u', name: '@you' }, status: 'active', requestedAt: 0, rating: 100 } as Member
const downtime: Downtime = { id: 'Dt12345', member: 'm1', requestedAt: AT, durationMs: 2 * 3_600_000, status: 'granted', grantedAt: AT, rebalances: ['r1', 'r2'], safe: [], lateMs: 20 * 60_000 }

test('every step of a downtime is announced in its own words, in English and in Spanish', () => {
  for (const lang of ['en', 'es']) {
    const t = LOCALES.translator(lang, { p: '/' })
    const texts = CHANGES.map(change => downtimeAnnouncement({ type: 'downtime_changed', downtime, member, change }).render(t).text)
    assert.equal(new Set(texts).size, CHANGES.length, `${lang}: one sentence per step`)
    for (const [i, text] of texts.entries()) {
      assert.doesNotMatch(text, /^announce-/, `${lang} ${CHANGES[i]}: a sentence, not a key`)
      assert.match(text, /@you/)
      assert.match(text, /Dt12345/)
    }
    assert.match(texts[0]!, /2h/)
    assert.match(texts[0]!, /\(2 /, `${lang}: the rebalances planned`)
    assert.match(texts[1]!, /2026-12-02 21:00/, `${lang}: when the window ends`)
    assert.match(texts[7]!, /20m/, `${lang}: how late`)
  }
  const es = LOCALES.translator('es', { p: '/' })
  assert.match(downtimeAnnouncement({ type: 'downtime_changed', downtime: { ...downtime, rebalances: [] }, member, change: 'requested' }).render(es).text, /ya equilibrados/)
})

test('each step is its own message (announcements with one key are edited in place)', () => {
  const keys = CHANGES.map(change => downtimeAnnouncement({ type: 'downtime_changed', downtime, member, change }).key)
  assert.equal(new Set(keys).size, CHANGES.length)
})
