/**
 * The control API between stormcli and stormd: JSON lines over a unix socket only the owner can
 * open. Whatever a client sends, stormd answers with a typed error and keeps serving.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises'
import { existsSync, lstatSync } from 'node:fs'
import { createConnection, createServer, Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ControlServer, type ControlHandler } from '../../src/agent/control/control_server.ts'
import { controlRequest } from '../../src/agent/control/control_client.ts'
import { MAX_CONTROL_LINE, type ControlRequest } from '../../src/agent/control/control_protocol.ts'
import { StormError } from '../../src/shared/errors.ts'

async function withServer (handler: ControlHandler, fn: (path: string, dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'storm-control-'))
  const path = join(dir, 'run', 'stormd.sock')
  const server = new ControlServer(path, handler)
  await server.listen()
  try {
    await fn(path, dir)
  } finally {
    await server.close()
    await rm(dir, { recursive: true, force: true })
  }
}

/** Opens a raw connection, writes `data`, and collects `lines` answer lines. */
function raw (path: string, data: string, lines: number): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(path)
    let buffer = ''
    socket.setEncoding('utf8')
    socket.on('error', reject)
    socket.on('data', (chunk: string) => {
      buffer += chunk
      const got = buffer.split('\n').filter(l => l !== '')
      if (buffer.endsWith('\n') && got.length >= lines) {
        socket.destroy()
        resolve(got.map(l => JSON.parse(l)))
      }
    })
    socket.on('close', () => reject(new Error(`closed after ${JSON.stringify(buffer.slice(0, 200))}`)))
    socket.write(data)
  })
}

const echo: ControlHandler = async (req) => ({ ok: true, data: { op: req.op } })

test('the socket is mode 0600 in a 0700 folder, answers a request, and is removed on close', async () => {
  const seen: ControlRequest[] = []
  let socketPath = ''
  await withServer(async (req) => { seen.push(req); return { ok: true, text: 'hello', data: { n: 1 } } }, async (path) => {
    socketPath = path
    assert.equal((await stat(path)).mode & 0o777, 0o600)
    assert.equal((await stat(join(path, '..'))).mode & 0o777, 0o700)
    const r = await controlRequest(path, { op: 'command', text: 'getinfo', lang: 'en' })
    assert.deepEqual(r, { id: 1, ok: true, text: 'hello', data: { n: 1 } })
    assert.deepEqual(seen, [{ op: 'command', text: 'getinfo', lang: 'en', id: 1 }])
  })
  assert.equal(existsSync(socketPath), false)
})

test('no window: with a permissive umask, in a folder others may enter, the socket is private from the moment it exists', async () => {
  // the folder exists already with 0777 (a shared place, or an old dataDir): stormd does not
  // make it private, so the socket file itself must never be open to others
  const dir = await mkdtemp(join(tmpdir(), 'storm-control-umask-'))
  const { chmod } = await import('node:fs/promises')
  await chmod(dir, 0o777)
  const path = join(dir, 'stormd.sock')
  // bind() creates the file inside listen(), synchronously: record its mode right after, before
  // anything else (a chmod) can run
  const modes: number[] = []
  const listen = Server.prototype.listen
  Server.prototype.listen = function (this: Server, ...args: unknown[]) {
    const r = (listen as (...a: unknown[]) => Server).apply(this, args)
    if (args[0] === path) modes.push(lstatSync(path).mode & 0o777)
    return r
  } as typeof listen
  const umask = process.umask(0)
  const server = new ControlServer(path, echo)
  try {
    await server.listen()
    assert.equal(process.umask(), 0, 'the process\'s umask is restored')
  } finally {
    process.umask(umask)
    Server.prototype.listen = listen
  }
  try {
    assert.deepEqual(modes.map(m => (m & 0o077).toString(8)), ['0'], 'no access for group or others when the socket appeared')
    assert.equal(lstatSync(path).mode & 0o777, 0o600)
    assert.deepEqual(await controlRequest(path, { op: 'status' }), { id: 1, ok: true, data: { op: 'status' } })
  } finally {
    await server.close()
    await rm(dir, { recursive: true, force: true })
  }
})

test('a malformed line gets CONTROL_MALFORMED and the same connection keeps being served', async () => {
  await withServer(echo, async (path) => {
    const answers = await raw(path, 'this is not json\n{"op":"teleport","id":5}\n{"op":"status"}\n{"op":"status","id":9}\n', 4)
    const malformed = { ok: false, error: { code: 'CONTROL_MALFORMED', params: {} } }
    assert.deepEqual(answers, [
      { id: 0, ...malformed },
      { id: 5, ...malformed },
      { id: 0, ...malformed },
      { id: 9, ok: true, data: { op: 'status' } }
    ])
    assert.deepEqual(await controlRequest(path, { op: 'status' }), { id: 1, ok: true, data: { op: 'status' } }, 'and new connections too')
  })
})

