// Small HTTP helpers the demo servers share.
import type { IncomingMessage } from 'node:http';

export const escapeHtml = (value: string): string => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Reads an application/x-www-form-urlencoded body, refusing anything over `limit` bytes. */
export async function readForm(req: IncomingMessage, limit = 64_000): Promise<URLSearchParams> {
  let body = '';
  for await (const chunk of req) {
    body += String(chunk);
    if (body.length > limit) throw new Error('form too large');
  }
  return new URLSearchParams(body);
}
