/**
 * A real Synapse homeserver on 127.0.0.1 for the Matrix tests: SQLite, no federation, no outside
 * network (no trusted key servers, no URL previews, no stats), a registration shared secret, and
 * rate limits relaxed for tests only (a production homeserver keeps its own).
 *
 *   const hs = await startSynapse({ dir, port })      // generates the config on first use
 *   const alice = await hs.register('alice', 'pw')    // through the shared-secret admin API
 *   await stopSynapse(dir)
 *
 * The venv comes from `install.sh` (pinned matrix-synapse from PyPI, cached outside the repo).
 */
import { execFileSync } from 'node:child_process'
import { createHmac, randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { startDaemon, stopDaemon, runningPid, waitUntil, assertPortsFree, WaitAborted } from '../regtest/processes.ts'

const HERE = import.meta.dirname
const SERVER_NAME = 'localhost'

export interface SynapseOptions {
  /** State directory: config, keys, SQLite database, media, log (default $STORM_SYNAPSE_DIR or /tmp/storm-synapse). */
  dir?: string
  /** Client port on 127.0.0.1 (default $STORM_SYNAPSE_PORT or 29800). */
  port?: number
  log?: (line: string) => void
}

export interface RegisteredUser {
  userId: string
  accessToken: string
  deviceId: string
}

export interface Homeserver {
  baseUrl: string
  serverName: string
  dir: string
  /** Registers a user through the shared-secret admin API (no captcha, no e-mail). */
  register: (localpart: string, password: string, opts?: { admin?: boolean }) => Promise<RegisteredUser>
}

export function synapseDir (opts: SynapseOptions = {}): string {
  return opts.dir ?? process.env.STORM_SYNAPSE_DIR ?? '/tmp/storm-synapse'
}

function synapsePort (opts: SynapseOptions): number {
  return opts.port ?? Number(process.env.STORM_SYNAPSE_PORT ?? 29800)
}

/** Installs (or reuses) the venv and returns its python. */
export function synapsePython (): string {
  const venv = execFileSync('bash', [join(HERE, 'install.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim()
  return join(venv, 'bin', 'python')
}

/**
 * Starts Synapse (or finds the one already running in `dir`) and waits until it answers.
 * Errors say what the log says when it does not come up.
 */
export async function startSynapse (opts: SynapseOptions = {}): Promise<Homeserver> {
  const dir = synapseDir(opts)
  const port = synapsePort(opts)
  const log = opts.log ?? (() => {})
  const python = synapsePython()
  mkdirSync(dir, { recursive: true })
  const config = join(dir, 'homeserver.yaml')
  const secretPath = join(dir, 'registration_secret')
  if (!existsSync(config)) {
    writeFileSync(secretPath, randomBytes(24).toString('hex'), { mode: 0o600 })
    writeFileSync(config, homeserverYaml(dir, port, readFileSync(secretPath, 'utf8')))
    writeFileSync(join(dir, 'log.yaml'), logYaml(dir))
    // the server's signing key
    execFileSync(python, ['-m', 'synapse.app.homeserver', '--config-path', config, '--generate-keys'], { stdio: 'ignore' })
  }
  const baseUrl = `http://127.0.0.1:${port}`
  const pidPath = join(dir, 'synapse.pid')
  if (runningPid(pidPath, python) === null) {
    await assertPortsFree([port])
    log(`starting Synapse on ${baseUrl} (state in ${dir})`)
    startDaemon(python, ['-m', 'synapse.app.homeserver', '--config-path', config], join(dir, 'stdout.log'), pidPath)
  }
  const up = await waitUntil(async () => {
    if (runningPid(pidPath, python) === null) throw new WaitAborted()
    const res = await fetch(`${baseUrl}/_matrix/client/versions`)
    return res.ok
  }, 60_000, 200).catch(() => false)
  if (!up) {
    throw new Error(`Synapse did not come up on ${baseUrl}; the end of its log:\n${tail(join(dir, 'homeserver.log'))}${tail(join(dir, 'stdout.log'))}`)
  }
  const secret = readFileSync(secretPath, 'utf8')
  return { baseUrl, serverName: SERVER_NAME, dir, register: (localpart, password, o = {}) => register(baseUrl, secret, localpart, password, o.admin ?? false) }
}

/** Stops the Synapse running in `dir` and removes its state when `remove` is set. */
export async function stopSynapse (opts: SynapseOptions & { remove?: boolean } = {}): Promise<void> {
  const dir = synapseDir(opts)
  const venvPython = join(process.env.STORM_CACHE ?? join(process.env.HOME ?? '/root', '.cache', 'storm'), `synapse-${synapseVersion()}`, 'bin', 'python')
  await stopDaemon(join(dir, 'synapse.pid'), venvPython)
  if (opts.remove === true) rmSync(dir, { recursive: true, force: true })
}

export function synapseVersion (): string {
  const m = /SYNAPSE_VERSION=(\S+)/.exec(readFileSync(join(HERE, 'versions.env'), 'utf8'))
  if (m === null) throw new Error('scripts/synapse/versions.env names no SYNAPSE_VERSION')
  return m[1]!
}

async function register (baseUrl: string, secret: string, localpart: string, password: string, admin: boolean): Promise<RegisteredUser> {
  const url = `${baseUrl}/_synapse/admin/v1/register`
  const { nonce } = await (await fetch(url)).json() as { nonce: string }
  const mac = createHmac('sha1', secret)
    .update(`${nonce}\0${localpart}\0${password}\0${admin ? 'admin' : 'notadmin'}`)
    .digest('hex')
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ nonce, username: localpart, password, admin, mac })
  })
  const body = await res.json() as { user_id?: string, access_token?: string, device_id?: string, error?: string }
  if (!res.ok || body.user_id === undefined || body.access_token === undefined) {
    throw new Error(`registering ${localpart} failed: ${res.status} ${body.error ?? JSON.stringify(body)}`)
  }
  return { userId: body.user_id, accessToken: body.access_token, deviceId: body.device_id ?? '' }
}

