/**
 * Bad input gets a clear, localized answer and changes nothing: not the stored state, not the
 * audit log, not a single message to an agent.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ManagerFixture, LOCALES } from '../support/manager_fixture.ts'
import { parseCommand } from '../../src/bot/parse_command.ts'
import { runCommand, fail, type Reply } from '../../src/bot/run_command.ts'
import { StormError } from '../../src/shared/errors.ts'
import type { Actor } from '../../src/manager/members/find_member.ts'

async function say (f: ManagerFixture, actor: Actor, text: string, lang = 'en'): Promise<Reply> {
  const t = LOCALES.translator(lang, { p: '/' })
  const parsed = parseCommand(text, { prefixes: ['/'], lang })
  if (parsed === null) throw new Error('not a command: ' + text)
  if (!parsed.ok) return fail(t, parsed.error)
  return runCommand({ manager: f.manager, locales: LOCALES, pairingInvite: c => c }, { actor, surface: 'group', lang, prefix: '/' }, parsed.value)
}

function sentence (code: string, params: Record<string, string | number> = {}, lang = 'en'): string {
  return LOCALES.translator(lang, { p: '/' }).error(new StormError(code, params))
}

test('bad input: every case is answered clearly and changes nothing', async (t) => {
  const f = await ManagerFixture.start()
  const alice = await f.joinAndPair('alice')
  await f.joinAndPair('bob')
  const you = await f.joinAndPair('you', 5_000_000)
  const aliceRequest = await f.manager.addFunds(alice.actor, 1_000_000)
  assert.ok(aliceRequest.ok)
  const aliceDirective = aliceRequest.value.channels[0]!.directive
  const stranger = f.chatActor('stranger')

  const cases: Array<{ description: string, actor?: Actor, text: string, lang?: string, code: string, params?: Record<string, string | number> }> = [
    { description: 'a negative amount', text: '/addfunds -5', code: 'AMOUNT_NOT_POSITIVE' },
    { description: 'zero', text: '/addfunds 0', code: 'AMOUNT_NOT_POSITIVE' },
    { description: 'not a number', text: '/addfunds abc', code: 'AMOUNT_NOT_A_NUMBER', params: { value: 'abc' } },
    { description: 'a fraction of a sat', text: '/addfunds 1.5', code: 'AMOUNT_NOT_WHOLE', params: { value: '1.5' } },
    { description: 'more sats than exist', text: '/addfunds 99999999999999999999', code: 'AMOUNT_TOO_LARGE' },
    { description: 'more than the wallet holds', text: '/addfunds 6000000', code: 'INSUFFICIENT_FUNDS', params: { amount: 6_000_000, available: 4_990_000 } },
    { description: 'below the smallest channel', text: '/addfunds 50000', code: 'AMOUNT_BELOW_MIN_CHANNEL', params: { min: 100_000 } },
    { description: 'a missing amount', text: '/addfunds', code: 'MISSING_ARGUMENT', params: { command: 'addfunds' } },
    { description: 'too many words', text: '/addfunds 1 2', code: 'TOO_MANY_ARGUMENTS', params: { command: 'addfunds' } },
    { description: 'an unknown command', text: '/frobnicate', code: 'UNKNOWN_COMMAND', params: { command: 'frobnicate' } },
    { description: 'cancelling another member\'s id', text: `/cancel ${aliceRequest.value.allocation.id}`, code: 'NOT_YOUR_REQUEST', params: { id: aliceRequest.value.allocation.id } },
    { description: 'cancelling an id that does not exist', text: '/cancel jX78nVt', code: 'UNKNOWN_REQUEST', params: { id: 'jX78nVt' } },
    { description: 'an id with bad characters', text: '/cancel jX7$nVt', code: 'BAD_ID', params: { value: 'jX7$nVt' } },
    { description: 'approving another member\'s directive', text: `/approve ${aliceDirective}`, code: 'NOT_YOUR_DIRECTIVE', params: { id: aliceDirective } },
    { description: 'approving a directive that does not exist', text: '/approve Zz99Zz9', code: 'UNKNOWN_DIRECTIVE', params: { id: 'Zz99Zz9' } },
    { description: 'approving when nothing waits', text: '/approve all', code: 'NOTHING_TO_APPROVE' },
    { description: 'removing funds never added', text: '/removefunds 100000', code: 'NOTHING_ALLOCATED' },
    { description: 'a non-admin banning', text: '/ban @alice', code: 'NOT_ADMIN' },
    { description: 'a non-admin admitting', text: '/admit @stranger', code: 'NOT_ADMIN' },
    { description: 'a stranger adding funds', actor: stranger, text: '/addfunds 100000', code: 'NOT_A_MEMBER', params: { group: 'Supercell' } },
    { description: 'a stranger cancelling', actor: stranger, text: `/cancel ${aliceRequest.value.allocation.id}`, code: 'NOT_A_MEMBER', params: { group: 'Supercell' } },
    { description: 'joining twice', text: '/connect', code: 'ALREADY_MEMBER', params: { group: 'Supercell' } },
    { description: 'the wrong group', actor: stranger, text: '/connect Hurricane', code: 'WRONG_GROUP', params: { group: 'Supercell', asked: 'Hurricane' } },
    { description: 'an unknown language', text: '/lang xx', code: 'UNKNOWN_LANGUAGE', params: { lang: 'xx', available: 'en, es' } },
    { description: 'a bad base fee', text: '/vote fee abc 0.1', code: 'BAD_BASE_FEE', params: { value: 'abc' } },
    { description: 'a bad fee rate', text: '/vote fee 1000 2.5', code: 'BAD_FEE_RATE', params: { value: '2.5' } },
    { description: 'a fee rate that could be ppm or a fraction', text: '/vote fee 1000 100', code: 'FEE_RATE_AMBIGUOUS', params: { value: '100', ppm: '100ppm', fraction: '0.000100' } },
    { description: 'a fee vote above the Storm\'s limit', text: '/vote fee 1000 60000ppm', code: 'FEE_RATE_ABOVE_LIMIT', params: { max: 50_000 } },
    { description: 'a vote that is neither fee nor yes/no', text: '/vote maybe abc', code: 'BAD_VOTE' },
    { description: 'a ban vote on a vote that does not exist', text: '/vote yes Zz99Zz9', code: 'UNKNOWN_PROPOSAL', params: { id: 'Zz99Zz9' } },
    { description: 'a stranger voting', actor: stranger, text: '/vote fee 1000 100ppm', code: 'NOT_A_MEMBER', params: { group: 'Supercell' } },
    { description: 'an admin banning without a reason', actor: { ...stranger, isAdmin: true }, text: '/ban @alice', code: 'BAN_REASON_REQUIRED' },
    { description: 'unbanning a member who is not banned', actor: { ...stranger, isAdmin: true }, text: '/unban @alice', code: 'NOT_BANNED', params: { name: '@alice' } },
    { description: 'a bad duration', text: '/downtime 5x', code: 'BAD_DURATION', params: { value: '5x' } },
    { description: 'help for a command that does not exist', text: '/help frobnicate', code: 'UNKNOWN_COMMAND', params: { command: 'frobnicate' } },
    { description: 'in Spanish', text: '/addfunds -5', lang: 'es', code: 'AMOUNT_NOT_POSITIVE' },
    { description: 'a decimal comma in English (once planned as 3,000,000 sats)', text: '/addfunds 0,3m', code: 'AMOUNT_AMBIGUOUS', params: { value: '0,3m' } },
    { description: 'a decimal comma in English without a suffix', text: '/removefunds 1,5', code: 'AMOUNT_AMBIGUOUS', params: { value: '1,5' } },
    { description: 'an English decimal point in Spanish', text: '/addfunds 1.5m', lang: 'es', code: 'AMOUNT_AMBIGUOUS', params: { value: '1.5m' } }
  ]
  for (const c of cases) {
    await t.test(c.description, async () => {
      const state = f.stored()
      const audited = f.audit.entries.length
      const sent = f.link.sent.length
      const reply = await say(f, c.actor ?? you.actor, c.text, c.lang)
      assert.equal(reply.ok, false)
      assert.equal(reply.text, sentence(c.code, c.params, c.lang))
      assert.doesNotMatch(reply.text, /\{\$|error-/, 'every placeholder filled, no raw key')
      assert.deepEqual(f.stored(), state, 'the stored state is unchanged')
      assert.equal(f.audit.entries.length, audited, 'nothing audited')
      assert.equal(f.link.sent.length, sent, 'nothing sent to any agent')
    })
  }
})

test('a Spanish speaker adds funds the way Spanish replies print amounts', async () => {
  const f = await ManagerFixture.start()
  await f.joinAndPair('alice')
  await f.joinAndPair('bob')
  const you = await f.joinAndPair('you', 5_000_000)
  const reply = await say(f, you.actor, '/addfunds 1.500.000', 'es')
  assert.equal(reply.ok, true, reply.text)
  assert.match(reply.text, /añadir 1\.500\.000 sats/)
  const carol = await f.joinAndPair('carol', 5_000_000)
  const again = await say(f, carol.actor, '/addfunds 0,3m', 'es')
  assert.match(again.text, /añadir 300\.000 sats/)
})

test('downtime: too long, too often, nothing to cancel or extend, bad words — each answered in the asker\'s language; nothing changes', async () => {
  const f = await ManagerFixture.start({ downtime: { maxDurationMs: 2 * 3_600_000, maxPerPeriod: 1, periodMs: 7 * 86_400_000, maxConcurrent: 1, prepareTimeoutMs: 0, lateGraceMs: 0 } })
  const you = await f.joinAndPair('you')
  const bea = await f.joinAndPair('bea')
  const stranger = f.chatActor('stranger')
  const unchanged = async (actor: Actor, text: string, lang: string, code: string, params: Record<string, string | number> = {}) => {
    const state = f.stored()
    const sent = f.link.sent.length
    const audit = f.audit.entries.length
    const reply = await say(f, actor, text, lang)
    assert.equal(reply.ok, false, text)
    assert.equal(reply.text, sentence(code, params, lang), text)
    assert.deepEqual(f.stored(), state, `${text}: the state is unchanged`)
    assert.equal(f.link.sent.length, sent, `${text}: nothing sent to an agent`)
    assert.equal(f.audit.entries.length, audit, `${text}: nothing in the history`)
  }
  await unchanged(you.actor, '/downtime 3h', 'en', 'DOWNTIME_TOO_LONG', { max: '2h' })
  await unchanged(you.actor, '/downtime 3h', 'es', 'DOWNTIME_TOO_LONG', { max: '2h' })
  await unchanged(you.actor, '/downtime cancel', 'es', 'NO_DOWNTIME')
  await unchanged(you.actor, '/downtime extend 1h', 'en', 'NO_DOWNTIME')
  await unchanged(you.actor, '/downtime later', 'es', 'BAD_DURATION', { value: 'later' })
  await unchanged(you.actor, '/downtime extend', 'en', 'BAD_DOWNTIME')
  await unchanged(stranger, '/downtime 1h', 'en', 'NOT_A_MEMBER', { group: 'Supercell' })
  // one window a week: the first is granted (nothing to prepare around), ended early; a second is refused
  const first = await say(f, you.actor, '/downtime 1h')
  assert.ok(first.ok, first.text)
  assert.match(first.text, /it is safe to disconnect now/)
  await unchanged(bea.actor, '/downtime 1h', 'es', 'DOWNTIME_BUSY', { count: 1 })
  await unchanged(you.actor, '/downtime 1h', 'en', 'DOWNTIME_UNDERWAY', { id: Object.keys(f.manager.state.downtimes)[0]! })
  await unchanged(you.actor, '/downtime extend 2h', 'en', 'DOWNTIME_TOO_LONG', { max: '2h' })
  assert.ok((await say(f, you.actor, '/downtime cancel')).ok)
  const next = new Date(f.clock.now() + 7 * 86_400_000).toISOString().slice(0, 16).replace('T', ' ')
  await unchanged(you.actor, '/downtime 1h', 'es', 'DOWNTIME_TOO_OFTEN', { count: 1, period: '7d', next })
})
