/** The directive state machine: forward only, every transition recorded. */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { advance, dueForExpiry, isTerminal } from '../../src/manager/directives/lifecycle.ts'
import { DIRECTIVE_STATUSES, type DirectiveRecord, type DirectiveStatus } from '../../src/manager/state/schema.ts'

function record (status: DirectiveStatus, expiresAt = 1000): DirectiveRecord {
  return {
    directive: { id: 'Ab12Cd3', kind: 'do_not_disconnect', params: {}, reason: 'test', createdAt: 0, expiresAt, requiresApproval: false },
    target: 'm1',
    status,
    history: [{ status, at: 0 }]
  }
}

const ALLOWED: Record<DirectiveStatus, DirectiveStatus[]> = {
  created: ['sent', 'cancelled', 'expired'],
  sent: ['awaiting_approval', 'approved', 'rejected', 'executing', 'succeeded', 'failed', 'cancelled', 'expired'],
  awaiting_approval: ['approved', 'rejected', 'executing', 'succeeded', 'failed', 'cancelled', 'expired'],
  approved: ['executing', 'succeeded', 'failed', 'expired'],
  executing: ['succeeded', 'failed'],
  rejected: [],
  succeeded: [],
  failed: [],
  expired: [],
  cancelled: []
}

test('every pair of statuses: allowed moves go forward and are recorded; the rest change nothing', () => {
  for (const from of DIRECTIVE_STATUSES) {
    for (const to of DIRECTIVE_STATUSES) {
      if (from === to) continue
      const r = record(from)
      const result = advance(r, to, 5, 'tester')
      if (ALLOWED[from].includes(to)) {
        assert.ok(result.ok, `${from} → ${to} should be allowed`)
        assert.equal(r.status, to)
        assert.deepEqual(r.history.at(-1), { status: to, at: 5, by: 'tester' })
      } else {
        assert.ok(!result.ok, `${from} → ${to} should be refused`)
        assert.equal(result.error.code, isTerminal(from) ? 'DIRECTIVE_ALREADY_FINISHED' : 'DIRECTIVE_BAD_TRANSITION')
        assert.equal(r.status, from, 'unchanged')
        assert.equal(r.history.length, 1, 'nothing recorded')
      }
    }
  }
})

test('the happy path with approval, end to end', () => {
  const r = record('created')
  for (const s of ['sent', 'awaiting_approval', 'approved', 'executing', 'succeeded'] as const) assert.ok(advance(r, s, 1).ok)
  assert.deepEqual(r.history.map(h => h.status), ['created', 'sent', 'awaiting_approval', 'approved', 'executing', 'succeeded'])
})

test('moving to the same status is a no-op', () => {
  const r = record('sent')
  assert.ok(advance(r, 'sent', 9).ok)
  assert.equal(r.history.length, 1)
})

test('only directives that have not started executing expire', () => {
  const due = dueForExpiry(DIRECTIVE_STATUSES.map(s => record(s, 100)), 100).map(r => r.status)
  assert.deepEqual(due.sort(), ['approved', 'awaiting_approval', 'created', 'sent'])
  assert.deepEqual(dueForExpiry([record('sent', 101)], 100), [])
})
