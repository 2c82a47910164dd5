/** stormcli's side of the control API: one request, one answer. */
import { createConnection } from 'node:net'
import { StormError } from '../../shared/errors.ts'
import { ControlResponseSchema, type ControlRequestBody, type ControlResponse } from './control_protocol.ts'

/** Errors: `STORMD_NOT_RUNNING` {socket}, `CONTROL_MALFORMED`. */
export function controlRequest (socketPath: string, request: ControlRequestBody, timeoutMs = 45_000): Promise<ControlResponse> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(socketPath)
    let buffer = ''
    const timer = setTimeout(() => { socket.destroy(); reject(new StormError('COMMAND_TIMEOUT')) }, timeoutMs)
    socket.setEncoding('utf8')
    socket.on('connect', () => socket.write(JSON.stringify({ ...request, id: 1 }) + '\n'))
    socket.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer)
      reject(e.code === 'ENOENT' || e.code === 'ECONNREFUSED' ? new StormError('STORMD_NOT_RUNNING', { socket: socketPath }) : e)
    })
    socket.on('data', (chunk: string) => {
      buffer += chunk
      const nl = buffer.indexOf('\n')
      if (nl < 0) return
      clearTimeout(timer)
      socket.end()
      try {
        const parsed = ControlResponseSchema.safeParse(JSON.parse(buffer.slice(0, nl)))
        if (parsed.success) resolve(parsed.data)
        else reject(new StormError('CONTROL_MALFORMED'))
      } catch {
        reject(new StormError('CONTROL_MALFORMED'))
      }
    })
  })
}
