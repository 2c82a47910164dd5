/**
 * The Storm's home room: the configured one, else the group an admin bound with `/init`, for
 * good (another group's admins cannot take it). Commands in other groups are refused, except the
 * few a room may use before any is bound.
 */
import type { Translator } from '../../shared/i18n.ts'
import { StormError } from '../../shared/errors.ts'
import { fail, type Reply } from '../run_command.ts'
import type { ChatState } from './chat_state.ts'

/** Commands a room may use before it is bound with /init (and `start`, the service's welcome). */
const BEFORE_INIT = new Set(['help', 'lang'])

export class HomeRoom {
  readonly #state: ChatState
  readonly #configured: string | undefined
  readonly #save: () => void
  readonly #log: (event: string, data: Record<string, unknown>) => void

  constructor (state: ChatState, configured: string | undefined, save: () => void, log: (event: string, data: Record<string, unknown>) => void) {
    this.#state = state
    this.#configured = configured
    this.#save = save
    this.#log = log
  }

  /** The room the Storm is run from, once there is one. */
  get room (): string | undefined {
    return this.#configured ?? this.#state.chatId
  }

  /** The bound room got a new id (a Telegram group that became a supergroup). */
  moved (from: string, to: string): void {
    if (this.#state.chatId !== from) return
    this.#state.chatId = to
    this.#save()
  }

  /** `/init` in a room by someone who is (or is not) its admin: the answer, binding it if it may. */
  init (room: string, kind: 'group' | 'private', isAdmin: boolean, group: string, t: Translator): Reply {
    const home = this.room
    if (kind === 'private') return { ok: false, text: home === undefined ? t.t('telegram-not-bound') : t.t('telegram-wrong-group', { group }) }
    if (!isAdmin) return fail(t, new StormError('NOT_ADMIN'))
    if (home === room) return { ok: true, text: t.t('telegram-init-already', { group }) }
    if (home !== undefined) return { ok: false, text: t.t('telegram-wrong-group', { group }) }
    this.#state.chatId = room
    this.#save()
    this.#log('chat_bound', { room })
    return { ok: true, text: t.t('telegram-init-done', { group }) }
  }

  /** Why command `name` is not taken in this room (another group, or none bound yet); null when it is. */
  refusal (room: string, kind: 'group' | 'private', name: string, group: string, t: Translator): Reply | null {
    const home = this.room
    if (kind !== 'group' || home === room || name === 'start') return null
    if (home === undefined) return BEFORE_INIT.has(name) ? null : { ok: false, text: t.t('telegram-not-bound') }
    return { ok: false, text: t.t('telegram-wrong-group', { group }) }
  }
}
