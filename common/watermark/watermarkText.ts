// The watermark's words: the policy template filled in for who is looking, where, in
// which session and when. The session code is short enough to read off a photo and is
// stamped on every audit event of the session, so the collector can map it back.

/** Crockford base32: no I, L, O or U, so a code read off a photo is unambiguous. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** An 8-character session code from 5 random bytes, shown as XXXX-XXXX. */
export function sessionCode(random: Uint8Array): string {
  if (random.length < 5) throw new RangeError('a session code needs 5 random bytes');
  let bits = 0n;
  for (const byte of random.subarray(0, 5)) bits = (bits << 8n) | BigInt(byte);
  let code = '';
  for (let i = 7; i >= 0; i -= 1) code += ALPHABET[Number((bits >> BigInt(i * 5)) & 31n)];
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

export interface WatermarkFields {
  user: string;
  email: string;
  practice: string;
  device: string;
  session: string;
}

/** Local date and time to the minute, e.g. 2026-11-25 14:05. */
export function watermarkTime(at: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())} ${pad(at.getHours())}:${pad(at.getMinutes())}`;
}

/**
 * Fills every placeholder but {time}, which the page-side layer fills in each minute.
 * Control characters in the fields (from IdP claims) are dropped.
 */
export function watermarkTemplateFor(template: string, fields: WatermarkFields): string {
  return template.replace(/\{(user|email|practice|device|session)\}/g, (_match, field: keyof WatermarkFields) => fields[field].replace(/\p{Cc}/gu, ''));
}

export function watermarkTextAt(template: string, at: Date): string {
  return template.replaceAll('{time}', watermarkTime(at));
}
