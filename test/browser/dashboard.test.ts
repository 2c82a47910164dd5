/**
 * The dashboard in a real browser (Debian's chromium through playwright-core), on a demo Storm:
 * a manager, simulated members each with a real stormd over real Hyperswarm links, payments
 * routed through the Storm so there is flow to show. A member opens the login link the chat
 * would send, sees every member and channel in the graph, watches your directives appear and
 * finish live as you approve them the way chat does, and compares Storms — sorting, and seeing
 * a stale and a malformed summary flagged. Screenshots at phone and desktop sizes go to
 * test-artifacts/browser/.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { startDemoStorm, type DemoStorm } from '../../src/demo/demo_storm.ts'
import { startDashboard } from '../../src/app/start_dashboard.ts'
import { dashboardConfig, type Dashboard } from '../../src/dashboard/index.ts'
import { channelGraph } from '../../src/manager/queries/index.ts'
import { launchBrowser, ARTIFACTS, PHONE, DESKTOP, type Browser } from './browser.ts'

const WAIT = { timeout: 60_000 }

/** Other Storms' summaries, served on loopback: a good one, a stale one, a malformed one. */
async function otherStorms (): Promise<{ server: Server, urls: { good: string, stale: string, bad: string } }> {
  const summary = (name: string, at: Date, members: number, earnings: number) => JSON.stringify({
    schema: 'storm-summary/1',
    name,
    generatedAt: at.toISOString(),
    baseFeeMsat: '3038',
    feeRatePpm: 32,
    flowRate: { forwardsPerSecond: 3.3, satsPerDay: 120_000_000, periodDays: 7 },
    members,
    channels: members * 2,
    capacity: members * 4_000_000,
    expectedEarningsPer1MSatsPerDay: earnings,
    ratingDistribution: null
  })
  const server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json')
    if (req.url === '/good.json') res.end(summary('DrBitcoin\'s FunTime Group', new Date(), 3082, 4022))
    else if (req.url === '/stale.json') res.end(summary('Old Storm <b>', new Date(Date.now() - 3 * 86_400_000), 12, 10))
    else if (req.url === '/bad.json') res.end('{"schema":"storm-summary/1","name":"Broken","members":"many"}')
    else { res.statusCode = 404; res.end('{}') }
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return { server, urls: { good: `${base}/good.json`, stale: `${base}/stale.json`, bad: `${base}/bad.json` } }
}

/** Channels between members, counted on the simulated network itself (not by the dashboard). */
function networkChannels (demo: DemoStorm, members: DemoStorm['members']): number {
  const keys = new Set(members.map(m => m.node.publicKey))
  const points = new Set<string>()
  for (const m of members) for (const c of demo.network.channelsOf(m.node.publicKey)) if (keys.has(c.peer)) points.add(c.channelPoint)
  return points.size
}

async function shoot (page: Page, name: string, size: { width: number, height: number }): Promise<void> {
  await page.setViewportSize(size)
  await page.screenshot({ path: join(ARTIFACTS, `${name}-${size === PHONE ? 'phone' : 'desktop'}.png`), fullPage: true })
}

