/**
 * The dashboard's configuration section (`dashboard` in the manager's config file).
 */
import { z } from 'zod'

const MINUTE = 60_000

export const DashboardConfigSchema = z.object({
  enabled: z.boolean().default(true).describe('Serve the dashboard (read-only web pages of the Storm).'),
  host: z.string().min(1).default('127.0.0.1').describe('Where it listens: loopback by default; put a TLS proxy in front to publish it.'),
  port: z.number().int().min(0).max(65535).default(7420).describe('Its port (0: any free port).'),
  publicUrl: z.url().optional().describe('The address people reach it at (login links and the summary URL use it); http://host:port by default.'),
  publishSummary: z.boolean().default(true).describe('Publish the public summary at /summary.json (schema at /summary.schema.json) for comparison pages.'),
  compare: z.array(z.url()).max(50).default([]).describe('Other Storms\' summary URLs for the comparison page (fetched by the manager).'),
  compareTimeoutMs: z.number().int().min(100).max(60_000).default(5000).describe('How long a summary fetch may take.'),
  compareMaxBytes: z.number().int().min(1024).max(1024 * 1024).default(64 * 1024).describe('The largest summary accepted, bytes.'),
  compareRefreshMs: z.number().int().min(0).default(5 * MINUTE).describe('How long fetched summaries are reused before fetching again.'),
  staleAfterMs: z.number().int().min(MINUTE).default(60 * MINUTE).describe('A summary generated longer ago than this is marked stale.'),
  flowPeriodMs: z.number().int().min(60 * MINUTE).max(30 * 24 * 60 * MINUTE).default(7 * 24 * 60 * MINUTE).describe('The period flow rates and expected earnings are measured over.'),
  loginTtlMs: z.number().int().min(MINUTE).max(24 * 60 * MINUTE).default(10 * MINUTE).describe('How long a login link works (each works once).'),
  sessionTtlMs: z.number().int().min(MINUTE).default(12 * 60 * MINUTE).describe('How long a member stays logged in.')
}).strict()

export type DashboardConfig = z.infer<typeof DashboardConfigSchema>

/** The section with every default applied. */
export function dashboardConfig (overrides: z.input<typeof DashboardConfigSchema> = {}): DashboardConfig {
  return DashboardConfigSchema.parse(overrides)
}
