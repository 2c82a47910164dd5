/** `lang [CODE]`: the language the bot speaks to this user (and reads their amounts in). */
import { ok, StormError } from '../../shared/errors.ts'
import { defineCommand } from './define_command.ts'
import { fail } from './replies.ts'

export const lang = defineCommand({
  name: 'lang',
  words: { required: 0, optional: 1 },
  parse: ([word]) => ok(word === undefined ? {} : { lang: word.toLowerCase() }),
  scope: 'any',
  fronts: ['chat'],
  authority: 'anyone',
  run: async ({ deps, ctx, t }, { lang }: { lang?: string }) => {
    const available = deps.locales.languages.join(', ')
    if (lang === undefined) return { ok: true, text: t.t('lang-current', { lang: t.lang, available }) }
    if (!deps.locales.has(lang)) return fail(t, new StormError('UNKNOWN_LANGUAGE', { lang: lang.slice(0, 16), available }))
    if (deps.manager.memberOf(ctx.actor) !== undefined) await deps.manager.setLanguage(ctx.actor, lang)
    const next = deps.locales.translator(lang, { p: ctx.prefix })
    return { ok: true, text: next.t('lang-set', { lang }), lang }
  }
})
