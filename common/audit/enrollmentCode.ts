// One-time enrollment codes as IT reads them out and a VA types them: any case, with or
// without hyphens or spaces. The collector makes them from an alphabet without the
// look-alikes I, O, 0 and 1, so a code with one of those was misread, and is said so.

export const ENROLLMENT_CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** The canonical form: four groups of four, as the collector prints it. */
export const ENROLLMENT_CODE_PATTERN = /^[A-HJ-NP-Z2-9]{4}(-[A-HJ-NP-Z2-9]{4}){3}$/;

export type EnrollmentCodeReading = { ok: true; code: string } | { ok: false; problem: string };

/** The canonical code a person's typing names, or a sentence saying why it cannot be one. */
export function readEnrollmentCode(input: string): EnrollmentCodeReading {
  const compact = input.toUpperCase().replace(/[\s-]+/g, '');
  if (compact.length !== 16) return { ok: false, problem: `An enrollment code has 16 letters and digits, like ABCD-EFGH-JKLM-NPQR; this has ${compact.length}.` };
  if (/[IO01]/.test(compact)) return { ok: false, problem: 'An enrollment code never has I, O, 0 or 1: check those characters with IT.' };
  if (![...compact].every((c) => ENROLLMENT_CODE_ALPHABET.includes(c))) return { ok: false, problem: 'An enrollment code has only letters and digits, like ABCD-EFGH-JKLM-NPQR.' };
  return { ok: true, code: compact.match(/.{4}/g)?.join('-') ?? compact };
}
