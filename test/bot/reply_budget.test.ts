/**
 * Reply budgets, on a clock that moves only when told: a flood is answered a few times, noticed
 * once, then dropped until the budget refills; many strangers together share one room budget;
 * members have their own, larger one.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ManualClock } from '../../src/shared/clock.ts'
import { ReplyBudgets } from '../../src/bot/core/index.ts'

const RULES = {
  member: { burst: 4, refillMs: 1_000 },
  stranger: { burst: 2, refillMs: 10_000 },
  strangersPerRoom: { burst: 5, refillMs: 10_000 }
}

test('a stranger\'s flood: two answers, one notice, then silence until the budget refills', () => {
  const clock = new ManualClock()
  const b = new ReplyBudgets(RULES, clock)
  assert.deepEqual(Array.from({ length: 6 }, () => b.take('mallory', 'stranger', 'g')), ['answer', 'answer', 'notice', 'drop', 'drop', 'drop'])
  clock.advance(9_999)
  assert.equal(b.take('mallory', 'stranger', 'g'), 'drop')
  clock.advance(1)
  assert.deepEqual([b.take('mallory', 'stranger', 'g'), b.take('mallory', 'stranger', 'g')], ['answer', 'notice'])
})

test('a member is not held back by a stranger\'s flood, and has a larger budget of their own', () => {
  const b = new ReplyBudgets(RULES, new ManualClock())
  for (let i = 0; i < 30; i++) b.take('mallory', 'stranger', 'g')
  assert.deepEqual(Array.from({ length: 5 }, () => b.take('yara', 'member', 'g')), ['answer', 'answer', 'answer', 'answer', 'notice'])
})

test('many strangers flooding one room together share its budget; another room is not affected', () => {
  const b = new ReplyBudgets(RULES, new ManualClock())
  const verdicts = ['s1', 's2', 's3', 's4'].flatMap(s => [b.take(s, 'stranger', 'g'), b.take(s, 'stranger', 'g')])
  assert.equal(verdicts.filter(v => v === 'answer').length, RULES.strangersPerRoom.burst)
  assert.equal(b.take('s5', 'stranger', 'other'), 'answer')
})
