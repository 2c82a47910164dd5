/**
 * The page around every view: header with the Storm's name, navigation, language switch; the
 * `<main>` the live updates replace; local assets only.
 */
import { html, type Html } from '../html.ts'
import type { Fmt } from './format.ts'

export interface LayoutOptions {
  title: string
  group: string
  /** Which navigation entry is current. */
  page: 'overview' | 'storm' | 'compare' | 'message'
  /** The member logged in, if any (their chat name). */
  member?: string
  /** The path with its query, for the language links. */
  path: string
  /** Whether the page updates live (server-sent events). */
  live: boolean
  languages: string[]
}

export function layout (f: Fmt, o: LayoutOptions, main: Html): Html {
  const nav = (page: LayoutOptions['page'], href: string, label: string): Html =>
    html`<a href="${href}"${o.page === page ? html` aria-current="page"` : ''}>${label}</a>`
  const langLink = (lang: string): Html => {
    const url = new URL(o.path, 'http://x')
    url.searchParams.set('lang', lang)
    return html`<a href="${url.pathname + url.search}" hreflang="${lang}" lang="${lang}"${lang === f.lang ? html` aria-current="true"` : ''}>${lang.toUpperCase()}</a>`
  }
  return html`<!doctype html>
<html lang="${f.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${o.title} · ${o.group}</title>
<link rel="stylesheet" href="/assets/dashboard.css">
<script src="/assets/dashboard.js" defer></script>
</head>
<body${o.live ? html` data-live="/events"` : ''}>
<header>
<div class="brand"><strong>${o.group}</strong></div>
<nav>${nav('overview', '/', f.t('dash-nav-overview'))}${nav('storm', '/storm', f.t('dash-nav-storm'))}${nav('compare', '/compare', f.t('dash-nav-compare'))}</nav>
<div class="langs">${o.languages.map(langLink)}${o.member === undefined ? '' : html` <span class="who">${o.member}</span> <a href="/logout">${f.t('dash-logout')}</a>`}</div>
</header>
<main id="main">${main}</main>
<footer><span id="live-status" data-live-text="${f.t('dash-live')}" data-offline-text="${f.t('dash-offline')}"></span></footer>
</body>
</html>`
}
