/**
 * The command menu Telegram shows under "/": one list for private chats, one for groups and a
 * longer one for group admins, each in every language we speak (Telegram picks the list by the
 * user's app language; the list without a language is English), plus the bot's description.
 */
import type { Api } from 'grammy'
import type { BotCommand, BotCommandScope, LanguageCode } from 'grammy/types'
import type { Locales } from '../../shared/i18n.ts'
import { DEFAULT_LANG } from '../../shared/i18n.ts'
import { commandsOn } from '../commands/registry.ts'

export type MenuScope = 'private' | 'group' | 'admins'

/** The commands of one scope in one language. */
export function menuFor (scope: MenuScope, locales: Locales, lang: string): BotCommand[] {
  const t = locales.translator(lang)
  const commands: BotCommand[] = commandsOn('chat')
    .filter(c => scope === 'admins' || c.authority !== 'admin')
    .map(c => ({ command: c.name, description: clip(t.t(`cmd-${c.name}-description`), 256) }))
  if (scope === 'admins') commands.push({ command: 'init', description: clip(t.t('telegram-cmd-init-description'), 256) })
  return commands
}

const SCOPES: Record<MenuScope, BotCommandScope> = {
  private: { type: 'all_private_chats' },
  group: { type: 'all_group_chats' },
  admins: { type: 'all_chat_administrators' }
}

/** Publishes the menus and descriptions. */
export async function publishMenus (api: Api, locales: Locales): Promise<void> {
  // the list without language_code is the fallback; other languages only where they differ
  const langs: Array<string | undefined> = [undefined, ...locales.languages.filter(l => l !== DEFAULT_LANG)]
  for (const lang of langs) {
    // our language folders are ISO 639-1 codes, which is what Telegram takes
    const other = lang === undefined ? {} : { language_code: lang as LanguageCode }
    const t = locales.translator(lang ?? DEFAULT_LANG)
    for (const scope of ['private', 'group', 'admins'] as const) {
      await api.setMyCommands(menuFor(scope, locales, lang ?? DEFAULT_LANG), { scope: SCOPES[scope], ...other })
    }
    await api.setMyDescription(clip(t.t('telegram-description'), 512), other)
    await api.setMyShortDescription(clip(t.t('telegram-short-description'), 120), other)
  }
}

function clip (text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, max - 1) + '…'
}
