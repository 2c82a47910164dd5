/**
 * The console front end: one user types commands, replies and announcements are printed. On a
 * terminal it is an interactive prompt; when standard input is not a terminal it reads the
 * commands line by line, waits for the Storm to settle after each, and ends at the end of input.
 */
import { createInterface, type Interface } from 'node:readline'
import { mkdir, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Readable, Writable } from 'node:stream'
import type { StormManager } from '../../manager/storm_manager.ts'
import type { Actor } from '../../manager/members/find_member.ts'
import type { Locales } from '../../shared/i18n.ts'
import { parseCommand } from '../parse_command.ts'
import { runCommand, fail, type CommandDeps, type Reply } from '../run_command.ts'
import { announcementFor } from '../announcements.ts'
import type { Button } from '../render.ts'
import { bound, stripControls, MAX_TEXT_SHOWN } from '../../shared/untrusted_text.ts'

export interface ConsoleChatOptions {
  manager: StormManager
  locales: Locales
  actor: Extract<Actor, { kind: 'chat' }>
  lang: string
  input: Readable
  output: Writable
  interactive: boolean
  pairingInvite: (code: string) => string
  /** `/stats`'s picture (from the runtime). */
  statsPicture?: CommandDeps['statsPicture']
  /** Where pictures are saved for the user to open (`/stats`); the system's temporary directory if not given. */
  imageDir?: string
  /** Resolves once nothing is in flight (used between piped commands). */
  settle?: () => Promise<void>
  /** Called after each command's reply, with the command and reply (the demo pairs "your" agent). */
  afterCommand?: (name: string, reply: Reply) => Promise<void>
}

export class ConsoleChat {
  readonly #o: ConsoleChatOptions
  #lang: string
  #busy = false
  #held: string[] = []
  /** The last line printed for each announcement: one that would say the same again is not printed. */
  readonly #shown = new Map<string, string>()
  #rl: Interface | null = null

  constructor (opts: ConsoleChatOptions) {
    this.#o = opts
    this.#lang = opts.lang
    opts.manager.on('event', (e) => {
      // a console cannot edit a line in place: skip the moment a directive is handed to the agent
      // (the agent's own answer follows at once); Telegram shows it by editing
      if (e.type === 'directive_changed' && e.record.status === 'sent') return
      const a = announcementFor(e, opts.manager)
      if (a === null) return
      const { text, buttons } = a.render(opts.locales.translator(this.#lang))
      const line = '📣 ' + text + (buttons === undefined ? '' : '  ' + buttons.map(hints).join(' '))
      // like an edit that would change nothing on Telegram
      if (this.#shown.get(a.key) === line) return
      this.#shown.set(a.key, line)
      this.#announce(line)
    })
  }

  /** Prints a line from the outside (the demo's narration). */
  say (text: string): void {
    this.#announce(text)
  }

  /** Runs until the end of input (or `/quit`). */
  async run (): Promise<void> {
    const rl = createInterface({ input: this.#o.input, terminal: this.#o.interactive, ...(this.#o.interactive ? { output: this.#o.output, prompt: '> ' } : {}) })
    if (this.#o.interactive) {
      this.#rl = rl
      rl.prompt()
    }
    for await (const line of rl) {
      const text = line.trim()
      if (text === '/quit' || text === '/exit') break
      if (text !== '') {
        if (!this.#o.interactive) this.#write(`> ${bound(text, MAX_TEXT_SHOWN)}`)
        await this.handle(text)
      }
      if (this.#o.interactive) rl.prompt()
    }
    this.#rl = null
    rl.close()
    await this.#o.settle?.()
  }

  /** Runs one line of input and prints the reply. */
  async handle (text: string): Promise<Reply> {
    const t = this.#o.locales.translator(this.#lang)
    const parsed = parseCommand(text.startsWith('/') ? text : '/' + text, { prefixes: ['/'], lang: this.#lang })
    this.#busy = true
    let reply: Reply
    let name = ''
    try {
      if (parsed === null) reply = { ok: false, text: t.t('console-not-a-command') }
      else if (!parsed.ok) reply = fail(t, parsed.error)
      else {
        name = parsed.value.name
        reply = await runCommand(
          { manager: this.#o.manager, locales: this.#o.locales, pairingInvite: this.#o.pairingInvite, statsPicture: this.#o.statsPicture },
          { actor: this.#o.actor, surface: 'private', lang: this.#lang, prefix: '/' },
          parsed.value
        )
      }
      if (reply.lang !== undefined) this.#lang = reply.lang
      if (reply.image !== undefined) reply = { ...reply, text: reply.text + '\n' + t.t('stats-saved', { path: await this.#saveImage(reply.image.png) }) }
      this.#write(reply.text + (reply.buttons === undefined ? '' : '\n' + reply.buttons.map(hints).join('\n')))
    } finally {
      this.#busy = false
      this.#flush()
    }
    if (reply.ok && name !== '') await this.#o.afterCommand?.(name, reply)
    if (!this.#o.interactive) await this.#o.settle?.()
    return reply
  }

  /** Saves a picture as a new file and says where. */
  async #saveImage (png: Uint8Array): Promise<string> {
    const dir = this.#o.imageDir ?? tmpdir()
    await mkdir(dir, { recursive: true })
    const path = join(dir, `storm-stats-${new Date().toISOString().replace(/[:.]/g, '-')}.png`)
    await writeFile(path, png)
    return path
  }

  #announce (line: string): void {
    if (this.#busy) {
      this.#held.push(line)
    } else if (this.#rl !== null) {
      // at the prompt: print above it, then draw the prompt (and what was typed) again
      this.#o.output.write('\r\x1b[K' + stripControls(line) + '\n')
      this.#rl.prompt(true)
    } else {
      this.#write(line)
    }
  }

  #flush (): void {
    for (const line of this.#held.splice(0)) this.#write(line)
  }

  #write (text: string): void {
    this.#o.output.write(stripControls(text) + '\n')
  }
}

/** Buttons as the commands they stand for: `[/approve Ab12Cd3] [/reject Ab12Cd3]`. */
function hints (row: Button[]): string {
  return row.map(b => `[${b.label}: /${b.action.replace(':', ' ')}]`).join(' ')
}
