/**
 * A real browser for the dashboard's tests: Debian's chromium (`.ci/run` installs it with apt; the
 * npm browser download cannot run here) driven by playwright-core, on a fresh profile each time.
 */
import { mkdtemp, mkdir, rm } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext } from 'playwright-core'

export const CHROMIUM = process.env.STORM_CHROMIUM ?? '/usr/bin/chromium'
/** Screenshots land here (gitignored); CI keeps them as artifacts. */
export const ARTIFACTS = join(import.meta.dirname, '..', '..', 'test-artifacts', 'browser')

export const PHONE = { width: 390, height: 844 }
export const DESKTOP = { width: 1280, height: 800 }

export interface Browser {
  context: BrowserContext
  close (): Promise<void>
}

export async function launchBrowser (): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does)`)
  const profile = await mkdtemp(join(tmpdir(), 'storm-chromium-'))
  await mkdir(ARTIFACTS, { recursive: true })
  // a persistent context is how playwright takes a profile directory (it refuses --user-data-dir
  // among the arguments); the directory is new, so the browser starts clean
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: DESKTOP,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync']
  })
  return {
    context,
    async close () {
      await context.close()
      await rm(profile, { recursive: true, force: true })
    }
  }
}
