/**
 * What a process's memory is made of, read from /proc/self/smaps (Linux): the resident pages of
 * the C allocator's heaps (glibc's main heap, `[heap]`, grown with brk, and its other arenas,
 * 64 MiB-aligned mappings of 64 MiB), beside V8's own heap.
 *
 * Why the load test measures native memory this way, not as "RSS beyond the reserved heap"
 * (`rss − heapTotal`): when V8 shrinks its heap (after a peak, `heapTotal` drops by 60 MiB and
 * more), the pages it gave up stay resident for a long while (measured: RSS unchanged, not lazily
 * freed), so `rss − heapTotal` jumped by whatever V8 shrank, with no native allocation at all.
 * Where glibc's heaps are, nothing of V8's heap is: their resident size is the native memory the
 * process allocated (ArrayBuffers' backing stores, sockets' buffers, SQLite, RocksDB) plus what
 * the allocator keeps of what was freed.
 */
import { readFileSync, appendFileSync } from 'node:fs'
import { getHeapStatistics } from 'node:v8'
import { PerformanceObserver, constants } from 'node:perf_hooks'

const ARENA = 64n << 20n

export interface NativeMemory {
  /** Resident bytes of glibc's main heap (`[heap]`). */
  brk: number
  /** Resident bytes of glibc's other arenas (threads' heaps). */
  arenas: number
  /** Every other anonymous mapping (V8's heap pages among them), and file mappings. */
  anon: number
  file: number
}

/** This process's resident memory by kind of mapping (Linux; zeros where /proc is absent). */
export function nativeMemory (): NativeMemory {
  const out: NativeMemory = { brk: 0, arenas: 0, anon: 0, file: 0 }
  let text: string
  try {
    text = readFileSync('/proc/self/smaps', 'utf8')
  } catch {
    return out
  }
  const maps: Array<{ from: bigint, to: bigint, perms: string, path: string, rss: number }> = []
  for (const line of text.split('\n')) {
    const head = /^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ \S+\s*(.*)$/.exec(line)
    if (head !== null) {
      maps.push({ from: BigInt('0x' + head[1]!), to: BigInt('0x' + head[2]!), perms: head[3]!, path: head[4]!, rss: 0 })
      continue
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line)
    if (rss !== null && maps.length > 0) maps[maps.length - 1]!.rss += Number(rss[1]) * 1024
  }
  maps.forEach((m, i) => {
    if (m.path === '[heap]') out.brk += m.rss
    else if (m.path.startsWith('/')) out.file += m.rss
    else if (m.path !== '') out.anon += m.rss
    // an arena heap: its used part at a 64 MiB boundary, the rest of the 64 MiB reserved (---p) after it
    else if (m.from % ARENA === 0n && (m.to - m.from === ARENA || (maps[i + 1]?.from === m.to && maps[i + 1]!.perms.startsWith('---') && maps[i + 1]!.to - m.from === ARENA))) out.arenas += m.rss
    else out.anon += m.rss
  })
  return out
}

/**
 * Full collections V8 started on its own: those observed, less those forced with `gc()` (counted
 * by the caller with `forced`; the observer hears of them later, so the count may lag, never lead).
 */
let observedMajor = 0
export const gcCount = { forced: 0, get major (): number { return Math.max(0, observedMajor - this.forced) } }
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    if ((e as unknown as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) observedMajor++
  }
}).observe({ entryTypes: ['gc'] })

/** LOAD_MEMLOG=path: one line of memory a second (diagnostics; `t` is ms on the caller's clock). */
export function startMemLog (path: string, since: () => number, extra: () => Record<string, number> = () => ({}), everyMs = 1000): () => void {
  const timer = setInterval(() => {
    const m = process.memoryUsage()
    const n = nativeMemory()
    appendFileSync(path, JSON.stringify({ t: since(), rss: m.rss, heapTotal: m.heapTotal, heapUsed: m.heapUsed, heapPhysical: getHeapStatistics().total_physical_size, external: m.external, arrayBuffers: m.arrayBuffers, ...n, majorGcs: gcCount.major, ...extra() }) + '\n')
  }, everyMs)
  timer.unref()
  return () => clearInterval(timer)
}
