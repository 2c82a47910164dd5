/**
 * The comparison fetches other Storms' summaries itself, from URLs an admin configured, and
 * trusts none of them: a slow server, a huge body, an error page, garbage and an old summary
 * each end as a flag on the page, never as a hang or a crash. Sorting keeps the unusable last.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { fetchSummary, sortCompared, type ComparedStorm } from '../../src/dashboard/index.ts'
import type { StormSummary } from '../../src/manager/queries/index.ts'

const NOW = Date.UTC(2026, 5, 1)

function summary (name: string, o: Partial<StormSummary> = {}): StormSummary {
  return {
    schema: 'storm-summary/1',
    name,
    generatedAt: new Date(NOW - 60_000).toISOString(),
    baseFeeMsat: '1000',
    feeRatePpm: 100,
    flowRate: { forwardsPerSecond: 1, satsPerDay: 1000, periodDays: 7 },
    members: 3,
    channels: 3,
    capacity: 3_000_000,
    expectedEarningsPer1MSatsPerDay: 10,
    ratingDistribution: null,
    ...o
  }
}

test('each way a summary can fail is a status with a reason', async () => {
  const sockets = new Set<Socket>()
  const server = createServer((req, res) => {
    switch (req.url) {
      case '/ok': res.end(JSON.stringify(summary('Supercell'))); break
      case '/old': res.end(JSON.stringify(summary('Old', { generatedAt: new Date(NOW - 2 * 3_600_000).toISOString() }))); break
      case '/garbage': res.end('<html>not json</html>'); break
      case '/wrong': res.end(JSON.stringify({ ...summary('Wrong'), members: -1 })); break
      case '/extra': res.end(JSON.stringify({ ...summary('Extra'), secret: 'x' })); break
      case '/huge': res.write('{"pad":"'); res.end('x'.repeat(200_000) + '"}'); break
      case '/error': res.statusCode = 500; res.end('oops'); break
      case '/slow': break // never answers
      default: res.statusCode = 404; res.end()
    }
  })
  server.on('connection', s => { sockets.add(s); s.on('close', () => sockets.delete(s)) })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  // a loaded machine may take a while to answer: only /slow is given a short timeout, to see it fire
  const o = { timeoutMs: 10_000, maxBytes: 64 * 1024, staleAfterMs: 3_600_000, now: NOW }
  try {
    const cases: Array<{ path: string, status: ComparedStorm['status'], detail?: RegExp }> = [
      { path: '/ok', status: 'ok' },
      { path: '/old', status: 'stale' },
      { path: '/garbage', status: 'malformed', detail: /not JSON/ },
      { path: '/wrong', status: 'malformed', detail: /^members:/ },
      { path: '/extra', status: 'malformed', detail: /secret|Unrecognized/ },
      { path: '/huge', status: 'too_large' },
      { path: '/error', status: 'unreachable', detail: /HTTP 500/ },
      { path: '/slow', status: 'unreachable', detail: /timeout/ },
      { path: '/missing', status: 'unreachable', detail: /HTTP 404/ }
    ]
    for (const c of cases) {
      const r = await fetchSummary(base + c.path, c.path === '/slow' ? { ...o, timeoutMs: 300 } : o)
      assert.equal(r.status, c.status, `${c.path}: ${r.detail}`)
      if (c.detail !== undefined) assert.match(r.detail ?? '', c.detail, c.path)
      assert.equal(r.summary !== undefined, c.status === 'ok' || c.status === 'stale', `${c.path}: a summary only when it can be shown`)
    }
  } finally {
    for (const s of sockets) s.destroy()
    await new Promise(resolve => server.close(resolve))
  }
})

test('sorting by a column keeps Storms without a summary, and unknown figures, last either way', () => {
  const row = (url: string, s?: StormSummary): ComparedStorm => s === undefined
    ? { url, status: 'malformed', fetchedAt: NOW }
    : { url, status: 'ok', summary: s, fetchedAt: NOW }
  const rows = [
    row('http://a/', summary('Alpha', { expectedEarningsPer1MSatsPerDay: 5, members: 10 })),
    row('http://b/'),
    row('http://c/', summary('Charlie', { expectedEarningsPer1MSatsPerDay: null, members: 2 })),
    row('http://d/', summary('Delta', { expectedEarningsPer1MSatsPerDay: 40, members: 5 }))
  ]
  const names = (r: ComparedStorm[]) => r.map(x => x.summary?.name ?? x.url)
  assert.deepEqual(names(sortCompared(rows, 'earnings', 'desc')), ['Delta', 'Alpha', 'Charlie', 'http://b/'])
  assert.deepEqual(names(sortCompared(rows, 'earnings', 'asc')), ['Alpha', 'Delta', 'Charlie', 'http://b/'])
  assert.deepEqual(names(sortCompared(rows, 'members', 'asc')), ['Charlie', 'Delta', 'Alpha', 'http://b/'])
  assert.deepEqual(names(sortCompared(rows, 'name', 'desc')), ['Delta', 'Charlie', 'Alpha', 'http://b/'])
})
