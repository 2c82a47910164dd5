/**
 * The dashboard's door, over real HTTP: a member asks the manager for a login link (as the chat
 * command will, to send it in a direct message), opens it once, and sees the members' view; the
 * same link again, an expired one, or none at all opens nothing. What anyone may read (the
 * overview, the summary) shows no member names and no node keys, and nothing can be changed.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ManagerFixture, channelReport, outpoint, LOCALES } from '../support/manager_fixture.ts'
import { Dashboard, dashboardConfig } from '../../src/dashboard/index.ts'
import { StormSummarySchema, StormViewSchema } from '../../src/manager/queries/index.ts'

async function setUp () {
  const f = await ManagerFixture.start()
  const alice = await f.joinAndPair('alice')
  const bob = await f.joinAndPair('bob')
  await f.report(alice.agentKey, 0, [{ ...channelReport(outpoint(1), bob.nodeKey, 1_000_000, 700_000), id: '100x1x0' }])
  return { f, alice, bob }
}

async function login (d: Dashboard, url: string): Promise<Response> {
  const token = new URL(url).searchParams.get('token') ?? ''
  return fetch(d.url + '/login', { method: 'POST', body: new URLSearchParams({ token }), redirect: 'manual' })
}

test('no dashboard, or not a member: no link, and the reason says so', async () => {
  const { f } = await setUp()
  const off = f.manager.dashboardLink(f.chatActor('alice'))
  assert.ok(!off.ok && off.error.code === 'DASHBOARD_OFF')
  assert.equal(LOCALES.translator('es').error(off.error), 'El panel no está en marcha en este Storm.')
  const d = await Dashboard.start({ manager: f.manager, locales: LOCALES, clock: f.clock, config: dashboardConfig({ port: 0 }) })
  try {
    const stranger = f.manager.dashboardLink(f.chatActor('mallory'))
    assert.ok(!stranger.ok && stranger.error.code === 'NOT_A_MEMBER')
  } finally {
    await d.close()
  }
  assert.ok(!f.manager.dashboardLink(f.chatActor('alice')).ok, 'a stopped dashboard makes no links')
})

test('a login link opens the members\' view once, and expires', async () => {
  const { f, alice } = await setUp()
  const d = await Dashboard.start({ manager: f.manager, locales: LOCALES, clock: f.clock, config: dashboardConfig({ port: 0, loginTtlMs: 10 * 60_000 }) })
  try {
    assert.equal((await fetch(d.url + '/storm')).status, 401, 'not without logging in')
    assert.equal((await fetch(d.url + '/api/storm.json')).status, 401)

    const link = f.manager.dashboardLink(alice.actor)
    assert.ok(link.ok)
    assert.ok(link.value.url.startsWith(d.url + '/login?token='))
    assert.equal(link.value.expiresAt, f.clock.now() + 10 * 60_000)
    // opening the link only asks: a chat's link-preview robot does not use it up
    const asked = await fetch(link.value.url)
    assert.equal(asked.status, 200)
    assert.match(await asked.text(), /<form method="post" action="\/login">/)

    const r = await login(d, link.value.url)
    assert.equal(r.status, 303)
    assert.equal(r.headers.get('location'), '/storm')
    const cookie = r.headers.get('set-cookie') ?? ''
    assert.match(cookie, /storm_session=[\w-]+;.*HttpOnly/)
    const session = cookie.split(';')[0]!
    const page = await fetch(d.url + '/storm', { headers: { cookie: session } })
    assert.equal(page.status, 200)
    const body = await page.text()
    assert.match(body, /@alice/)
    assert.match(body, /@bob/)
    StormViewSchema.parse(await (await fetch(d.url + '/api/storm.json', { headers: { cookie: session } })).json())

    const again = await login(d, link.value.url)
    assert.equal(again.status, 403)
    assert.match(await again.text(), /This login link was already used\./)

    const late = f.manager.dashboardLink(alice.actor)
    assert.ok(late.ok)
    f.clock.advance(10 * 60_000)
    const expired = await fetch(d.url + '/login', { method: 'POST', body: new URLSearchParams({ token: new URL(late.value.url).searchParams.get('token')! }), headers: { 'accept-language': 'es' }, redirect: 'manual' })
    assert.equal(expired.status, 403)
    assert.match(await expired.text(), /Este enlace de acceso ha vencido/)
    const forged = await login(d, d.url + '/login?token=' + 'A'.repeat(43))
    assert.equal(forged.status, 403)

    await fetch(d.url + '/logout', { headers: { cookie: session }, redirect: 'manual' })
    assert.equal((await fetch(d.url + '/storm', { headers: { cookie: session } })).status, 401, 'logged out')
  } finally {
    await d.close()
  }
})

test('what anyone can read holds no names and no node keys, and nothing can be changed', async () => {
  const { f, alice, bob } = await setUp()
  const d = await Dashboard.start({ manager: f.manager, locales: LOCALES, clock: f.clock, config: dashboardConfig({ port: 0 }) })
  try {
    const overview = await fetch(d.url + '/')
    assert.equal(overview.status, 200)
    assert.match(overview.headers.get('content-security-policy') ?? '', /default-src 'none'; script-src 'self'/)
    const html = await overview.text()
    for (const secret of ['@alice', '@bob', alice.nodeKey, bob.nodeKey, alice.agentKey]) assert.ok(!html.includes(secret), `${secret.slice(0, 12)} not shown`)
    assert.doesNotMatch(html, /https?:\/\/(?!127\.0\.0\.1)[^"]*\.(js|css)/, 'no asset from elsewhere')
    const summary = StormSummarySchema.parse(await (await fetch(d.url + '/summary.json')).json())
    assert.equal(summary.members, 2)
    assert.equal(summary.capacity, 1_000_000)
    const schema = await (await fetch(d.url + '/summary.schema.json')).json() as { $id: string }
    assert.equal(schema.$id, 'storm-summary/1')
    for (const method of ['POST', 'PUT', 'DELETE']) {
      assert.equal((await fetch(d.url + '/storm', { method })).status, 404, `${method} /storm`)
    }
    const spanish = await (await fetch(d.url + '/?lang=es')).text()
    assert.match(spanish, /<html lang="es">/)
    assert.match(spanish, /Comisiones de consenso y votos/)
  } finally {
    await d.close()
  }
})
