/** Small helpers every command's handler answers with. */
import type { Translator } from '../../shared/i18n.ts'
import type { Result } from '../../shared/errors.ts'
import type { StormError } from '../../shared/errors.ts'
import type { Reply } from './define_command.ts'

/** The reply for an expected failure. */
export function fail (t: Translator, e: StormError): Reply {
  return { ok: false, text: t.error(e) }
}

/** A use case's result as a reply: its text on success, the failure's sentence otherwise. */
export function answer<T> (t: Translator, r: Result<T>, text: (value: T) => string): Reply {
  return r.ok ? { ok: true, text: text(r.value) } : fail(t, r.error)
}
