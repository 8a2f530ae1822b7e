// Origins are compared as parsed values, never by string prefix: "https://ehr.example"
// must not match "https://ehr.example.evil.test".

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

/** The serialized origin of `url`, or null when it has none (data:, blob: opaque, junk). */
export function originOf(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return null;
  return parsed.origin;
}

/** True when `value` is exactly an origin (scheme, host, optional port; no path or query). */
export function isBareOrigin(value: string): boolean {
  const origin = originOf(value);
  return origin !== null && origin === value;
}

export function isLoopbackHttp(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
  } catch {
    return false;
  }
}

export function isHttps(value: string): boolean {
  try {
    return new URL(value).protocol === 'https:';
  } catch {
    return false;
  }
}
