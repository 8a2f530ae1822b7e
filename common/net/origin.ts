// Origins are compared as parsed values, never by string prefix: "https://ehr.example"
// must not match "https://ehr.example.evil.test".

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

/** `value` parsed as a URL, or null when it is not one. */
export function parseUrl(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}

/** The serialized origin of `url`, or null when it has none (data:, blob: opaque, junk). */
export function originOf(url: string): string | null {
  const parsed = parseUrl(url);
  if (parsed === null || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) return null;
  return parsed.origin;
}

/** True when `value` is exactly an origin (scheme, host, optional port; no path or query). */
export function isBareOrigin(value: string): boolean {
  const origin = originOf(value);
  return origin !== null && origin === value;
}

export function isLoopbackHttp(value: string): boolean {
  const url = parseUrl(value);
  return url !== null && url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
}

export function isHttps(value: string): boolean {
  return parseUrl(value)?.protocol === 'https:';
}
