/**
 * `/stats` and `/dashboard` on Telegram (the emulated Bot API). Ada, a member, asks for the stats
 * in the group and the group gets the Storm's picture as a photo. She asks for the dashboard in
 * the group before she ever wrote to the bot privately: Telegram will not let the bot write to her
 * first, so the group is told to open the private chat (a button that does it). Through that
 * button she gets her one-time login link in private; asked again in the group, the group only
 * hears "sent you a private message" and the link arrives in private. Zed, a stranger, gets no link.
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { writeFile } from 'node:fs/promises'
import { PNG } from 'pngjs'
import type { Translator } from '../../src/shared/i18n.ts'
import { StormError } from '../../src/shared/errors.ts'
import { startDashboard } from '../../src/app/start_dashboard.ts'
import { dashboardConfig, type Dashboard } from '../../src/dashboard/index.ts'
import type { TgChat, TgUser } from './harness.ts'
import { BOT_USERNAME } from './harness.ts'
import { shown } from './shown.ts'
import { startTelegramStorm, ADA, GROUP_ID, type TelegramStorm } from './setup.ts'

let s: TelegramStorm
let d: Dashboard
let en: Translator
let group: TgChat
const ZED: TgUser = { id: 109, first_name: 'Zed', username: 'zed', language_code: 'en' }

before(async () => {
  s = await startTelegramStorm({ chatId: GROUP_ID })
  const dashboard = await startDashboard(s.demo.manager, dashboardConfig({ port: 0 }), s.demo.locales)
  assert.ok(dashboard !== null)
  d = dashboard
  en = s.demo.locales.translator('en')
  group = s.h.group(GROUP_ID, 'Storm friends')
})

after(async () => {
  if (process.env.STORM_TRANSCRIPT !== undefined) await writeFile(process.env.STORM_TRANSCRIPT, s.h.transcript() + '\n')
  await d?.close()
  await s?.stop()
})

const linkIn = (text: string): string | undefined => /(http:\/\/\S+\/login\?token=\S+)/.exec(text)?.[1]

test('a member\'s /stats in the group: the group gets the Storm\'s picture as a photo', async () => {
  const h = s.h
  assert.equal((await h.ask(ADA, group, '/connect')).text, shown(en.t('connect-admitted', { group: 'Supercell', p: '/' })))
  await h.send(ADA, group, '/stats')
  const photo = await h.waitFor(() => h.proxy.photos.find(p => p.chatId === GROUP_ID), 'the stats photo in the group')
  assert.equal(photo.caption, en.t('stats-caption', { group: 'Supercell' }))
  assert.equal(photo.fileName, 'storm-stats.png', 'saved as what it is, not as a pairing QR')
  const png = PNG.sync.read(photo.png)
  assert.equal(png.width, 800)
  assert.equal(png.height, 480)
})

test('/dashboard in the group: the login link goes to the private chat only', async () => {
  const h = s.h
  const ada = h.privateOf(ADA)
  // Ada never wrote to the bot privately: it may not write to her first, and says how to open the chat
  const blocked = await h.ask(ADA, group, '/dashboard')
  assert.equal(blocked.text, shown(en.t('chat-direct-failed')))
  const url = blocked.buttons.flat().find(b => b.url !== undefined)?.url
  assert.equal(url, `https://t.me/${BOT_USERNAME}?start=dashboard`)
  assert.deepEqual(h.messages(ADA.id), [])

  // the button opens the private chat with `/start dashboard`: the link is the answer
  const first = await h.ask(ADA, ada, '/start dashboard')
  const firstLink = linkIn(first.text)
  assert.ok(firstLink !== undefined && firstLink.startsWith(d.url + '/login?token='), first.text)
  assert.equal(first.text, shown(en.t('dashboard-link', { group: 'Supercell', url: firstLink })))

  // now the chat is open: asked in the group, the group hears where it went, the link goes there
  const before = h.messages(ADA.id).length
  const told = await h.ask(ADA, group, '/dashboard')
  assert.equal(told.text, shown(en.t('dashboard-sent-private')))
  const direct = await h.waitFor(() => h.messages(ADA.id)[before], 'the login link in Ada\'s private chat')
  const link = linkIn(direct.text)
  assert.ok(link !== undefined && link.startsWith(d.url + '/login?token='), direct.text)
  assert.notEqual(link, firstLink, 'each link works once: a new one each time')
  assert.equal((await fetch(link)).status, 200, 'the link opens the dashboard\'s login')
  assert.ok(h.messages(GROUP_ID).every(m => !m.text.includes('token=')), 'the group never sees a link')

  // a stranger gets no link, in the group or anywhere else
  const zed = await h.ask(ZED, group, '/dashboard')
  assert.equal(zed.text, shown(en.error(new StormError('NOT_A_MEMBER', { group: 'Supercell' }))))
  assert.deepEqual(h.messages(ZED.id), [])
})
