/**
 * Looking records up by text that comes from outside (a typed id, a button's data, a peer's
 * message) without meeting `Object.prototype`: `directives['constructor']` is a function and
 * `directives['__proto__']` an object, so a plain index would find a "record" nobody stored.
 *
 * @example
 *   const record = own(state.directives, id) // undefined for 'toString', '__proto__', …
 */

/** The record stored under `key` itself, never one inherited from a prototype. */
export function own<T> (record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined
}

/** Whether `key` is stored in `record` itself. */
export function hasOwn (record: Readonly<Record<string, unknown>>, key: string): boolean {
  return Object.hasOwn(record, key)
}

/**
 * Keys that can't be stored as a plain property (`record['__proto__'] = x` sets the prototype
 * instead), so ids and record keys refuse them at the edge.
 */
export function isPrototypeKey (key: string): boolean {
  return key === '__proto__'
}
