// Canonical JSON (RFC 8785 style: sorted keys, no insignificant whitespace, ECMAScript
// number and string serialization). The policy signature covers these bytes, so IT can
// keep the signed file pretty-printed and readable without breaking the signature.

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A value JSON.stringify writes exactly as canonical JSON does (or, undefined, leaves out). */
function isPlainLeaf(value: unknown): boolean {
  return value === undefined || value === null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
}

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('canonical JSON cannot encode a non-finite number');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    // A plain object of primitives (every audit event): the engine's own serializer writes
    // the same bytes, much faster, as it is or told the key order.
    const flat = Object.getPrototypeOf(record) === Object.prototype && keys.every((key) => isPlainLeaf(record[key]));
    if (flat && keys.every((key, i) => i === 0 || (keys[i - 1] as string) < key)) return JSON.stringify(record);
    // Sorted by UTF-16 code units, as RFC 8785 requires (the default sort order).
    keys.sort();
    if (flat) return JSON.stringify(record, keys);
    let out = '';
    for (const key of keys) {
      const item = record[key];
      if (item !== undefined) out += `${out === '' ? '' : ','}${JSON.stringify(key)}:${canonicalJson(item)}`;
    }
    return `{${out}}`;
  }
  throw new TypeError(`canonical JSON cannot encode a ${typeof value}`);
}