test('a request split across writes is read as one line', async () => {
  await withServer(echo, async (path) => {
    const answer = await new Promise<unknown>((resolve, reject) => {
      const socket = createConnection(path)
      socket.setEncoding('utf8')
      socket.on('error', reject)
      socket.on('data', (chunk: string) => { socket.destroy(); resolve(JSON.parse(chunk)) })
      socket.write('{"op":"direc')
      setImmediate(() => socket.write('tives","id":3}\n'))
    })
    assert.deepEqual(answer, { id: 3, ok: true, data: { op: 'directives' } })
  })
})

test('an oversize request gets CONTROL_TOO_LARGE and the server keeps serving', async () => {
  await withServer(echo, async (path) => {
    const answers = await raw(path, '{"op":"command","lang":"en","text":"' + 'x'.repeat(MAX_CONTROL_LINE) + '","id":4}\n', 1)
    assert.deepEqual(answers, [{ id: 0, ok: false, error: { code: 'CONTROL_TOO_LARGE', params: {} } }])
    assert.deepEqual(await controlRequest(path, { op: 'status' }), { id: 1, ok: true, data: { op: 'status' } })
  })
})

test('the handler\'s StormError reaches the client as a typed error; a bug is INTERNAL, never a crash', async () => {
  const handler: ControlHandler = async (req) => {
    if (req.op === 'decide') throw new StormError('UNKNOWN_DIRECTIVE', { id: req.directive })
    if (req.op === 'pair') throw new TypeError('a bug')
    return { ok: true }
  }
  await withServer(handler, async (path) => {
    assert.deepEqual(await controlRequest(path, { op: 'decide', directive: 'abc', decision: 'approve' }),
      { id: 1, ok: false, error: { code: 'UNKNOWN_DIRECTIVE', params: { id: 'abc' } } })
    assert.deepEqual(await controlRequest(path, { op: 'pair', invite: 'x' }), { id: 1, ok: false, error: { code: 'INTERNAL', params: {} } })
    assert.deepEqual(await controlRequest(path, { op: 'status' }), { id: 1, ok: true })
  })
})

test('controlRequest: no socket, a file that is not a socket, or garbage answers are typed errors', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'storm-control-'))
  try {
    const missing = join(dir, 'stormd.sock')
    await assert.rejects(controlRequest(missing, { op: 'status' }), (e: unknown) =>
      e instanceof StormError && e.code === 'STORMD_NOT_RUNNING' && e.params.socket === missing)

    const stale = join(dir, 'stale.sock')
    await writeFile(stale, '')
    await assert.rejects(controlRequest(stale, { op: 'status' }), (e: unknown) => e instanceof StormError && e.code === 'STORMD_NOT_RUNNING')

    const liar = join(dir, 'liar.sock')
    const server = createServer(s => { s.on('data', () => s.end('{"hello":\n')) })
    await new Promise<void>(resolve => server.listen(liar, resolve))
    try {
      await assert.rejects(controlRequest(liar, { op: 'status' }), (e: unknown) => e instanceof StormError && e.code === 'CONTROL_MALFORMED')
    } finally {
      await new Promise<void>(resolve => server.close(() => resolve()))
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
})

test('a second stormd on the same socket refuses to start, and the first keeps serving', async () => {
  await withServer(echo, async (path) => {
    const second = new ControlServer(path, async () => ({ ok: true, text: 'the impostor' }))
    await assert.rejects(second.listen(), (e: unknown) =>
      e instanceof StormError && e.code === 'STORMD_ALREADY_RUNNING' && e.params.socket === path)
    assert.deepEqual(await controlRequest(path, { op: 'status' }), { id: 1, ok: true, data: { op: 'status' } })
  })
})

test('listening replaces a stale socket file left by a stormd that died', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'storm-control-'))
  const path = join(dir, 'stormd.sock')
  await writeFile(path, 'left over')
  const server = new ControlServer(path, echo)
  try {
    await server.listen()
    assert.deepEqual(await controlRequest(path, { op: 'status' }), { id: 1, ok: true, data: { op: 'status' } })
  } finally {
    await server.close()
    await rm(dir, { recursive: true, force: true })
  }
})
