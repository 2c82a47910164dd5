/**
 * stormcli and stormd's command line against a control socket the test answers: every request is
 * recorded, output and errors are captured as text.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { ControlServer, type ControlHandler } from '../../src/agent/control/control_server.ts'
import type { ControlRequest } from '../../src/agent/control/control_protocol.ts'
import { Locales } from '../../src/shared/i18n.ts'
import { stormcliMain } from '../../src/app/stormcli_main.ts'

export const LOCALES = Locales.load()

/** A stream that keeps what is written to it. */
export class Capture extends Writable {
  text = ''
  override _write (chunk: Buffer | string, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString()
    done()
  }
}

export interface CliRun { code: number, out: string, err: string }

export interface CliHarness {
  dir: string
  socket: string
  /** stormd.conf for the run, pointing at the socket. */
  conf: string
  requests: ControlRequest[]
  /** Runs stormcli with `--config conf` in front of `argv`. */
  cli (argv: string[], env?: NodeJS.ProcessEnv): Promise<CliRun>
  /** Stops answering (as if stormd stopped). */
  stop (): Promise<void>
  close (): Promise<void>
}

/** A stormd stand-in answering with `handler`; the conf file carries `extraConf` lines too. */
export async function cliHarness (handler: ControlHandler, extraConf: string[] = []): Promise<CliHarness> {
  const dir = await mkdtemp(join(tmpdir(), 'storm-cli-'))
  const socket = join(dir, 'stormd.sock')
  const conf = join(dir, 'stormd.conf')
  await writeFile(conf, [`dataDir=${dir}`, `controlSocket=${socket}`, ...extraConf].join('\n') + '\n')
  const requests: ControlRequest[] = []
  let server: ControlServer | null = new ControlServer(socket, async (req) => {
    requests.push(req)
    return handler(req)
  })
  await server.listen()
  const stop = async (): Promise<void> => {
    await server?.close()
    server = null
  }
  return {
    dir,
    socket,
    conf,
    requests,
    async cli (argv, env = {}) {
      const out = new Capture()
      const err = new Capture()
      const code = await stormcliMain(['--config', conf, ...argv], out, err, LOCALES, env)
      return { code, out: out.text, err: err.text }
    },
    stop,
    async close () {
      await stop()
      await rm(dir, { recursive: true, force: true })
    }
  }
}
