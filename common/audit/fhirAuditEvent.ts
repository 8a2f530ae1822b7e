// Renders a Cordon audit event as a FHIR R4 AuditEvent, following DICOM PS3.15 A.5 and
// IHE BALP: who (the user by IdP subject, the device as the application, the IdP for
// token events), what happened (DICOM type and subtype, action, outcome), where (the
// device as the observing source) and on what (session, app and origin; never PHI,
// never a full URL).
import { eventCategory, eventSubtypes, AUDIT_CATALOG, type AuditEventType, type Coding } from './auditCatalog';
import type { AuditEvent } from './auditSink';

export interface AuditContext {
  /** The IdP that names users (its issuer URL); null when the collector was not told it. */
  issuer: string | null;
  device: { id: string; name: string };
  /** The Cordon version the device last started with, when known. */
  software: string | null;
}

/** FHIR AuditEvent.outcome: 0 success, 4 minor failure, 8 serious failure, 12 major failure. */
export type FhirOutcome = '0' | '4' | '8' | '12';

const DCM = 'http://dicom.nema.org/resources/ontology/DCM';
export const ENTITY_TYPE_SYSTEM_OBJECT: Coding = { system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type', code: '2', display: 'System Object' };
const SOURCE_USER_DEVICE: Coding = { system: 'http://terminology.hl7.org/CodeSystem/security-source-type', code: '1', display: 'User Device' };
export const AGENT_HUMAN_USER: Coding = { system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType', code: 'IRCP', display: 'information recipient' };
export const AGENT_APPLICATION: Coding = { system: DCM, code: '110150', display: 'Application' };
const AGENT_AUTHORIZATION_SERVER: Coding = { system: 'https://profiles.ihe.net/ITI/BALP/CodeSystem/UserAgentTypes', code: 'AuthzOauthService', display: 'OAuth Authorization Server' };
/** Subjects are scoped to their IdP; without its issuer they are still Cordon's subjects. */
const UNKNOWN_ISSUER_SYSTEM = 'urn:cordon:idp-subject';

/** Answers that look forged or foreign (a sign-in response, a policy): suspected compromise. */
const COMPROMISE_REASONS: ReadonlySet<string> = new Set(['issuer-mismatch', 'id-token-invalid', 'bad-signature', 'untrusted-key']);
/** The IdP could not be reached or answered wrongly: a real failure, not a refusal. */
const IDP_FAILURE_REASONS: ReadonlySet<string> = new Set(['idp-unreachable', 'idp-misconfigured', 'idp-error']);
/** An active attack on the trail or on a security control, whatever the event's outcome word. */
const COMPROMISE_TYPES: ReadonlySet<AuditEventType> = new Set(['audit.tamper-detected', 'watermark.tampered']);
const TOKEN_REFUSAL_TYPES: ReadonlySet<AuditEventType> = new Set(['sign-in.failed', 'reauth.failed', 'session.renewal-failed']);

/** 4 for refusals, 8 only for real failures, 12 for suspected compromise. */
export function fhirOutcome(event: Pick<AuditEvent, 'type' | 'outcome' | 'reason'>): FhirOutcome {
  if (event.outcome === 'success') return '0';
  const reason = event.reason ?? '';
  if (COMPROMISE_TYPES.has(event.type) || COMPROMISE_REASONS.has(reason)) return '12';
  if (TOKEN_REFUSAL_TYPES.has(event.type)) return IDP_FAILURE_REASONS.has(reason) ? '8' : '4';
  // Soft limit (failure): delivery lags; hard limit (blocked): the workspace locked for it.
  if (event.type === 'audit.queue-pressure') return event.outcome === 'blocked' ? '8' : '4';
  if (event.type === 'policy.refused') return '4';
  if (event.type === 'audit.enrollment-failed') return reason === 'refused' || reason === 'invalid-proof' ? '4' : '8';
  return event.outcome === 'blocked' ? '4' : '8';
}

export interface FhirAuditEvent {
  resourceType: 'AuditEvent';
  id?: string;
  type: Coding;
  subtype: Coding[];
  action: string;
  recorded: string;
  outcome: FhirOutcome;
  outcomeDesc?: string;
  agent: FhirAgent[];
  source: { observer: FhirReference; type: Coding[] };
  entity?: FhirEntity[];
}

export interface FhirReference {
  identifier?: { system: string; value: string };
  display?: string;
}

export interface FhirAgent {
  type: { coding: Coding[] };
  who: FhirReference;
  requestor: boolean;
}

export interface FhirEntity {
  what?: FhirReference;
  type: Coding;
  role?: Coding;
  description?: string;
  query?: string;
  detail?: { type: string; valueString: string }[];
}

function humanAgents(event: AuditEvent, context: AuditContext): FhirAgent[] {
  const user = (subject: string, requestor: boolean): FhirAgent => ({ type: { coding: [AGENT_HUMAN_USER] }, who: { identifier: { system: context.issuer ?? UNKNOWN_ISSUER_SYSTEM, value: subject } }, requestor });
  // Someone other than the signed-in user tried to unlock: name the session's user, and the attempt as someone else's.
  if (event.type === 'reauth.failed' && event.reason === 'wrong-user' && event.subject !== undefined) {
    return [{ type: { coding: [AGENT_HUMAN_USER] }, who: { display: 'another person (the identity provider named someone other than the signed-in user)' }, requestor: true }, user(event.subject, false)];
  }
  if (event.subject !== undefined) return [user(event.subject, true)];
  // A failed sign-in is someone's attempt even when the IdP never said whose.
  if (event.type === 'sign-in.failed') return [{ type: { coding: [AGENT_HUMAN_USER] }, who: { display: 'the person who tried to sign in (not identified by the identity provider)' }, requestor: true }];
  return [];
}

function outcomeDescription(event: AuditEvent, outcome: FhirOutcome): string | undefined {
  if (outcome === '0') return event.reason;
  const what = AUDIT_CATALOG[event.type].description;
  return event.reason === undefined ? what : `${what}: ${event.reason}`;
}

export function toFhirAuditEvent(event: AuditEvent, context: AuditContext): FhirAuditEvent {
  const humans = humanAgents(event, context);
  const agents: FhirAgent[] = [
    ...humans,
    { type: { coding: [AGENT_APPLICATION] }, who: { identifier: { system: 'urn:cordon:device', value: context.device.id }, display: context.device.name }, requestor: humans.length === 0 },
  ];
  // BALP's IUA pattern: the IdP that issued (or refused) the tokens takes part.
  if ('token' in AUDIT_CATALOG[event.type] && context.issuer !== null) {
    agents.push({ type: { coding: [AGENT_AUTHORIZATION_SERVER] }, who: { identifier: { system: 'urn:ietf:rfc:3986', value: context.issuer } }, requestor: false });
  }
  const entities: FhirEntity[] = [];
  // The session code shown in the watermark, so a photo of the screen finds this event.
  if (event.session !== undefined) entities.push({ what: { identifier: { system: 'urn:cordon:session', value: event.session } }, type: ENTITY_TYPE_SYSTEM_OBJECT });
  if (event.appId !== undefined || event.origin !== undefined) {
    entities.push({
      what: { identifier: { system: 'urn:cordon:app', value: event.appId ?? 'shell' } },
      type: ENTITY_TYPE_SYSTEM_OBJECT,
      ...(event.origin === undefined ? {} : { detail: [{ type: 'origin', valueString: event.origin }] }),
    });
  }
  const outcome = fhirOutcome(event);
  const outcomeDesc = outcomeDescription(event, outcome);
  return {
    resourceType: 'AuditEvent',
    type: eventCategory(event.type),
    subtype: eventSubtypes(event.type),
    action: AUDIT_CATALOG[event.type].action,
    recorded: event.recordedAt,
    outcome,
    ...(outcomeDesc === undefined ? {} : { outcomeDesc }),
    agent: agents,
    source: {
      observer: { identifier: { system: 'urn:cordon:device', value: context.device.id }, display: context.software === null ? context.device.name : `${context.device.name} (Cordon ${context.software})` },
      type: [SOURCE_USER_DEVICE],
    },
    ...(entities.length === 0 ? {} : { entity: entities }),
  };
}
