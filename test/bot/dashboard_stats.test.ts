/**
 * `/dashboard` and `/stats` from the chat. A member asks for the dashboard: in a private chat the
 * one-time login link is the answer; in the group the group only hears "sent you a private
 * message" and the link is the private part of the reply. A stranger gets no link, and with no
 * dashboard running the answer says so. `/stats` is the Storm's picture (a PNG pngjs decodes) for
 * anyone in the group, and for members only in a private chat; the console saves it as a file.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { PassThrough } from 'node:stream'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PNG } from 'pngjs'
import { ManagerFixture, LOCALES } from '../support/manager_fixture.ts'
import { Dashboard, dashboardConfig } from '../../src/dashboard/index.ts'
import { FlowHistory } from '../../src/manager/flow_history.ts'
import type { FlowRecorder } from '../../src/manager/flow_recorder.ts'
import { statsPicture } from '../../src/app/stats_picture.ts'
import { runCommand, type CommandDeps, type Surface } from '../../src/bot/run_command.ts'
import { ConsoleChat } from '../../src/bot/console/console_chat.ts'
import type { Actor } from '../../src/manager/members/find_member.ts'
import { StormError } from '../../src/shared/errors.ts'

async function storm () {
  const f = await ManagerFixture.start()
  const alice = await f.joinAndPair('alice')
  const runtime = { manager: f.manager, clock: f.clock, flow: { history: new FlowHistory() } as unknown as FlowRecorder }
  const deps: CommandDeps = { manager: f.manager, locales: LOCALES, pairingInvite: code => code, statsPicture: t => statsPicture(runtime, t) }
  const ask = (actor: Actor, surface: Surface, name: 'dashboard' | 'stats', lang = 'en', d: CommandDeps = deps) =>
    runCommand(d, { actor, surface, lang, prefix: '/' }, { name })
  return { f, alice, deps, ask }
}

test('/dashboard: a member gets a one-time login link, privately; in the group only "sent you a private message"', async () => {
  const { f, alice, ask } = await storm()
  const d = await Dashboard.start({ manager: f.manager, locales: LOCALES, clock: f.clock, config: dashboardConfig({ port: 0 }) })
  try {
    const en = LOCALES.translator('en')
    const inPrivate = await ask(alice.actor, 'private', 'dashboard')
    assert.ok(inPrivate.ok)
    const url = /(http:\/\/\S+)/.exec(inPrivate.text)?.[1]
    assert.ok(url !== undefined && url.startsWith(d.url + '/login?token='), inPrivate.text)
    assert.equal(inPrivate.text, en.t('dashboard-link', { group: 'Supercell', url }))
    assert.equal(inPrivate.direct, undefined)
    // the link opens the login page
    assert.equal((await fetch(url)).status, 200)

    const inGroup = await ask(alice.actor, 'group', 'dashboard', 'es')
    assert.ok(inGroup.ok)
    assert.equal(inGroup.text, 'Te envié un mensaje privado con tu enlace de acceso.')
    assert.ok(inGroup.direct !== undefined)
    assert.doesNotMatch(inGroup.text, /token=/, 'the group never sees the link')
    const groupUrl = /(http:\/\/\S+)/.exec(inGroup.direct)?.[1]
    assert.ok(groupUrl !== undefined && groupUrl.startsWith(d.url + '/login?token='))
    assert.notEqual(groupUrl, url, 'each ask makes a new one-time link')

    // a stranger gets no link, in the group or in private
    for (const surface of ['group', 'private'] as const) {
      const stranger = await ask(f.chatActor('mallory'), surface, 'dashboard')
      assert.equal(stranger.ok, false)
      assert.equal(stranger.text, en.error(new StormError('NOT_A_MEMBER', { group: 'Supercell' })))
      assert.equal(stranger.direct, undefined)
    }
  } finally {
    await d.close()
  }
  // no dashboard running: a clear answer, in the member's language
  const off = await ask(alice.actor, 'private', 'dashboard', 'es')
  assert.equal(off.ok, false)
  assert.equal(off.text, 'El panel no está en marcha en este Storm.')
  assert.equal((await ask(alice.actor, 'group', 'dashboard')).direct, undefined)
})

test('/stats: the Storm\'s picture for anyone in the group, for members only in private', async () => {
  const { f, alice, deps, ask } = await storm()
  const en = LOCALES.translator('en')
  const stranger = f.chatActor('mallory')

  const inGroup = await ask(stranger, 'group', 'stats', 'es')
  assert.ok(inGroup.ok && inGroup.image !== undefined)
  assert.equal(inGroup.image.caption, 'Supercell: liquidez y flujo')
  const png = PNG.sync.read(Buffer.from(inGroup.image.png))
  assert.equal(png.width, 800)
  assert.equal(png.height, 480)

  const member = await ask(alice.actor, 'private', 'stats')
  assert.ok(member.ok && member.image !== undefined)
  assert.equal(member.image.caption, en.t('stats-caption', { group: 'Supercell' }))
  assert.equal(PNG.sync.read(Buffer.from(member.image.png)).width, 800)

  const refused = await ask(stranger, 'private', 'stats')
  assert.equal(refused.ok, false)
  assert.equal(refused.image, undefined)
  assert.equal(refused.text, en.error(new StormError('NOT_A_MEMBER', { group: 'Supercell' })))

  // a front end given no picture says so
  const { statsPicture: _none, ...without } = deps
  const unavailable = await ask(alice.actor, 'group', 'stats', 'es', without)
  assert.deepEqual(unavailable, { ok: false, text: 'Las estadísticas del Storm no están disponibles aquí.' })

  // not a stormcli command
  const cli = await ask(alice.actor, 'cli', 'stats')
  assert.equal(cli.ok, false)
  assert.equal(cli.image, undefined)
})

test('/stats on the console: the picture is saved as a file and the reply says where', async () => {
  const { f, alice, deps } = await storm()
  const dir = await mkdtemp(join(tmpdir(), 'storm-stats-'))
  try {
    const output = new PassThrough()
    let printed = ''
    output.on('data', (d: Buffer) => { printed += d.toString() })
    const chat = new ConsoleChat({
      manager: f.manager,
      locales: LOCALES,
      actor: alice.actor,
      lang: 'en',
      input: new PassThrough(),
      output,
      interactive: false,
      pairingInvite: code => code,
      statsPicture: deps.statsPicture!,
      imageDir: join(dir, 'tmp')
    })
    const reply = await chat.handle('/stats')
    const path = /saved at (\S+)$/.exec(reply.text)?.[1]
    assert.ok(path !== undefined && path.startsWith(join(dir, 'tmp')), reply.text)
    assert.ok(printed.includes(path))
    assert.ok(reply.text.startsWith('Supercell: liquidity and flow\n'))
    const png = PNG.sync.read(await readFile(path))
    assert.equal(png.width, 800)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
})
