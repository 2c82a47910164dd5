/** The command list, or one command in detail, as written on a given surface. */
import type { Translator } from '../shared/i18n.ts'
import { StormError } from '../shared/errors.ts'
import { COMMANDS } from './commands/registry.ts'

/** Errors: `UNKNOWN_COMMAND` {command}. */
export function helpText (t: Translator, prefix: string, cliOnly: boolean, topic?: string): string {
  const visible = COMMANDS.filter(c => c.fronts.includes(cliOnly ? 'cli' : 'chat'))
  const usage = (name: string): string => `${prefix}${name} ${t.t(`cmd-${name}-usage`)}`.trimEnd()
  if (topic !== undefined) {
    const spec = visible.find(c => c.name === topic)
    if (spec === undefined) throw new StormError('UNKNOWN_COMMAND', { command: topic.slice(0, 32) })
    return [usage(spec.name), t.t(`cmd-${spec.name}-description`), t.t('help-example', { example: prefix + t.t(`cmd-${spec.name}-example`) })].join('\n')
  }
  return [t.t('help-title'), ...visible.map(c => usage(c.name) + ' — ' + t.t(`cmd-${c.name}-description`)), t.t('help-more', { p: prefix })].join('\n')
}