function tail (path: string): string {
  if (!existsSync(path)) return ''
  return readFileSync(path, 'utf8').split('\n').slice(-30).join('\n') + '\n'
}

/** A rate limit loose enough that a test's burst of messages never waits. */
const LOOSE = '{ per_second: 1000, burst_count: 1000 }'

function homeserverYaml (dir: string, port: number, secret: string): string {
  return `# Generated by scripts/synapse/synapse.ts for Storm's tests: loopback only, SQLite, no federation.
server_name: "${SERVER_NAME}"
public_baseurl: "http://127.0.0.1:${port}/"
pid_file: "${join(dir, 'homeserver.pid')}"
listeners:
  - port: ${port}
    bind_addresses: ['127.0.0.1']
    type: http
    tls: false
    x_forwarded: false
    resources:
      - names: [client]
        compress: false
database:
  name: sqlite3
  args:
    database: "${join(dir, 'homeserver.db')}"
log_config: "${join(dir, 'log.yaml')}"
media_store_path: "${join(dir, 'media_store')}"
signing_key_path: "${join(dir, 'localhost.signing.key')}"
registration_shared_secret: "${secret}"
macaroon_secret_key: "${randomBytes(24).toString('hex')}"
form_secret: "${randomBytes(24).toString('hex')}"
report_stats: false
enable_metrics: false
trusted_key_servers: []
suppress_key_server_warning: true
url_preview_enabled: false
presence:
  enabled: false
federation_domain_whitelist: []
# tests only: a real homeserver keeps Synapse's defaults
rc_message: ${LOOSE}
rc_registration: ${LOOSE}
rc_login:
  address: ${LOOSE}
  account: ${LOOSE}
  failed_attempts: ${LOOSE}
rc_joins:
  local: ${LOOSE}
  remote: ${LOOSE}
rc_joins_per_room: ${LOOSE}
rc_invites:
  per_room: ${LOOSE}
  per_user: ${LOOSE}
  per_issuer: ${LOOSE}
rc_admin_redaction: ${LOOSE}
rc_3pid_validation: ${LOOSE}
rc_media_create: ${LOOSE}
rc_room_creation: ${LOOSE}
rc_reports: ${LOOSE}
rc_delayed_event_mgmt: ${LOOSE}
`
}

function logYaml (dir: string): string {
  return `version: 1
formatters:
  precise:
    format: '%(asctime)s - %(name)s - %(lineno)d - %(levelname)s - %(request)s - %(message)s'
handlers:
  file:
    class: logging.FileHandler
    formatter: precise
    filename: "${join(dir, 'homeserver.log')}"
    encoding: utf8
loggers:
  synapse.storage.SQL:
    level: WARNING
root:
  level: WARNING
  handlers: [file]
disable_existing_loggers: false
`
}