test('a member watches the demo Storm live in a real browser, and compares Storms', { timeout: 600_000 }, async () => {
  const demo = await startDemoStorm()
  const others = await otherStorms()
  let dashboard: Dashboard | null = null
  let browser: Browser | null = null
  try {
    dashboard = (await startDashboard(demo.manager, dashboardConfig({ port: 0, compare: Object.values(others.urls) }), demo.locales))!
    const { manager } = demo.manager
    const alice = demo.members[0]!

    // circular payments x → y → z → x through the Storm: y and z forward, and report flow and fees
    // (the channels hold everything on their openers' sides: pay across each first)
    for (const m of demo.members) {
      for (const c of demo.network.channelsOf(m.node.publicKey)) {
        if (c.initiator && c.localBalance > 400_000) demo.network.pay(m.node.publicKey, c.peer, 300_000)
      }
    }
    const cycle = findCycle(demo, 100_000)
    for (let i = 0; i < 5; i++) {
      const paid = demo.network.payCircular(cycle.x, { amount: 20_000, outgoingChannel: cycle.out, hops: [cycle.y, cycle.z], maxFee: 1000 })
      assert.ok(paid.ok, JSON.stringify(paid))
    }
    await waitUntil(() => (demo.manager.flow.history.series(0, Date.now() + 1).reduce((s, b) => s + b.forwards, 0)) > 0, 'forwards reported')

    browser = await launchBrowser()
    const page = await browser.context.newPage()

    // the public overview: no names, no graph
    await page.goto(dashboard.url + '/?lang=en')
    assert.equal(await page.locator('svg.graph').count(), 0, 'the graph is for members')
    assert.match(await page.locator('#earnings').innerText(), /fees ÷ days ÷ \(capacity ÷ 1,000,000\)/)
    assert.equal(await page.locator('text=@alice').count(), 0, 'no member names in public')
    await shoot(page, 'overview', DESKTOP)

    // the members' view without logging in is refused
    const refused = await page.goto(dashboard.url + '/storm')
    assert.equal(refused?.status(), 401)

    // alice opens the link the chat would send her, once
    const link = manager.dashboardLink(alice.actor)
    assert.ok(link.ok)
    await page.goto(link.value.url)
    await page.click('#login')
    await page.waitForURL(/\/storm$/, WAIT)
    await page.waitForSelector('body[data-live-state="connected"]', WAIT)

    const members = demo.members
    assert.equal(await page.locator('svg.graph g.member').count(), members.length, 'every member in the graph')
    const channels = networkChannels(demo, members)
    assert.ok(channels >= 3, `the demo has channels (${channels})`)
    assert.equal(await page.locator('svg.graph g.channel').count(), channels, 'every channel between members, once')
    assert.equal(await page.locator('table.members tbody tr').count(), members.length)
    assert.match(await page.locator('table.members').innerText(), /@alice[\s\S]*@dave/)
    // minutes of reports are not a daily rate: said so, while the bars show what was measured
    assert.match(await page.locator('#flow').innerText(), /Flow rate: not enough data yet \(under an hour of reports\)\. In the period: [1-9][\d,]* forwards/)
    assert.ok(await page.locator('#flow svg.chart rect.bar').count() > 0, 'flow bars drawn')
    await shoot(page, 'storm', DESKTOP)
    await shoot(page, 'storm', PHONE)
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth')
    assert.ok(overflow <= 0, `nothing wider than a phone (${overflow}px too wide)`)
    await page.setViewportSize(DESKTOP)

    // the same page stays open: no reload from here on
    await page.evaluate('window.stayed = true')

    // you join, pair and add funds; your directives wait for you — and appear live
    assert.ok((await manager.connect(demo.you.actor)).ok)
    await demo.pairYou()
    const added = await manager.addFunds(demo.you.actor, 1_000_000)
    assert.ok(added.ok)
    await demo.settle()
    const ids = added.value.channels.map(c => c.directive)
    for (const id of ids) await page.waitForSelector(`tr[data-directive="${id}"][data-status="awaiting_approval"]`, WAIT)
    await page.waitForFunction(`document.querySelectorAll('svg.graph g.member').length === ${members.length + 1}`, undefined, WAIT)
    await shoot(page, 'storm-pending', DESKTOP)

    // approved the way chat does: through the manager, as the owner
    assert.ok((await manager.decide(demo.you.actor, 'all', 'approve')).ok)
    await demo.settle()
    for (const id of ids) await page.waitForSelector(`tr[data-directive="${id}"]`, { ...WAIT, state: 'detached' })
    const after = networkChannels(demo, [...members, demo.you])
    assert.equal(after, channels + ids.length, 'the simulated network has the new channels')
    await page.waitForFunction(`document.querySelectorAll('svg.graph g.channel').length === ${after}`, undefined, WAIT)
    assert.equal(await page.evaluate<boolean>('window.stayed === true'), true, 'updated live, not reloaded')
    assert.equal(channelGraph({ state: manager.state, observations: manager.observations, rules: manager.rules, now: Date.now() }).channels.length, after)

    // the same link does not open a second session
    const again = await browser.context.newPage()
    await again.goto(link.value.url)
    await again.click('#login')
    assert.match(await again.locator('main').innerText(), /already used/)
    await again.close()

    // the comparison: sortable by each column, stale and malformed summaries flagged
    await page.goto(dashboard.url + '/compare')
    const rows = page.locator('table.compare tbody tr')
    assert.equal(await rows.count(), 4)
    assert.match(await page.locator('tr[data-status="malformed"]').innerText(), /malformed/)
    assert.match(await page.locator('tr[data-status="stale"]').innerText(), /Old Storm <b> stale/, 'untrusted names shown as typed')
    const names = async () => (await rows.locator('td.name').allInnerTexts()).map(t => t.split(/\s+(stale|malformed)/)[0]!.trim())
    await page.click('a[data-sort="members"]')
    await page.waitForURL(/sort=members&dir=desc/, WAIT)
    assert.deepEqual((await names()).slice(0, 3), ['DrBitcoin\'s FunTime Group', 'Old Storm <b>', 'Supercell'])
    await page.click('a[data-sort="members"]')
    await page.waitForURL(/sort=members&dir=asc/, WAIT)
    assert.deepEqual((await names()).slice(0, 3), ['Supercell', 'Old Storm <b>', 'DrBitcoin\'s FunTime Group'])
    assert.equal(await rows.last().getAttribute('data-status'), 'malformed', 'a summary that cannot be read sorts last')
    await page.click('a[data-sort="earnings"]')
    await page.waitForURL(/sort=earnings&dir=desc/, WAIT)
    assert.equal((await names())[0], 'DrBitcoin\'s FunTime Group')
    await shoot(page, 'compare', DESKTOP)
    await shoot(page, 'compare', PHONE)

    // in Spanish
    await page.setViewportSize(PHONE)
    await page.goto(dashboard.url + '/storm?lang=es')
    assert.match(await page.locator('#members h2').innerText(), /Miembros/)
    await shoot(page, 'storm-es', PHONE)
  } finally {
    await browser?.close()
    await dashboard?.close()
    await new Promise(resolve => others.server.close(resolve))
    await demo.close()
  }
})

/** Three members x, y, z whose channels x→y, y→z, z→x each hold `amount` on the sending side. */
function findCycle (demo: DemoStorm, amount: number): { x: string, y: string, z: string, out: string } {
  const keys = demo.members.map(m => m.node.publicKey)
  const can = (from: string, to: string) => demo.network.channelsOf(from).find(c => c.peer === to && c.localBalance >= amount)
  for (const x of keys) for (const y of keys) for (const z of keys) {
    if (new Set([x, y, z]).size < 3) continue
    const out = can(x, y)
    if (out !== undefined && can(y, z) !== undefined && can(z, x) !== undefined) return { x, y, z, out: out.id }
  }
  throw new Error('the demo Storm has no cycle to pay around')
}

async function waitUntil (condition: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, 100))
  }
}
