/**
 * Whole-log completeness, as a member checks it: every entry of the manager's history names the
 * previous entry concerning each member (signed), and each sync ends with the manager's signed
 * head of the member's part (its newest entry, the Hypercore's length and tree hash). A member
 * whose copy is whole verifies; one entry left out in the middle breaks the chain (GAP); the
 * newest one withheld shows against the head (INCOMPLETE); a head not signed by the manager, or
 * about another member, is named (BAD_HEAD). Real Hypercore history, real files.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { HypercoreHistory } from '../../src/manager/history.ts'
import { MemberHistory } from '../../src/agent/member_history.ts'
import { emptyAgentState, type AgentState } from '../../src/agent/agent_state.ts'
import { generateKeyPair, publicKeyHex, type HistoryEntry, type HistoryHead } from '../../src/protocol/index.ts'
import { signHistoryHead } from '../../src/protocol/history_entry.ts'

const MANAGER = generateKeyPair()
const AGENT = generateKeyPair()
const MANAGER_KEY = publicKeyHex(MANAGER)
const AT = Date.UTC(2026, 5, 1)

function paired (): AgentState {
  return { ...emptyAgentState(), pairing: { managerKey: MANAGER_KEY, memberId: 'you', group: 'Supercell', node: '02' + 'b2'.repeat(32), pairedAt: AT } }
}

interface Storm { entries: HistoryEntry[], head: HistoryHead, history: HypercoreHistory }

/** A history of 7 entries, 4 of them about you (one of those also about bob), appended in 3 batches. */
async function storm (t: { after: (fn: () => Promise<void>) => void }): Promise<Storm> {
  const dir = await mkdtemp(join(tmpdir(), 'storm-complete-'))
  const history = new HypercoreHistory({ dir: join(dir, 'history'), keyPair: MANAGER })
  t.after(async () => { await history.close(); await rm(dir, { recursive: true, force: true }) })
  await history.open()
  const e = (event: string, members: string[]): { at: number, event: string, members: string[], data: Record<string, unknown> } => ({ at: AT, event, members, data: { n: event } })
  await history.append([e('joined', ['you']), e('joined', ['bob'])])
  await history.append([e('vote', ['bob']), e('directive_created', ['you', 'bob']), e('directive_sent', ['you'])])
  await history.append([e('member_left', ['carol']), e('directive_result', ['you'])])
  return { entries: await history.entriesFor('you'), head: await history.head('you'), history }
}

async function copy (t: { after: (fn: () => Promise<void>) => void }, entries: HistoryEntry[], head: HistoryHead): Promise<MemberHistory> {
  const dir = await mkdtemp(join(tmpdir(), 'storm-copy-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  const h = new MemberHistory(join(dir, 'history.jsonl'))
  assert.equal(await h.accept({ from: 0, entries, length: head.length, head }), true)
  // what stormd finds after a restart is what it checks
  const again = new MemberHistory(h.path)
  await again.load()
  return again
}

const problems = (h: MemberHistory): Array<[string, string]> => h.verify(MANAGER_KEY, publicKeyHex(AGENT), paired()).problems.map(p => [p.code, p.ref])

test('each entry names the previous one about each member it concerns, within a batch and across batches', async (t) => {
  const { entries, head } = await storm(t)
  assert.deepEqual(entries.map(e => [e.index, e.prev]), [
    [0, { you: -1 }],
    [3, { you: 0, bob: 2 }],
    [4, { you: 3 }],
    [6, { you: 4 }]
  ])
  assert.equal(head.member, 'you')
  assert.equal(head.length, 7)
  assert.equal(head.last, 6)
  assert.match(head.treeHash, /^[0-9a-f]{64}$/)
})

test('a whole copy verifies, and says which length the manager vouched for', async (t) => {
  const { entries, head } = await storm(t)
  const h = await copy(t, entries, head)
  const check = h.verify(MANAGER_KEY, publicKeyHex(AGENT), paired())
  assert.deepEqual(check.problems, [])
  assert.equal(check.length, 7)
})

test('an entry left out in the middle breaks the signed chain', async (t) => {
  const { entries, head } = await storm(t)
  assert.deepEqual(problems(await copy(t, entries.filter(e => e.index !== 3), head)), [['GAP', '#3…#4']])
})

test('the newest entry withheld shows against the signed head', async (t) => {
  const { entries, head } = await storm(t)
  assert.deepEqual(problems(await copy(t, entries.slice(0, -1), head)), [['INCOMPLETE', '#6']])
})

test('a head that the manager did not sign, or that is about another member, is named', async (t) => {
  const { entries, head, history } = await storm(t)
  const forged = signHistoryHead(generateKeyPair(), { member: 'you', length: 7, last: 4, treeHash: head.treeHash })
  assert.deepEqual(problems(await copy(t, entries.slice(0, -1), forged)), [['BAD_HEAD', 'length 7']])
  assert.deepEqual(problems(await copy(t, entries, await history.head('bob'))), [['BAD_HEAD', 'length 7']])
  // a head changed after signing
  assert.deepEqual(problems(await copy(t, entries.slice(0, -1), { ...head, last: 4 })), [['BAD_HEAD', 'length 7']])
})

test('a head at an earlier length vouches for what was there then: later entries do not count against it', async (t) => {
  const { entries, history } = await storm(t)
  const earlier = await history.head('you', 4)
  assert.equal(earlier.last, 3)
  assert.notEqual(earlier.treeHash, (await history.head('you')).treeHash, 'another length, another tree')
  assert.deepEqual(problems(await copy(t, entries, earlier)), [])
})
