// Renders a Cordon audit event as a FHIR R4 AuditEvent (aligned with IHE BALP): who (the
// user's subject and the device), what happened (DICOM type and subtype, action,
// outcome), where (this Cordon install as the source) and on what (the app and origin;
// never PHI, never a full URL).
import { eventCategory, eventSubtypes, AUDIT_CATALOG, type Coding } from './auditCatalog';
import type { AuditEvent } from './auditSink';

export interface AuditContext {
  /**
   * The IdP that names users (issuer), and the signed-in person when the event itself
   * does not say (events recorded in a session carry the subject themselves).
   */
  user: { issuer: string; subject: string | null };
  device: { id: string; name: string };
  install: { id: string; version: string };
}

/** FHIR AuditEvent.outcome: 0 success, 4 minor failure, 8 serious failure, 12 major failure. */
const OUTCOME_CODES: Record<AuditEvent['outcome'], '0' | '4' | '8'> = { success: '0', blocked: '4', failure: '8' };

const ENTITY_TYPE_SYSTEM_OBJECT: Coding = { system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type', code: '2', display: 'System Object' };
const SOURCE_USER_DEVICE: Coding = { system: 'http://terminology.hl7.org/CodeSystem/security-source-type', code: '1', display: 'End-user display device, diagnostic display' };
const AGENT_HUMAN_USER: Coding = { system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType', code: 'IRCP', display: 'information recipient' };
const AGENT_APPLICATION: Coding = { system: 'http://dicom.nema.org/resources/ontology/DCM', code: '110150', display: 'Application' };

export interface FhirAuditEvent {
  resourceType: 'AuditEvent';
  type: Coding;
  subtype: Coding[];
  action: string;
  recorded: string;
  outcome: string;
  outcomeDesc?: string;
  agent: unknown[];
  source: unknown;
  entity?: unknown[];
}

export function toFhirAuditEvent(event: AuditEvent, context: AuditContext): FhirAuditEvent {
  const subject = event.subject ?? context.user.subject;
  const agents: unknown[] = [
    {
      type: { coding: [AGENT_APPLICATION] },
      who: { identifier: { system: 'urn:cordon:device', value: context.device.id }, display: context.device.name },
      requestor: subject === null,
    },
  ];
  if (subject !== null) {
    agents.unshift({
      type: { coding: [AGENT_HUMAN_USER] },
      who: { identifier: { system: context.user.issuer, value: subject } },
      requestor: true,
    });
  }
  const entities: unknown[] = [];
  // The session code shown in the watermark, so a photo of the screen finds this event.
  if (event.session !== undefined) {
    entities.push({ what: { identifier: { system: 'urn:cordon:session', value: event.session } }, type: ENTITY_TYPE_SYSTEM_OBJECT });
  }
  if (event.appId !== undefined || event.origin !== undefined) {
    entities.push({
      what: { identifier: { system: 'urn:cordon:app', value: event.appId ?? 'shell' } },
      type: ENTITY_TYPE_SYSTEM_OBJECT,
      ...(event.origin === undefined ? {} : { detail: [{ type: 'origin', valueString: event.origin }] }),
    });
  }
  return {
    resourceType: 'AuditEvent',
    type: eventCategory(event.type),
    subtype: eventSubtypes(event.type),
    action: AUDIT_CATALOG[event.type].action,
    recorded: event.recordedAt,
    outcome: OUTCOME_CODES[event.outcome],
    ...(event.reason === undefined ? {} : { outcomeDesc: event.reason }),
    agent: agents,
    source: {
      observer: { identifier: { system: 'urn:cordon:install', value: context.install.id }, display: `Cordon ${context.install.version}` },
      type: [SOURCE_USER_DEVICE],
    },
    ...(entities.length === 0 ? {} : { entity: entities }),
  };
}
