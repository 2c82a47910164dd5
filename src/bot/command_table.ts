/**
 * Every command: how many arguments it takes, where it may be used and who may use it. Its
 * description, usage and example live in `locales/` under `cmd-<name>-description`,
 * `cmd-<name>-usage` and `cmd-<name>-example`.
 */
export const COMMANDS = [
  { name: 'connect', required: 0, optional: 1, scope: 'any', admin: false },
  { name: 'pair', required: 0, optional: 0, scope: 'private', admin: false },
  { name: 'addfunds', required: 1, optional: 0, scope: 'any', admin: false },
  { name: 'removefunds', required: 1, optional: 0, scope: 'any', admin: false },
  { name: 'disconnect', required: 0, optional: 0, scope: 'any', admin: false },
  { name: 'cancel', required: 1, optional: 0, scope: 'any', admin: false },
  { name: 'getinfo', required: 0, optional: 0, scope: 'any', admin: false },
  { name: 'members', required: 0, optional: 0, scope: 'any', admin: false },
  { name: 'directives', required: 0, optional: 0, scope: 'any', admin: false },
  { name: 'approve', required: 1, optional: 0, scope: 'any', admin: false },
  { name: 'reject', required: 1, optional: 0, scope: 'any', admin: false },
  { name: 'vote', required: 1, optional: 2, scope: 'any', admin: false },
  { name: 'downtime', required: 1, optional: 0, scope: 'any', admin: false },
  { name: 'admit', required: 1, optional: 0, scope: 'any', admin: true },
  { name: 'decline', required: 1, optional: 0, scope: 'any', admin: true },
  { name: 'ban', required: 1, optional: 0, scope: 'any', admin: true },
  { name: 'unban', required: 1, optional: 0, scope: 'any', admin: true },
  { name: 'lang', required: 0, optional: 1, scope: 'any', admin: false },
  { name: 'help', required: 0, optional: 1, scope: 'any', admin: false }
] as const

export type CommandName = typeof COMMANDS[number]['name']
export type CommandSpec = typeof COMMANDS[number]

/** Commands that make sense from stormcli (no chat-only ones). */
export const CLI_COMMANDS: readonly CommandName[] = [
  'connect', 'addfunds', 'removefunds', 'disconnect', 'cancel', 'getinfo', 'members', 'directives',
  'approve', 'reject', 'vote', 'downtime', 'help'
]
