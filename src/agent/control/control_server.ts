/**
 * stormd's side of the control API. Each request is answered once; a malformed line gets an
 * error answer and the connection stays usable; nothing a client sends can crash stormd.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net'
import { chmod, mkdir, rm } from 'node:fs/promises'
import { dirname } from 'node:path'
import { StormError } from '../../shared/errors.ts'
import { ControlRequestSchema, MAX_CONTROL_LINE, type ControlRequest, type ControlResponse } from './control_protocol.ts'

export type ControlHandler = (req: ControlRequest) => Promise<Omit<ControlResponse, 'id'>>

export class ControlServer {
  readonly path: string
  readonly #handler: ControlHandler
  #server: Server | null = null

  constructor (path: string, handler: ControlHandler) {
    this.path = path
    this.#handler = handler
  }

  /** Errors: `STORMD_ALREADY_RUNNING` {socket} when another stormd answers on the socket. */
  async listen (): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 })
    // a socket file left by a stormd that died is replaced; one a live stormd answers on is not,
    // or two daemons would run the same directives from the same state
    if (await answers(this.path)) throw new StormError('STORMD_ALREADY_RUNNING', { socket: this.path })
    await rm(this.path, { force: true })
    const server = createServer((socket) => this.#serve(socket))
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      // The socket file is created by bind(), inside listen(), synchronously, with the process's
      // umask: with a permissive umask (002, 000) and a directory others can enter (an existing
      // dataDir, or controlSocket= in a shared folder) another local user could connect before
      // the chmod below. A umask of 077 for that one synchronous call creates it private.
      const umask = process.umask(0o077)
      try {
        server.listen(this.path, () => { server.off('error', reject); resolve() })
      } finally {
        process.umask(umask)
      }
    })
    await chmod(this.path, 0o600)
    this.#server = server
  }

  async close (): Promise<void> {
    const server = this.#server
    this.#server = null
    if (server !== null) await new Promise<void>(resolve => server.close(() => resolve()))
    await rm(this.path, { force: true })
  }

  #serve (socket: Socket): void {
    let buffer = ''
    socket.setEncoding('utf8')
    socket.on('error', () => socket.destroy())
    socket.on('data', (chunk: string) => {
      buffer += chunk
      if (buffer.length > MAX_CONTROL_LINE) {
        socket.end(JSON.stringify({ id: 0, ok: false, error: { code: 'CONTROL_TOO_LARGE', params: {} } }) + '\n')
        return
      }
      let nl: number
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl)
        buffer = buffer.slice(nl + 1)
        void this.#answer(line).then(r => { if (!socket.destroyed) socket.write(JSON.stringify(r) + '\n') })
      }
    })
  }

  async #answer (line: string): Promise<ControlResponse> {
    let raw: unknown
    try {
      raw = JSON.parse(line)
    } catch {
      return { id: 0, ok: false, error: { code: 'CONTROL_MALFORMED', params: {} } }
    }
    const parsed = ControlRequestSchema.safeParse(raw)
    const id = typeof (raw as { id?: unknown })?.id === 'number' ? (raw as { id: number }).id : 0
    if (!parsed.success) return { id, ok: false, error: { code: 'CONTROL_MALFORMED', params: {} } }
    try {
      return { id, ...await this.#handler(parsed.data) }
    } catch (e) {
      if (e instanceof StormError) return { id, ok: false, error: { code: e.code, params: e.params } }
      return { id, ok: false, error: { code: 'INTERNAL', params: {} } }
    }
  }
}

/** Whether something accepts connections on the socket. */
function answers (path: string): Promise<boolean> {
  return new Promise(resolve => {
    const probe = createConnection(path)
    probe.once('connect', () => { probe.destroy(); resolve(true) })
    probe.once('error', () => resolve(false))
  })
}
