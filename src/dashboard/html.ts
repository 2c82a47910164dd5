/**
 * HTML by tagged template: every interpolated value is escaped unless it is already `Html`
 * (made by this template or by `raw` for markup we wrote ourselves). Untrusted text — member
 * names, directive reasons, other Storms' summaries — is shown as typed, never as markup.
 */
export class Html {
  readonly value: string
  constructor (value: string) { this.value = value }
  toString (): string { return this.value }
}

export type Interpolated = Html | string | number | null | undefined | false | Interpolated[]

/** Escapes text for HTML content and quoted attributes. */
export function escapeHtml (text: string): string {
  return text.replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\'': '&#39;' }[c]!))
}

/** Markup we wrote ourselves (never user input). */
export function raw (markup: string): Html {
  return new Html(markup)
}

function render (v: Interpolated): string {
  if (v === null || v === undefined || v === false) return ''
  if (v instanceof Html) return v.value
  if (Array.isArray(v)) return v.map(render).join('')
  return escapeHtml(String(v))
}

export function html (strings: TemplateStringsArray, ...values: Interpolated[]): Html {
  let out = strings[0]!
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!
  return new Html(out)
}
