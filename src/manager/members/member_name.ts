/**
 * Names that cannot be mistaken: what a member is called in chat, and which member a typed
 * reference (`@bob`, `bob`, a member id) means.
 *
 * A handle (`@bob`) is something the chat platform vouches for — a Telegram username — and is
 * stored apart from the display name (`chat.handle`). A display name is whatever the user typed
 * as their name, so it never starts with `@`: a user without a username whose first name is
 * `@yara` is shown as `yara`, and `/admit @yara` looks only at handles, so it can't pick them.
 * A reference that fits more than one member is refused (`AMBIGUOUS_MEMBER`) with the ids that
 * tell them apart, never guessed.
 */
import type { Actor } from './find_member.ts'
import type { Member, State } from '../state/schema.ts'
import { err, ok, type Result } from '../../shared/errors.ts'
import { bound, MAX_NAME_SHOWN } from '../../shared/untrusted_text.ts'

type ChatActor = Extract<Actor, { kind: 'chat' }>

/** The longest name kept (what the state schema allows). */
const MAX_NAME = 200

/**
 * Characters a display name may not start with: at-signs (ASCII, full-width, small), spaces and
 * invisible format characters (which could hide an `@` after them).
 */
const LEADING_HANDLE_LOOKALIKE = /^[\s\p{Cf}@\uFF20\uFE6B]+/u

/** How a chat user appears in the Storm: `@handle` when the platform vouches for one, else their name. */
export function chatDisplayName (actor: ChatActor): string {
  if (actor.handle !== undefined && actor.handle !== '') return '@' + actor.handle
  return plainName(actor.name, actor.userId)
}

/** A display name that does not look like a handle (`@yara` → `yara`); the user id when nothing is left. */
export function plainName (name: string, userId: string): string {
  const plain = name.replace(LEADING_HANDLE_LOOKALIKE, '').slice(0, MAX_NAME).trim()
  return plain === '' ? userId.slice(0, MAX_NAME) : plain
}

/** The identity stored for a chat user (name and handle as the platform gives them now). */
export function chatIdentity (actor: ChatActor): Member['chat'] {
  const chat: Member['chat'] = { platform: actor.platform, userId: actor.userId, name: chatDisplayName(actor) }
  if (actor.handle !== undefined && actor.handle !== '') chat.handle = actor.handle
  return chat
}

/**
 * The one member a reference means:
 * - a member id (exactly) is that member;
 * - `@name` matches handles only — never a display name, whatever it looks like;
 * - a bare word matches a handle, a display name or a chat user id (case-insensitive).
 *
 * Errors: `UNKNOWN_MEMBER` {ref}, `AMBIGUOUS_MEMBER` {ref, ids}.
 */
export function resolveMember (state: State, ref: string): Result<Member> {
  const typed = bound(ref.trim(), MAX_NAME + 1)
  if (Object.hasOwn(state.members, typed)) return ok(state.members[typed]!)
  const members = Object.values(state.members)
  const handle = /^[@\uFF20\uFE6B]/u.exec(typed) !== null
  const wanted = (handle ? typed.slice(1) : typed).toLowerCase()
  const matches = members.filter(m =>
    m.chat.handle?.toLowerCase() === wanted ||
    (!handle && (m.chat.name.toLowerCase() === wanted || m.chat.userId === typed)))
  if (matches.length === 1) return ok(matches[0]!)
  if (matches.length === 0) return err('UNKNOWN_MEMBER', { ref: bound(typed, MAX_NAME_SHOWN) })
  return err('AMBIGUOUS_MEMBER', { ref: bound(typed, MAX_NAME_SHOWN), ids: matches.map(m => m.id).join(', ') })
}
