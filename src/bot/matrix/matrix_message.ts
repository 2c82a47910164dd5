/**
 * A Storm message as Matrix content: a notice (bots' messages are notices) whose plain body is the
 * text, with an HTML body where Storm's backticked spans are code (`getinfo`'s JSON a code block).
 * Matrix has no buttons: each button becomes a line naming the command it stands for
 * (`approve:ID` → `!approve ID`), and under an announcement people may react ✅ / ❌ instead.
 */
import type { Content, OutMessage } from '../core/index.ts'
import { stripControls } from '../../shared/untrusted_text.ts'

/** The content of an `m.room.message` (and of an edit's `m.new_content`). */
export interface MatrixContent {
  msgtype: 'm.notice'
  body: string
  format: 'org.matrix.custom.html'
  formatted_body: string
  [key: string]: unknown
}

/** The command a button's action stands for, as typed in Matrix. */
export function commandOf (action: string, prefix: string): string {
  const at = action.indexOf(':')
  return at < 0 ? prefix + action : `${prefix}${action.slice(0, at)} ${action.slice(at + 1)}`
}

export function matrixContent (m: Content & Pick<OutMessage, 'format' | 'link'>, prefix: string): MatrixContent {
  const text = stripControls(m.text)
  const lines = (m.buttons ?? []).flat().map(b => `${b.label}: ${commandOf(b.action, prefix)}`)
  if (m.link !== undefined) lines.push(`${m.link.label}: ${m.link.url}`)
  const body = [text, ...lines].join('\n')
  const main = m.format === 'code'
    ? `<pre><code>${escapeHtml(text)}</code></pre>`
    : m.format === 'spans' ? spans(text) : escapeHtml(text).replaceAll('\n', '<br>')
  const extra = lines.map(l => `<br><code>${escapeHtml(l)}</code>`).join('')
  return { msgtype: 'm.notice', body, format: 'org.matrix.custom.html', formatted_body: main + extra }
}

/** Backticked spans as `<code>`, the rest escaped. */
function spans (text: string): string {
  return text.split('`').map((part, i, all) => {
    const html = escapeHtml(part).replaceAll('\n', '<br>')
    // an odd part is inside backticks, unless it is an unclosed last one
    return i % 2 === 1 && i < all.length - 1 ? `<code>${html}</code>` : (i % 2 === 1 ? '`' + html : html)
  }).join('')
}

function escapeHtml (s: string): string {
  return s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;')
}
