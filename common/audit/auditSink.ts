// The audit interface every part of Cordon records security events through. Events
// describe actions, never content: an origin at most, never a full URL (whose path or
// query may hold PHI), never page text.

import { parseUrl } from '../net/origin';
import type { AuditEventType } from './auditCatalog';


export interface AuditEventInput {
  type: AuditEventType;
  outcome: 'success' | 'failure' | 'blocked';
  /** The hosted app concerned, if any. */
  appId?: string;
  /** The origin (or bare scheme, for non-web URLs) concerned; never a full URL. */
  origin?: string;
  /** A short machine-readable reason (a code, a permission name, a channel). */
  reason?: string;
}

export interface AuditEvent extends AuditEventInput {
  recordedAt: string;
  /** The signed-in user's IdP subject (never their name), when someone is signed in. */
  subject?: string;
  /** The session code shown in the watermark. */
  session?: string;
}

export interface AuditSink {
  record(event: AuditEventInput): void;
}

/** What of a URL may enter the audit trail: its origin, or its scheme when it has none. */
export function auditableOrigin(url: string): string {
  const parsed = parseUrl(url);
  if (parsed === null) return 'invalid-url';
  if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return parsed.origin;
  // Other schemes (ws:, cordon://app, mailto:): keep scheme and host, drop the rest.
  return parsed.host === '' ? parsed.protocol : `${parsed.protocol}//${parsed.host}`;
}
