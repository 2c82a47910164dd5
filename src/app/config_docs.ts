/**
 * Configuration documentation generated from the zod schemas' `.describe()` texts, so the README
 * tables and the sample files can never drift from what the code accepts.
 */
import { homedir } from 'node:os'
import { z } from 'zod'
import { AgentConfigSchema } from '../agent/config.ts'
import { StormRulesSchema } from '../manager/rules.ts'
import { DEFAULT_REBALANCE_SETTINGS, RebalanceRulesSchema, RebalanceSettingsSchema } from '../manager/planning/rebalance_rules.ts'
import { ManagerConfigSchema, TelegramConfigSchema } from './manager_config.ts'
import { GovernanceRulesSchema } from '../manager/governance/rules.ts'
import { DowntimeRulesSchema } from '../manager/liveness/rules.ts'
import { ExitRulesSchema, OnboardingRulesSchema } from '../manager/planning/movement_rules.ts'
import { DashboardConfigSchema } from '../dashboard/dashboard_config.ts'

interface Property { default?: unknown, description?: string, type?: string, enum?: unknown[], items?: { enum?: unknown[] } }

function properties (schema: z.ZodType): Array<[string, Property]> {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as { properties: Record<string, Property> }
  // defaults as the schema applies them (coerced fields do not carry theirs into JSON Schema)
  const parsed = schema.safeParse({})
  const defaults = (parsed.success ? parsed.data : {}) as Record<string, unknown>
  return Object.entries(json.properties).map(([key, p]) => [key, { ...p, default: defaults[key] ?? p.default }])
}

function shown (value: unknown): string {
  if (value === undefined) return ''
  const text = typeof value === 'string' ? value : JSON.stringify(value)
  return text.split(homedir()).join('~')
}

function values (p: Property): string {
  const list = p.enum ?? p.items?.enum
  return list === undefined ? '' : ` (${list.join(', ')})`
}

/** A markdown table: key, default, meaning. */
export function markdownTable (schema: z.ZodType, prefix = ''): string {
  const rows = properties(schema).map(([key, p]) => {
    // a section's defaults are in its own table; a line of JSON here would only hide them
    const section = typeof p.default === 'object' && p.default !== null && !Array.isArray(p.default)
    const d = section ? '' : shown(p.default)
    const cell = section ? '(a section: its own table)' : d === '' ? '' : '`' + d.replace(/\|/g, '\\|') + '`'
    return `| \`${prefix}${key}\` | ${cell} | ${(p.description ?? '').replace(/\|/g, '\\|')}${values(p)} |`
  })
  return ['| key | default | meaning |', '|---|---|---|', ...rows].join('\n')
}

/** A commented `stormd.conf` with every key at its default (keys without one commented out). */
export function sampleStormdConf (): string {
  const lines = ['# stormd.conf — generated from the configuration schema (npm run docs).', '# key=value; `#` starts a comment.', '']
  for (const [key, p] of properties(AgentConfigSchema)) {
    lines.push(`# ${p.description ?? ''}${values(p)}`)
    const d = shown(p.default)
    lines.push(d === '' || d === '[]' ? `#${key}=` : `${key}=${Array.isArray(p.default) ? (p.default as unknown[]).join(',') : d}`)
    lines.push('')
  }
  return lines.join('\n')
}

/** A `config/storm.json` with the Storm's rules at their defaults. */
export function sampleManagerConfig (): string {
  const config = ManagerConfigSchema.parse({})
  return JSON.stringify({ ...config, rules: StormRulesSchema.parse({}) }, null, 2) + '\n'
}

/** The README's generated blocks, by marker name. */
export function readmeBlocks (): Record<string, string> {
  return {
    'stormd-config': markdownTable(AgentConfigSchema),
    'manager-config': markdownTable(ManagerConfigSchema.omit({ rules: true })),
    'storm-rules': markdownTable(StormRulesSchema, 'rules.'),
    'telegram-config': markdownTable(TelegramConfigSchema, 'telegram.'),
    'rebalancing-rules': markdownTable(RebalanceRulesSchema.omit({ baseSettings: true }), 'rules.rebalancing.'),
    'rebalancing-settings': markdownTable(rebalanceSettingsWithDefaults(), 'rules.rebalancing.baseSettings.'),
    'governance-rules': markdownTable(GovernanceRulesSchema, 'rules.governance.'),
    'downtime-rules': markdownTable(DowntimeRulesSchema, 'rules.downtime.'),
    'exit-rules': markdownTable(ExitRulesSchema, 'rules.exit.'),
    'onboarding-rules': markdownTable(OnboardingRulesSchema, 'rules.onboarding.'),
    'dashboard-config': markdownTable(DashboardConfigSchema, 'dashboard.')
  }
}

/** Tightrope's settings, each with its default (the schema has none: overrides give only some). */
function rebalanceSettingsWithDefaults (): z.ZodType {
  const shape = RebalanceSettingsSchema.shape
  const keys = Object.keys(shape) as Array<keyof typeof shape>
  return z.object(Object.fromEntries(keys.map(k => [k, shape[k].default(DEFAULT_REBALANCE_SETTINGS[k])])))
}

/** Replaces each `<!-- name:start -->…<!-- name:end -->` block in `text`. */
export function fillBlocks (text: string, blocks: Record<string, string>): string {
  let out = text
  for (const [name, body] of Object.entries(blocks)) {
    const re = new RegExp(`(<!-- ${name}:start -->)[\\s\\S]*?(<!-- ${name}:end -->)`)
    out = out.replace(re, (_m, a: string, b: string) => `${a}\n${body}\n${b}`)
  }
  return out
}
