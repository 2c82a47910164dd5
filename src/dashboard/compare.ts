/**
 * The comparison page's data: other Storms' public summaries, fetched by the manager (never by
 * the reader's browser) with a timeout and a size limit, validated against `storm-summary/1`,
 * and flagged when stale or malformed. Whatever another Storm sends is untrusted text: it is
 * shown as typed, bounded by the schema.
 */
import { StormSummarySchema, type StormSummary } from '../manager/queries/index.ts'

export type SummaryStatus = 'ok' | 'stale' | 'malformed' | 'too_large' | 'unreachable'

export interface ComparedStorm {
  url: string
  status: SummaryStatus
  /** Present when `ok` or `stale`. */
  summary?: StormSummary
  /** Why it is not `ok`, for the page (a short code or message). */
  detail?: string
  /** How old the summary was when fetched, ms. */
  ageMs?: number
  fetchedAt: number
}

export interface FetchSummaryOptions {
  timeoutMs: number
  maxBytes: number
  staleAfterMs: number
  now: number
  fetch?: typeof globalThis.fetch
}

/** Fetches and checks one summary. Never throws: a failure is a status. */
export async function fetchSummary (url: string, o: FetchSummaryOptions): Promise<ComparedStorm> {
  const base = { url, fetchedAt: o.now }
  let text: string
  try {
    const res = await (o.fetch ?? globalThis.fetch)(url, { signal: AbortSignal.timeout(o.timeoutMs), redirect: 'error', headers: { accept: 'application/json' } })
    if (!res.ok) {
      await res.body?.cancel()
      return { ...base, status: 'unreachable', detail: `HTTP ${res.status}` }
    }
    const body = await readLimited(res, o.maxBytes)
    if (body === null) return { ...base, status: 'too_large', detail: `> ${o.maxBytes} bytes` }
    text = body
  } catch (e) {
    const name = (e as Error).name
    return { ...base, status: 'unreachable', detail: name === 'TimeoutError' ? 'timeout' : (e as Error).message.slice(0, 200) }
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return { ...base, status: 'malformed', detail: 'not JSON' }
  }
  const parsed = StormSummarySchema.safeParse(json)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    return { ...base, status: 'malformed', detail: issue === undefined ? 'invalid' : `${issue.path.join('.') || '(root)'}: ${issue.message}`.slice(0, 200) }
  }
  const age = o.now - Date.parse(parsed.data.generatedAt)
  return { ...base, status: age > o.staleAfterMs ? 'stale' : 'ok', summary: parsed.data, ageMs: age }
}

/** The body as text, or null once it passes `maxBytes` (the rest is not read). */
async function readLimited (res: Response, maxBytes: number): Promise<string | null> {
  const declared = Number(res.headers.get('content-length') ?? NaN)
  if (declared > maxBytes) {
    await res.body?.cancel()
    return null
  }
  if (res.body === null) return ''
  const reader = res.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > maxBytes) {
      await reader.cancel()
      return null
    }
    chunks.push(value)
  }
  return Buffer.concat(chunks).toString('utf8')
}

/** The comparison's columns, each sortable. */
export const COMPARE_COLUMNS = ['name', 'baseFee', 'feeRate', 'flowRate', 'members', 'capacity', 'earnings'] as const
export type CompareColumn = typeof COMPARE_COLUMNS[number]

function valueOf (s: StormSummary, column: CompareColumn): string | number | null {
  switch (column) {
    case 'name': return s.name.toLowerCase()
    case 'baseFee': return Number(s.baseFeeMsat)
    case 'feeRate': return s.feeRatePpm
    case 'flowRate': return s.flowRate.forwardsPerSecond
    case 'members': return s.members
    case 'capacity': return s.capacity
    case 'earnings': return s.expectedEarningsPer1MSatsPerDay
  }
}

/**
 * Sorted by a column; Storms without a usable summary, and unknown figures, go last whatever
 * the direction.
 */
export function sortCompared (rows: ComparedStorm[], column: CompareColumn, dir: 'asc' | 'desc'): ComparedStorm[] {
  const sign = dir === 'asc' ? 1 : -1
  return [...rows].sort((x, y) => {
    if (x.summary === undefined || y.summary === undefined) return (x.summary === undefined ? 1 : 0) - (y.summary === undefined ? 1 : 0) || x.url.localeCompare(y.url)
    const a = valueOf(x.summary, column)
    const b = valueOf(y.summary, column)
    if (a === null || b === null) return (a === null ? 1 : 0) - (b === null ? 1 : 0)
    return (a < b ? -1 : a > b ? 1 : 0) * sign || x.url.localeCompare(y.url)
  })
}
