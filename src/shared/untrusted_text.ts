/**
 * Text that comes from outside — a name a user typed, an id or a group name typed wrong, a node's
 * alias, a reason a peer sent — is shown bounded, isolated and as typed, never as something that
 * changes the sentence around it:
 * - **bounded**: at most so many characters (code points, never half a surrogate pair), then `…`;
 * - **controls shown, not obeyed**: C0/C1 control characters (ESC sequences, carriage returns,
 *   backspaces …) become their visible Unicode pictures (`␛`, `␍`), so they cannot move a
 *   terminal's cursor or fake a new line;
 * - **no bidi overrides**: embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069)
 *   are removed, so a right-to-left override in a name cannot reverse the rest of a sentence;
 * - **isolated**: text holding right-to-left letters is wrapped in FSI … PDI (U+2068 … U+2069),
 *   so an Arabic or Hebrew name sits in an English or Spanish sentence without reordering the
 *   words or numbers next to it (left-to-right text is left as it is: nothing to isolate);
 * - **no formatting**: backticks, which our texts use to mark commands (Telegram shows them as
 *   code), become `ˋ` (U+02CB) in names, so a name can't open or close a code span.
 *
 * The translator applies `asName` to parameters that carry names and typed values (`NAME_PARAMS`)
 * and `asText` to every other text parameter; front ends pass what they print through `asText`.
 *
 * @example
 *   asName('\u202Eevil`x`') // 'evilˋxˋ'
 *   asName('x'.repeat(100_000)) // 79 × 'x' + '…'
 */

/** Longest name or typed value shown, in code points (the ellipsis included): a node key (66) fits. */
export const MAX_NAME_SHOWN = 80
/** Longest other parameter shown (a reason, a detail). */
export const MAX_TEXT_SHOWN = 1_000

/** Parameters that carry a name or something a user or peer typed. */
export const NAME_PARAMS: ReadonlySet<string> = new Set([
  'name', 'ref', 'asked', 'node', 'peer', 'value', 'command', 'lang', 'alias', 'text', 'key', 'id', 'ids', 'member'
])

const ELLIPSIS = '…'
const FSI = '\u2068'
const PDI = '\u2069'
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/gu
/** C0 controls but tab and newline, DEL, C1 controls. */
const CONTROLS_KEEP_LINES = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/gu
/** All C0 controls, DEL, C1 controls, and the Unicode line and paragraph separators. */
const CONTROLS = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/gu
/** Letters of right-to-left scripts (Hebrew, Arabic, Syriac, Thaana, N'Ko …, their presentation forms). */
const RTL = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF\u{10800}-\u{10FFF}\u{1E800}-\u{1EFFF}]/u

/** A name or typed value as shown inside a sentence: one line, bounded, no formatting, isolated. */
export function asName (text: string, max = MAX_NAME_SHOWN): string {
  return isolate(bound(text.replace(BIDI_CONTROLS, '').replace(CONTROLS, picture).replace(/`/g, 'ˋ'), max))
}

/** Any other outside text as shown: bounded, controls visible (lines kept), no bidi overrides, isolated. */
export function asText (text: string, max = MAX_TEXT_SHOWN): string {
  return isolate(bound(stripControls(text), max))
}

/** Controls shown as pictures (tab and newline kept) and bidi overrides removed; nothing else changes. */
export function stripControls (text: string): string {
  return text.replace(BIDI_CONTROLS, '').replace(CONTROLS_KEEP_LINES, picture)
}

/** At most `max` code points, the last one `…` when cut. */
export function bound (text: string, max: number): string {
  if (text.length <= max) return text
  const points = Array.from(text)
  return points.length <= max ? text : points.slice(0, Math.max(0, max - 1)).join('') + ELLIPSIS
}

/** FSI … PDI around text with right-to-left letters; other text as it is. */
export function isolate (text: string): string {
  return RTL.test(text) ? FSI + text + PDI : text
}

/** `␛` for ESC, `␍` for CR, `␡` for DEL, `�` for C1 controls and line separators. */
function picture (c: string): string {
  const code = c.codePointAt(0)!
  if (code < 0x20) return String.fromCodePoint(0x2400 + code)
  if (code === 0x7F) return '\u2421'
  return '\uFFFD'
}
