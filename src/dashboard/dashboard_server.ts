/**
 * The dashboard the manager serves: read-only pages built from the read model, live through
 * server-sent events driven by the manager's domain events (and agents' reports), in the reader's
 * language, with every asset served from here (no CDN). Hono on `@hono/node-server`.
 *
 * Who sees what:
 * - anyone who can reach it (loopback by default): the overview (figures, consensus fees and the
 *   vote distribution, flow, expected earnings), the comparison, the public summary if published;
 * - a member, after opening a one-time login link (`loginLink`, sent by the chat in a direct
 *   message): the members with stake, rating and status, the channel graph, pending directives
 *   and votes. No node keys, channel points or secrets are shown anywhere.
 */
import { readFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { Hono, type Context } from 'hono'
import { getCookie, setCookie, deleteCookie } from 'hono/cookie'
import { streamSSE } from 'hono/streaming'
import { createAdaptorServer, type ServerType } from '@hono/node-server'
import type { StormManager } from '../manager/storm_manager.ts'
import type { Member } from '../manager/state/schema.ts'
import type { FlowHistory } from '../manager/flow_history.ts'
import type { Clock } from '../shared/clock.ts'
import type { Locales } from '../shared/i18n.ts'
import { StormError } from '../shared/errors.ts'
import { stormView, publicSummary, summaryJsonSchema, type ReadSource, type StormView, type StormSummary } from '../manager/queries/index.ts'
import { DashboardLogins } from './logins.ts'
import { fetchSummary, sortCompared, COMPARE_COLUMNS, type ComparedStorm, type CompareColumn } from './compare.ts'
import { html, type Html } from './html.ts'
import { formatter, type Fmt } from './pages/format.ts'
import { layout, type LayoutOptions } from './pages/layout.ts'
import { overviewMain, stormMain, compareMain, messageMain } from './pages/pages.ts'
import type { DashboardConfig } from './dashboard_config.ts'
import { renderStatsPng } from './stats_png.ts'

export interface DashboardOptions {
  manager: StormManager
  locales: Locales
  clock: Clock
  config: DashboardConfig
  /** The flow history (from the runtime's flow recorder); flow is unknown without it. */
  flow?: () => FlowHistory | undefined
  /** For the comparison's fetches (tests may pass their own). */
  fetch?: typeof globalThis.fetch
  log?: (event: string, data: Record<string, unknown>) => void
}

const SESSION_COOKIE = 'storm_session'
const LANG_COOKIE = 'storm_lang'
const ASSETS: Record<string, { file: string, type: string }> = {
  'dashboard.css': { file: 'dashboard.css', type: 'text/css; charset=utf-8' },
  'dashboard.js': { file: 'dashboard.js', type: 'text/javascript; charset=utf-8' }
}
/** Live pages (event streams) served at once, at most. */
const MAX_LIVE_PAGES = 200
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

export class Dashboard {
  readonly #o: DashboardOptions
  readonly logins: DashboardLogins
  readonly #app = new Hono()
  readonly #assets = new Map<string, { body: string, type: string }>()
  readonly #subscribers = new Set<(kind: string) => void>()
  #server: ServerType | null = null
  #url = ''
  #pending: ReturnType<typeof setTimeout> | null = null
  #pendingKinds = new Set<string>()
  #unsubscribe: Array<() => void> = []
  #compared: { at: number, rows: ComparedStorm[] } | null = null

  constructor (o: DashboardOptions) {
    this.#o = o
    this.logins = new DashboardLogins({ clock: o.clock, linkTtlMs: o.config.loginTtlMs, sessionTtlMs: o.config.sessionTtlMs })
    for (const [name, a] of Object.entries(ASSETS)) {
      this.#assets.set(name, { body: readFileSync(new URL(`./assets/${a.file}`, import.meta.url), 'utf8'), type: a.type })
    }
    this.#routes()
  }

  /** Starts listening on the configured address. Errors: `DASHBOARD_LISTEN_FAILED` {address, reason}. */
  static async start (o: DashboardOptions): Promise<Dashboard> {
    const d = new Dashboard(o)
    await d.#listen()
    return d
  }

  /** The address it serves, e.g. `http://127.0.0.1:7420` (or the configured public URL). */
  get url (): string {
    return this.#url
  }

  /** A one-time login link for a member (the chat sends it in a direct message). */
  loginLink (member: Member): { url: string, expiresAt: number } {
    const { token, expiresAt } = this.logins.issue(member.id)
    return { url: `${this.#url}/login?token=${token}`, expiresAt }
  }

  async close (): Promise<void> {
    for (const u of this.#unsubscribe) u()
    this.#unsubscribe = []
    if (this.#pending !== null) clearTimeout(this.#pending)
    this.#o.manager.setDashboardLinks(null)
    const server = this.#server
    this.#server = null
    if (server === null) return
    await new Promise<void>((resolve) => {
      server.close(() => resolve())
      // live pages keep their event streams open: end them so close() finishes
      ;(server as { closeAllConnections?: () => void }).closeAllConnections?.()
    })
  }

  async #listen (): Promise<void> {
    const { host, port, publicUrl } = this.#o.config
    const server = createAdaptorServer({ fetch: this.#app.fetch })
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e: Error) => reject(new StormError('DASHBOARD_LISTEN_FAILED', { address: `${host}:${port}`, reason: e.message }, { cause: e })))
      server.listen(port, host, () => resolve())
    })
    this.#server = server
    const address = server.address() as AddressInfo
    const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address
    this.#url = (publicUrl ?? `http://${shownHost}:${address.port}`).replace(/\/+$/, '')
    this.#o.manager.setDashboardLinks((m) => this.loginLink(m))
    const onEvent = (e: { type: string }): void => this.#changed(e.type)
    this.#o.manager.on('event', onEvent)
    this.#unsubscribe.push(() => { this.#o.manager.off('event', onEvent) })
    this.#unsubscribe.push(this.#o.manager.observations.onReport(() => this.#changed('report')))
  }

  /** Coalesces changes into one `changed` message per moment, so a burst costs one refresh. */
  #changed (kind: string): void {
    this.#pendingKinds.add(kind)
    if (this.#pending !== null) return
    this.#pending = setTimeout(() => {
      this.#pending = null
      const kinds = [...this.#pendingKinds].join(' ')
      this.#pendingKinds.clear()
      for (const s of this.#subscribers) s(kinds)
    }, 150)
    this.#pending.unref?.()
  }

  #source (): ReadSource {
    const m = this.#o.manager
    const flow = this.#o.flow?.()
    return { state: m.state, observations: m.observations, rules: m.rules, now: this.#o.clock.now(), ...(flow === undefined ? {} : { flow }) }
  }

  #view (): StormView {
    return stormView(this.#source(), { flowPeriodMs: this.#o.config.flowPeriodMs })
  }

  #summary (view = this.#view()): StormSummary {
    return publicSummary(view, this.#o.config.flowPeriodMs)
  }

  #fmt (c: Context): Fmt {
    const asked = c.req.query('lang')
    const locales = this.#o.locales
    let tag = getCookie(c, LANG_COOKIE)
    if (asked !== undefined && locales.has(locales.negotiate(asked))) {
      tag = locales.negotiate(asked)
      setCookie(c, LANG_COOKIE, tag, { path: '/', maxAge: 365 * 86_400, sameSite: 'Lax', httpOnly: true })
    }
    tag ??= (c.req.header('accept-language') ?? '').split(',')[0]?.split(';')[0]?.trim() || undefined
    return formatter(locales.translator(tag))
  }

  #member (c: Context): Member | undefined {
    const id = this.logins.member(getCookie(c, SESSION_COOKIE))
    if (id === undefined) return undefined
    const m = this.#o.manager.state.members[id]
    return m !== undefined && (m.status === 'active' || m.status === 'leaving') ? m : undefined
  }

  /** The whole page, or only its `<main>` for a live refresh (`?fragment=1`). */
  #page (c: Context, f: Fmt, o: Omit<LayoutOptions, 'group' | 'path' | 'languages'>, main: Html, status: 200 | 401 | 403 | 404 = 200): Response {
    if (c.req.query('fragment') === '1') return c.html(main.value, status)
    const url = new URL(c.req.url)
    url.searchParams.delete('lang')
    return c.html(layout(f, { ...o, group: this.#o.manager.state.group, path: url.pathname + url.search, languages: this.#o.locales.languages }, main).value, status)
  }

  #routes (): void {
    const app = this.#app
    app.use('*', async (c, next) => {
      await next()
      c.header('Content-Security-Policy', CSP)
      c.header('X-Content-Type-Options', 'nosniff')
      c.header('Referrer-Policy', 'no-referrer')
      c.header('X-Frame-Options', 'DENY')
      if (c.res.headers.get('cache-control') === null) c.header('Cache-Control', 'no-store')
    })
    app.onError((e, c) => {
      this.#o.log?.('dashboard_error', { path: c.req.path, error: String(e) })
      const f = formatter(this.#o.locales.translator(undefined))
      return c.html(messageMain(f.t('dash-error-title'), f.t('dash-error-text')).value, 500)
    })

    app.get('/', (c) => {
      const f = this.#fmt(c)
      const member = this.#member(c)
      const main = overviewMain(f, this.#view(), { summaryUrl: this.#o.config.publishSummary ? '/summary.json' : null, loggedIn: member !== undefined })
      return this.#page(c, f, { title: f.t('dash-nav-overview'), page: 'overview', live: true, ...(member === undefined ? {} : { member: member.chat.name }) }, main)
    })

    app.get('/storm', (c) => {
      const f = this.#fmt(c)
      const member = this.#member(c)
      if (member === undefined) {
        return this.#page(c, f, { title: f.t('dash-nav-storm'), page: 'storm', live: false }, messageMain(f.t('dash-login-needed-title'), f.t('dash-login-hint')), 401)
      }
      return this.#page(c, f, { title: f.t('dash-nav-storm'), page: 'storm', live: true, member: member.chat.name }, stormMain(f, this.#view(), member.id))
    })

    app.get('/stats.png', (c) => {
      if (this.#member(c) === undefined) return c.json({ error: 'LOGIN_REQUIRED' }, 401)
      const f = this.#fmt(c)
      c.header('Content-Type', 'image/png')
      return c.body(new Uint8Array(renderStatsPng(this.#view(), this.#o.locales.translator(f.lang))))
    })

    app.get('/api/storm.json', (c) => {
      if (this.#member(c) === undefined) return c.json({ error: 'LOGIN_REQUIRED' }, 401)
      return c.json(this.#view())
    })

    // a link in a chat may be fetched by a preview robot: opening it asks, the button logs in
    app.get('/login', (c) => {
      const f = this.#fmt(c)
      const token = (c.req.query('token') ?? '').slice(0, 100)
      const main = html`<section class="message"><h2>${f.t('dash-login-title', { group: this.#o.manager.state.group })}</h2>
<form method="post" action="/login"><input type="hidden" name="token" value="${token}"><button type="submit" id="login">${f.t('dash-login-button')}</button></form></section>`
      return this.#page(c, f, { title: f.t('dash-login-button'), page: 'message', live: false }, main)
    })

    app.post('/login', async (c) => {
      const f = this.#fmt(c)
      const form = await c.req.parseBody().catch(() => ({} as Record<string, unknown>))
      const token = typeof form.token === 'string' ? form.token.slice(0, 100) : ''
      const r = this.logins.redeem(token)
      if (!r.ok) {
        const tr = this.#o.locales.translator(f.lang)
        return this.#page(c, f, { title: f.t('dash-login-refused'), page: 'message', live: false }, messageMain(f.t('dash-login-refused'), tr.error(r.error)), 403)
      }
      const secure = (this.#o.config.publicUrl ?? '').startsWith('https:')
      setCookie(c, SESSION_COOKIE, r.value.session, { path: '/', httpOnly: true, sameSite: 'Lax', secure, maxAge: Math.floor(this.#o.config.sessionTtlMs / 1000) })
      return c.redirect('/storm', 303)
    })

    app.get('/logout', (c) => {
      this.logins.end(getCookie(c, SESSION_COOKIE))
      deleteCookie(c, SESSION_COOKIE, { path: '/' })
      return c.redirect('/', 303)
    })

    app.get('/compare', async (c) => {
      const f = this.#fmt(c)
      const column = (COMPARE_COLUMNS as readonly string[]).includes(c.req.query('sort') ?? '') ? c.req.query('sort') as CompareColumn : 'earnings'
      const dir = c.req.query('dir') === 'asc' ? 'asc' : c.req.query('dir') === 'desc' ? 'desc' : column === 'name' ? 'asc' : 'desc'
      const rows = sortCompared(await this.#comparedStorms(), column, dir)
      const member = this.#member(c)
      return this.#page(c, f, { title: f.t('dash-compare'), page: 'compare', live: false, ...(member === undefined ? {} : { member: member.chat.name }) }, compareMain(f, rows, { column, dir }))
    })

    app.get('/summary.json', (c) => {
      if (!this.#o.config.publishSummary) return c.json({ error: 'NOT_PUBLISHED' }, 404)
      c.header('Access-Control-Allow-Origin', '*')
      return c.json(this.#summary())
    })

    app.get('/summary.schema.json', (c) => {
      c.header('Access-Control-Allow-Origin', '*')
      return c.json(summaryJsonSchema())
    })

    app.get('/events', (c) => {
      // each open page holds a stream: a bound, so open pages cannot exhaust the manager
      if (this.#subscribers.size >= MAX_LIVE_PAGES) return c.text('too many live pages', 503)
      return this.#events(c)
    })

    app.get('/assets/:name', (c) => {
      const a = this.#assets.get(c.req.param('name'))
      if (a === undefined) return c.notFound()
      c.header('Content-Type', a.type)
      c.header('Cache-Control', 'no-cache')
      return c.body(a.body)
    })

    app.notFound((c) => {
      const f = this.#fmt(c)
      return this.#page(c, f, { title: f.t('dash-not-found'), page: 'message', live: false }, messageMain(f.t('dash-not-found'), f.t('dash-not-found-text')), 404)
    })
  }

  #events (c: Context): Response {
    return streamSSE(c, async (stream) => {
      // a write to a page that just closed fails; onAbort below then removes it
      const send = (kinds: string): void => { void stream.writeSSE({ event: 'changed', data: kinds }).catch(() => {}) }
      this.#subscribers.add(send)
      await stream.writeSSE({ event: 'hello', data: 'live' })
      const keepAlive = setInterval(() => { void stream.writeSSE({ event: 'ping', data: '' }).catch(() => {}) }, 25_000)
      keepAlive.unref()
      await new Promise<void>((resolve) => stream.onAbort(() => resolve()))
      clearInterval(keepAlive)
      this.#subscribers.delete(send)
    })
  }

  /** This Storm's own summary and the configured ones, fetched at most once per refresh period. */
  async #comparedStorms (): Promise<ComparedStorm[]> {
    const now = this.#o.clock.now()
    const cfg = this.#o.config
    if (this.#compared === null || now - this.#compared.at >= cfg.compareRefreshMs) {
      const fetched = await Promise.all(cfg.compare.map(url => fetchSummary(url, {
        timeoutMs: cfg.compareTimeoutMs,
        maxBytes: cfg.compareMaxBytes,
        staleAfterMs: cfg.staleAfterMs,
        now,
        ...(this.#o.fetch === undefined ? {} : { fetch: this.#o.fetch })
      })))
      this.#compared = { at: now, rows: fetched }
    }
    const own: ComparedStorm = { url: `${this.#url}/summary.json`, status: 'ok', summary: this.#summary(), fetchedAt: now }
    return [own, ...this.#compared.rows]
  }
}
