// What one verified batch adds to the console's session index: each event's columns and,
// per session code, how the session's row grows. Pure; the store applies it in the same
// transaction as the events, so the index never disagrees with the chain.
import type { VerifiedEvent } from '../ingestVerifier';

/** Event types that end a session (a sign-out, or the automatic logoff). */
export const SESSION_END_TYPES: ReadonlySet<string> = new Set(['sign-out', 'session.logoff']);
export const SESSION_LOCK_TYPES: ReadonlySet<string> = new Set(['session.locked']);

export interface IndexedEvent {
  seq: number;
  sessionCode: string | null;
  subject: string | null;
  type: string;
  recordedAt: number;
}

export interface SessionDelta {
  code: string;
  subject: string | null;
  startedAt: number;
  endedAt: number | null;
  lastEventAt: number;
  firstSeq: number;
  lastSeq: number;
  events: number;
  blocks: number;
  locks: number;
  apps: Set<string>;
}

/** The events' fields as the verifier checked them (ingestVerifier): bodies are not parsed twice. */
export function indexBatch(events: readonly VerifiedEvent[]): { events: IndexedEvent[]; sessions: SessionDelta[] } {
  const indexed: IndexedEvent[] = [];
  const sessions = new Map<string, SessionDelta>();
  for (const event of events) {
    const body = event.fields;
    const recordedAt = Date.parse(body.recordedAt);
    indexed.push({ seq: event.seq, sessionCode: body.session ?? null, subject: body.subject ?? null, type: body.type, recordedAt });
    if (body.session === undefined) continue;
    const delta = sessions.get(body.session) ?? {
      code: body.session,
      subject: null,
      startedAt: recordedAt,
      endedAt: null,
      lastEventAt: recordedAt,
      firstSeq: event.seq,
      lastSeq: event.seq,
      events: 0,
      blocks: 0,
      locks: 0,
      apps: new Set<string>(),
    };
    delta.subject ??= body.subject ?? null;
    delta.startedAt = Math.min(delta.startedAt, recordedAt);
    delta.lastEventAt = Math.max(delta.lastEventAt, recordedAt);
    if (SESSION_END_TYPES.has(body.type)) delta.endedAt = Math.max(delta.endedAt ?? recordedAt, recordedAt);
    delta.lastSeq = event.seq;
    delta.events += 1;
    if (body.outcome === 'blocked') delta.blocks += 1;
    if (SESSION_LOCK_TYPES.has(body.type)) delta.locks += 1;
    if (body.appId !== undefined) delta.apps.add(body.appId);
    sessions.set(body.session, delta);
  }
  return { events: indexed, sessions: [...sessions.values()] };
}
