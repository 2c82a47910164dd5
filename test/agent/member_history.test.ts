/**
 * `stormcli audit verify`'s judgement, case by case: a history that holds every directive stormd
 * ran, as it ran it, signed by the manager it paired with, verifies; each way a manager could
 * misreport — a directive left out, its parameters changed, its outcome missing, an entry
 * altered or signed by another key, words put in the agent's mouth — is named.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { MemberHistory } from '../../src/agent/member_history.ts'
import { emptyAgentState, type AgentState } from '../../src/agent/agent_state.ts'
import { signHistoryEntry } from '../../src/protocol/history_entry.ts'
import { generateKeyPair, publicKeyHex, quoteEnvelope, seal, type HistoryEntry } from '../../src/protocol/index.ts'

const MANAGER = generateKeyPair()
const AGENT = generateKeyPair()
const MANAGER_KEY = publicKeyHex(MANAGER)
const AGENT_KEY = publicKeyHex(AGENT)
const AT = Date.UTC(2026, 5, 1)
const PARAMS = { peer: '02' + 'b2'.repeat(32), peerMember: 'bob', capacity: 500_000, allocation: 'jX78nVt' }

/** stormd's state after it opened one channel for directive d1. */
function ranOne (): AgentState {
  const state = emptyAgentState()
  state.directives.d1 = {
    directive: { kind: 'open_channel', params: { ...PARAMS }, id: 'd1', reason: 'addfunds', createdAt: AT, expiresAt: AT + 86_400_000, requiresApproval: false },
    status: 'succeeded',
    receivedAt: AT,
    updatedAt: AT + 1000,
    detail: { channelPoint: 'aa'.repeat(32) + ':0' }
  }
  return state
}

/** What an honest manager's history says about it. */
function honest (): HistoryEntry[] {
  const result = seal(AGENT, { type: 'result', body: { directive: 'd1', outcome: 'succeeded', detail: { channelPoint: 'aa'.repeat(32) + ':0' } }, to: MANAGER_KEY, seq: 3, now: AT + 1000 })
  return [
    { index: 4, at: AT, event: 'directive_created', members: ['you', 'bob'], data: { id: 'd1', target: 'you', kind: 'open_channel', params: { ...PARAMS }, reason: 'addfunds' } },
    { index: 9, at: AT + 1000, event: 'directive_result', members: ['you'], data: { directive: 'd1', outcome: 'succeeded' } },
    { index: 10, at: AT + 1000, event: 'agent_message', members: ['you'], data: { member: 'you', type: 'result', envelope: quoteEnvelope(result) } }
  ].map(e => signHistoryEntry(MANAGER, e))
}

async function held (t: { after: (fn: () => Promise<void>) => void }, entries: HistoryEntry[]): Promise<MemberHistory> {
  const dir = await mkdtemp(join(tmpdir(), 'storm-member-history-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  const h = new MemberHistory(join(dir, 'history.jsonl'))
  assert.equal(await h.accept({ from: 0, entries, length: 12 }), true)
  return h
}

test('verify: each way a history can misreport what stormd did is named', async (t) => {
  const cases: Array<{ description: string, entries: () => HistoryEntry[], problems: Array<[string, string]> }> = [
    { description: 'the honest history', entries: honest, problems: [] },
    { description: 'the directive left out', entries: () => honest().slice(1), problems: [['MISSING', 'd1']] },
    {
      description: 'its capacity changed and signed again by the manager',
      entries: () => { const e = honest(); const { sig: _s, ...rest } = e[0]!; e[0] = signHistoryEntry(MANAGER, { ...rest, data: { ...rest.data, params: { ...PARAMS, capacity: 5_000_000 } } }); return e },
      problems: [['CHANGED', 'd1']]
    },
    { description: 'its outcome missing', entries: () => honest().slice(0, 1), problems: [['OUTCOME_MISSING', 'd1']] },
    {
      description: 'an entry altered after signing',
      entries: () => { const e = honest(); e[1] = { ...e[1]!, data: { ...e[1]!.data, outcome: 'failed' } }; return e },
      problems: [['BAD_SIGNATURE', '#9']]
    },
    {
      description: 'entries signed by another key',
      entries: () => honest().map(({ sig: _s, ...rest }) => signHistoryEntry(generateKeyPair(), rest)),
      problems: [['BAD_SIGNATURE', '#4'], ['BAD_SIGNATURE', '#9'], ['BAD_SIGNATURE', '#10'], ['MISSING', 'd1']]
    },
    {
      description: 'a result the agent never signed, quoted as its',
      entries: () => {
        const e = honest()
        const forged = seal(generateKeyPair(), { type: 'result', body: { directive: 'd1', outcome: 'succeeded', detail: {} }, to: MANAGER_KEY, seq: 3, now: AT + 1000 })
        const { sig: _s, ...rest } = e[2]!
        e[2] = signHistoryEntry(MANAGER, { ...rest, data: { ...rest.data, envelope: quoteEnvelope({ ...forged, from: AGENT_KEY }) } })
        return e
      },
      problems: [['BAD_AGENT_SIGNATURE', '#10']]
    }
  ]
  for (const c of cases) {
    await t.test(c.description, async (t) => {
      const h = await held(t, c.entries())
      const check = h.verify(MANAGER_KEY, AGENT_KEY, ranOne())
      assert.equal(check.directives, 1)
      assert.deepEqual(check.problems.map(p => [p.code, p.ref]), c.problems)
    })
  }
})

test('the copy survives a restart, and a batch that does not follow on is refused until asked again', async (t) => {
  const h = await held(t, honest())
  const again = new MemberHistory(h.path)
  await again.load()
  assert.deepEqual(again.entries(), h.entries())
  assert.equal(again.entries().length, 3)
  assert.equal(again.from, 12)
  assert.equal(await again.accept({ from: 20, entries: [], length: 25 }), false, 'a gap from 12 to 20')
  assert.equal(again.from, 12)
  // a torn last line (a crash mid-append) is skipped, the rest kept
  const text = await readFile(h.path, 'utf8')
  await writeFile(h.path, text + '{"index": 13, "at"')
  const torn = new MemberHistory(h.path)
  await torn.load()
  assert.equal(torn.entries().length, 3)
})
