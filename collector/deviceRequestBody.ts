// A device request's body: kept as bytes by the server (the device's signature covers them),
// read here as JSON and checked by the route's schema. One reader for every device route.
import type { z } from 'zod';
import { describeIssues } from './validationMessage';

/** `codes`: what is wrong, in paths and rule codes only (for stored alert details). */
export type BodyResult<T> = { ok: true; value: T } | { ok: false; message: string; codes: string };

/** The raw body as JSON checked by `schema`, or what is wrong with it. */
export function parseDeviceBody<T>(body: unknown, schema: z.ZodType<T>): BodyResult<T> {
  if (!Buffer.isBuffer(body) || body.length === 0) return { ok: false, message: 'the body must be a JSON document (content-type: application/json)', codes: 'empty body' };
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    return { ok: false, message: 'the body is not valid JSON', codes: 'not JSON' };
  }
  const parsed = schema.safeParse(value);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, message: describeIssues(parsed.error, 'messages'), codes: describeIssues(parsed.error, 'codes') };
}
