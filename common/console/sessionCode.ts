// Session codes as people read them off a photo of the watermark: any case, with or
// without the hyphen or spaces, and Crockford's look-alikes (O for 0, I or L for 1).
// The device makes them as XXXX-XXXX in Crockford base32 (common/watermark).

/** The canonical form the device writes into every event of the session. */
export const SESSION_CODE_PATTERN = /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;

export type SessionCodeReading = { ok: true; code: string } | { ok: false; problem: string };

const LOOK_ALIKES: Record<string, string> = { O: '0', I: '1', L: '1' };

/** The canonical code a person's reading names, or why it cannot be one. */
export function readSessionCode(input: string): SessionCodeReading {
  const compact = input.toUpperCase().replace(/[\s-]+/g, '');
  const mapped = [...compact].map((c) => LOOK_ALIKES[c] ?? c).join('');
  if (mapped.length !== 8) return { ok: false, problem: `a session code has 8 letters and digits (like 7K2M-QX4P); this has ${mapped.length}` };
  const code = `${mapped.slice(0, 4)}-${mapped.slice(4)}`;
  if (!SESSION_CODE_PATTERN.test(code)) return { ok: false, problem: 'a session code uses only digits and the letters A–Z without U (like 7K2M-QX4P)' };
  return { ok: true, code };
}
