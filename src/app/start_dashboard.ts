/**
 * Starts the dashboard beside a manager runtime, when the configuration enables it.
 */
import type { Locales } from '../shared/i18n.ts'
import { StormError } from '../shared/errors.ts'
import { Dashboard } from '../dashboard/index.ts'
import type { DashboardConfig } from '../dashboard/index.ts'
import type { ManagerRuntime } from './manager_runtime.ts'

export interface StartDashboardOptions {
  /** When the configured port is taken, take any free one (the demo; several may run at once). */
  anyPortIfTaken?: boolean
  fetch?: typeof globalThis.fetch
  log?: (event: string, data: Record<string, unknown>) => void
}

/** The running dashboard, or null when `enabled` is false. Errors: `DASHBOARD_LISTEN_FAILED`. */
export async function startDashboard (runtime: ManagerRuntime, config: DashboardConfig, locales: Locales, o: StartDashboardOptions = {}): Promise<Dashboard | null> {
  if (!config.enabled) return null
  const start = (c: DashboardConfig): Promise<Dashboard> => Dashboard.start({
    manager: runtime.manager,
    locales,
    clock: runtime.clock,
    config: c,
    flow: () => runtime.flow.history,
    ...(o.fetch === undefined ? {} : { fetch: o.fetch }),
    ...(o.log === undefined ? {} : { log: o.log })
  })
  try {
    return await start(config)
  } catch (e) {
    const taken = e instanceof StormError && e.code === 'DASHBOARD_LISTEN_FAILED' && /EADDRINUSE/.test(String(e.params.reason))
    if (!taken || o.anyPortIfTaken !== true) throw e
    return await start({ ...config, port: 0 })
  }
}
