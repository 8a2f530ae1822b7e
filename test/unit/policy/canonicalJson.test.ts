// canonicalJson takes a fast path for flat objects (every audit event): it must write the
// same bytes as the plain recursive definition (RFC 8785 key order, undefined left out) for
// any value, which this checks on many random values against that definition, kept here as
// the oracle.
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../common/policy/canonicalJson';

function reference(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(reference).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${reference(v)}`).join(',')}}`;
}

/** A small deterministic generator, so a failure names a value that can be found again. */
function* randomValues(count: number): Generator<unknown> {
  let seed = 20261203;
  const next = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const keys = ['type', 'outcome', 'appId', 'b', 'a', '10', '2', 'Z', 'é', '\u{1F600}', 'recordedAt', '__proto__'];
  const leaf = (): unknown => [null, undefined, true, false, 0, -1.5, 1e21, 'x"\\\n', '', 'é✓'][Math.floor(next() * 10)];
  const make = (depth: number): unknown => {
    const pick = next();
    if (depth > 2 || pick < 0.3) return leaf();
    // Arrays never hold undefined: canonical JSON refuses it there, as JSON has no such element.
    if (pick < 0.45) return Array.from({ length: Math.floor(next() * 4) }, () => make(depth + 1)).map((v) => v ?? null);
    const object: Record<string, unknown> = {};
    for (let i = Math.floor(next() * 6); i > 0; i -= 1) Object.defineProperty(object, keys[Math.floor(next() * keys.length)] as string, { value: next() < 0.7 ? leaf() : make(depth + 1), enumerable: true, configurable: true, writable: true });
    return object;
  };
  for (let i = 0; i < count; i += 1) yield make(0);
}

describe('canonicalJson', () => {
  it('writes what the recursive definition writes, for flat and nested values in any key order', () => {
    let checked = 0;
    for (const value of randomValues(20_000)) {
      if (value === undefined) continue;
      expect(canonicalJson(value), JSON.stringify(value)).toBe(reference(value));
      checked += 1;
    }
    expect(checked).toBeGreaterThan(15_000);
  });

  it('sorts keys by UTF-16 code units, integer-like keys included', () => {
    expect(canonicalJson({ b: 1, a: 2, 10: 3, 2: 4, é: 5 })).toBe('{"10":3,"2":4,"a":2,"b":1,"é":5}');
    expect(canonicalJson({ type: 'x', outcome: undefined, appId: 'ehr' })).toBe('{"appId":"ehr","type":"x"}');
  });
});
