/**
 * Where people answer by reacting (Matrix), ✅ and ❌ on an announcement stand for its buttons —
 * only when it is clear which one.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { reactionAction } from '../../src/bot/core/index.ts'

const one = [[{ label: 'Approve', action: 'approve:Ab12Cd3' }, { label: 'Reject', action: 'reject:Ab12Cd3' }]]
const batch = [...one, [{ label: 'Approve Zz9', action: 'approve:Zz9' }, { label: 'Reject Zz9', action: 'reject:Zz9' }]]
const request = [[{ label: 'Admit', action: 'admit:m1' }, { label: 'Decline', action: 'decline:m1' }]]

test('✅ and ❌ on one directive or one request are its buttons', () => {
  assert.equal(reactionAction(one, '✅'), 'approve:Ab12Cd3')
  assert.equal(reactionAction(one, '❌'), 'reject:Ab12Cd3')
  assert.equal(reactionAction(request, '👍'), 'admit:m1')
  assert.equal(reactionAction(request, '👎'), 'decline:m1')
})

test('a batch of several directives, other emoji, or no buttons: no action', () => {
  assert.equal(reactionAction(batch, '✅'), null)
  assert.equal(reactionAction(one, '🎉'), null)
  assert.equal(reactionAction([], '✅'), null)
})
