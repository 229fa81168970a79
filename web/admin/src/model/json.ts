// JSON values as the admin API sends them, and small immutable helpers.

export type Json = null | boolean | number | string | Json[] | JsonObject
export type JsonObject = { [key: string]: Json }

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** Deep structural equality; object key order is ignored unless ordered is set. */
export function jsonEqual(a: unknown, b: unknown, ordered = false): boolean {
  if (a === b) return true
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false
    return a.every((v, i) => jsonEqual(v, b[i], ordered))
  }
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a)
    const kb = Object.keys(b)
    if (ka.length !== kb.length) return false
    if (ordered && ka.some((k, i) => kb[i] !== k)) return false
    return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && jsonEqual(a[k], b[k], ordered))
  }
  return false
}

/** Returns a copy of obj with key set to value (or removed when value is undefined), keeping key order. */
export function withKey<T extends object>(obj: T, key: string, value: unknown): T {
  const out: Record<string, unknown> = {}
  let seen = false
  for (const [k, v] of Object.entries(obj)) {
    if (k === key) {
      seen = true
      if (value !== undefined) out[k] = value
    } else {
      out[k] = v
    }
  }
  if (!seen && value !== undefined) out[key] = value
  return out as T
}

/** Pretty JSON as the editor shows it. */
export function pretty(v: unknown): string {
  return JSON.stringify(v, null, 2)
}
