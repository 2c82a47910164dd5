/**
 * The pinned btcd and lnd binaries: versions from versions.env, built (or found in the cache)
 * by build.sh.
 */
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

const HERE = import.meta.dirname

/** The pinned releases, as versions.env says. */
export function pinnedVersions (): { lnd: string, btcd: string } {
  const env = Object.fromEntries(readFileSync(join(HERE, 'versions.env'), 'utf8')
    .split('\n')
    .map(line => /^([A-Z_]+)=(\S+)/.exec(line))
    .filter(m => m !== null)
    .map(m => [m[1], m[2]]))
  return { lnd: env.LND_VERSION ?? '', btcd: env.BTCD_VERSION ?? '' }
}

/**
 * The directories holding `btcd`/`btcctl` and `lnd`/`lncli`; builds them first when the cache
 * lacks them (minutes, once).
 */
export function ensureBinaries (log: (line: string) => void = () => {}): { btcd: string, lnd: string } {
  log('checking the btcd and lnd binaries (scripts/regtest/build.sh)')
  const run = spawnSync('bash', [join(HERE, 'build.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })
  if (run.status !== 0) throw new Error(`scripts/regtest/build.sh failed (exit ${run.status})`)
  const [btcd, lnd] = run.stdout.trim().split('\n')
  if (btcd === undefined || lnd === undefined) throw new Error('scripts/regtest/build.sh printed no bin directories')
  return { btcd, lnd }
}
