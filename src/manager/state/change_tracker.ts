/**
 * Which records of the state a use case changed, so that a save writes those and nothing else.
 *
 * The record collections (`members`, `allocations`, `directives`) are wrapped in proxies: reading
 * gives the same records as before (wrapped too, all the way down, one proxy per object), and any
 * write at any depth — `member.lang = …`, `record.history.push(…)`, `allocation.channels[0].state
 * = …`, `delete state.directives[id]` — marks the record it belongs to. Reads mark nothing, so a
 * use case that scans every directive (the expiry sweep) and changes one costs one record's save.
 *
 * The wrapped state behaves as the plain one does (`Object.values`, `JSON.stringify`, deep
 * equality, the same object each time a record is read); `structuredClone` refuses proxies, so
 * copy with `rawOf` first. Use cases need not know about any of this.
 */

/** Every proxy of every tracker → the plain object behind it (see `untracked`). */
const RAW = new WeakMap<object, object>()

/**
 * The plain object behind a tracked one (itself when not tracked), for a use case that only reads
 * a great deal — the placement picture scans every member on each `addfunds` — and should not pay
 * a proxy per object read. Nothing may be written through it: a write would not be saved.
 */
export function untracked<T> (value: T): T {
  return isObject(value) ? (RAW.get(value) as T | undefined) ?? value : value
}

/** Records changed since the last `takeChanges`, by collection. */
export type Changes = Map<string, Set<string>>

export class ChangeTracker {
  readonly #dirty: Changes = new Map()
  /** raw object → its proxy, and back. */
  readonly #proxyOf = new WeakMap<object, object>()
  readonly #rawOf = new WeakMap<object, object>()
  /** Collection name → its raw object (what a save reads records from). */
  readonly #raw = new Map<string, Record<string, unknown>>()
  /** Told of every write as it happens (caches derived from the state keep up with it). */
  readonly #onChange: ((collection: string, id: string) => void) | undefined

  constructor (onChange?: (collection: string, id: string) => void) {
    this.#onChange = onChange
  }

  /** Wraps a collection (a record of id → record); returns what the state should hold instead. */
  collection<T extends Record<string, unknown>> (name: string, raw: T): T {
    this.#raw.set(name, raw)
    this.#dirty.set(name, new Set())
    const proxy = new Proxy(raw, {
      get: (target, key, receiver) => {
        const v = Reflect.get(target, key, receiver)
        return typeof key === 'string' && isObject(v) ? this.wrap(v, name, key) : v
      },
      set: (target, key, value) => {
        if (typeof key === 'string') this.mark(name, key)
        return Reflect.set(target, key, this.unwrap(value))
      },
      deleteProperty: (target, key) => {
        if (typeof key === 'string') this.mark(name, key)
        return Reflect.deleteProperty(target, key)
      },
      defineProperty: (target, key, desc) => {
        if (typeof key === 'string') this.mark(name, key)
        return Reflect.defineProperty(target, key, 'value' in desc ? { ...desc, value: this.unwrap(desc.value) } : desc)
      }
    })
    this.#rawOf.set(proxy, raw)
    RAW.set(proxy, raw)
    return proxy
  }

  /** The plain object behind a wrapped one (itself when not wrapped). */
  unwrap<T> (value: T): T {
    return isObject(value) ? (this.#rawOf.get(value) as T | undefined) ?? value : value
  }

  /** The raw record `id` of `collection` (undefined when it was deleted). */
  rawRecord (collection: string, id: string): unknown {
    return this.#raw.get(collection)?.[id]
  }

  /** Records changed since the last call, and forgets them. */
  takeChanges (): Changes {
    const out: Changes = new Map()
    for (const [name, ids] of this.#dirty) {
      out.set(name, new Set(ids))
      ids.clear()
    }
    return out
  }

  /** Whether anything changed since the last `takeChanges`. */
  get changed (): boolean {
    for (const ids of this.#dirty.values()) if (ids.size > 0) return true
    return false
  }

  /** Marks record `id` of `collection` changed (the proxies' traps call it). */
  mark (collection: string, id: string): void {
    this.#dirty.get(collection)!.add(id)
    this.#onChange?.(collection, id)
  }

  /** The proxy of `raw`, a part of record `id` of `collection`. */
  wrap (raw: object, collection: string, id: string): object {
    const known = this.#proxyOf.get(raw)
    if (known !== undefined) return known
    // already a proxy (one stored into the state before it was unwrapped): use it as it is
    if (this.#rawOf.has(raw)) return raw
    // one small handler per object, its traps shared (a handler of four closures per object was
    // ~250 bytes more each: the manager wraps ~11 objects per member an agent talks to)
    const proxy = new Proxy(raw, new PartHandler(this, collection, id))
    this.#proxyOf.set(raw, proxy)
    this.#rawOf.set(proxy, raw)
    RAW.set(proxy, raw)
    return proxy
  }
}

/** The traps of a proxy of a part of record `id`: reads wrap what they give, writes mark the record. */
class PartHandler implements ProxyHandler<object> {
  readonly tracker: ChangeTracker
  readonly collection: string
  readonly id: string

  constructor (tracker: ChangeTracker, collection: string, id: string) {
    this.tracker = tracker
    this.collection = collection
    this.id = id
  }

  get (target: object, key: string | symbol, receiver: unknown): unknown {
    const v: unknown = Reflect.get(target, key, receiver)
    return isObject(v) ? this.tracker.wrap(v, this.collection, this.id) : v
  }

  set (target: object, key: string | symbol, value: unknown): boolean {
    this.tracker.mark(this.collection, this.id)
    return Reflect.set(target, key, this.tracker.unwrap(value))
  }

  deleteProperty (target: object, key: string | symbol): boolean {
    this.tracker.mark(this.collection, this.id)
    return Reflect.deleteProperty(target, key)
  }

  defineProperty (target: object, key: string | symbol, desc: PropertyDescriptor): boolean {
    this.tracker.mark(this.collection, this.id)
    return Reflect.defineProperty(target, key, 'value' in desc ? { ...desc, value: this.tracker.unwrap(desc.value) } : desc)
  }
}

function isObject (v: unknown): v is object {
  return typeof v === 'object' && v !== null
}
