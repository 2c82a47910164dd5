/**
 * The dashboard: read-only web pages of the Storm served by the manager, the public summary and
 * the comparison of Storms.
 */
export { Dashboard, type DashboardOptions } from './dashboard_server.ts'
export { DashboardConfigSchema, dashboardConfig, type DashboardConfig } from './dashboard_config.ts'
export { DashboardLogins } from './logins.ts'
export { fetchSummary, sortCompared, COMPARE_COLUMNS, type ComparedStorm, type CompareColumn } from './compare.ts'
