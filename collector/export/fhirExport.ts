// The FHIR R4 export: a Bundle of AuditEvents, type `collection` (a document of the
// selection) or `transaction` (POSTs a FHIR server loads atomically). Each device event is
// rendered by common/audit/fhirAuditEvent; the bundle opens with the export's own record,
// the one place Audit Log Used (DICOM 110101) belongs: someone read the audit log.
import { createHash, randomUUID } from 'node:crypto';
import { EVENT_CATEGORY } from '../../common/audit/auditCatalog';
import { AGENT_APPLICATION, AGENT_HUMAN_USER, ENTITY_TYPE_SYSTEM_OBJECT, toFhirAuditEvent, type FhirAuditEvent } from '../../common/audit/fhirAuditEvent';
import type { AuditEvent } from '../../common/audit/auditSink';
import type { ExportSelection } from './exportSelection';

export type BundleKind = 'collection' | 'transaction';

/** Who exported: a console user (IdP subject and name) or the collector's command line. */
export interface ExportActor {
  subject: string | null;
  display: string;
}

const OBJECT_ROLE_SECURITY_RESOURCE = { system: 'http://terminology.hl7.org/CodeSystem/object-role', code: '13', display: 'Security Resource' };
const SOURCE_APPLICATION_SERVER = { system: 'http://terminology.hl7.org/CodeSystem/security-source-type', code: '4', display: 'Application Server' };

/** A stable urn:uuid per device event, so a second export of the same event names it the same. */
function eventUuid(deviceId: string, seq: number): string {
  const hex = createHash('sha256').update(`cordon-event:${deviceId}:${seq}`).digest('hex');
  const variant = ((Number.parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** DICOM PS3.15 A.5.3.2 Audit Log Used: the reader, the collector, and the log as a security resource. */
function exportRecord(actor: ExportActor, issuer: string | null, filters: string, now: number): FhirAuditEvent {
  return {
    resourceType: 'AuditEvent',
    type: EVENT_CATEGORY.auditLogUsed,
    subtype: [],
    action: 'R',
    recorded: new Date(now).toISOString(),
    outcome: '0',
    agent: [
      { type: { coding: [AGENT_HUMAN_USER] }, who: actor.subject === null ? { display: actor.display } : { identifier: { system: issuer ?? 'urn:cordon:idp-subject', value: actor.subject }, display: actor.display }, requestor: true },
      { type: { coding: [AGENT_APPLICATION] }, who: { display: 'Cordon audit collector' }, requestor: false },
    ],
    source: { observer: { display: 'Cordon audit collector' }, type: [SOURCE_APPLICATION_SERVER] },
    entity: [
      {
        what: { identifier: { system: 'urn:cordon:audit-trail', value: 'devices' } },
        type: ENTITY_TYPE_SYSTEM_OBJECT,
        role: OBJECT_ROLE_SECURITY_RESOURCE,
        description: 'Cordon device audit trails, as selected by the console filters',
        query: Buffer.from(filters, 'utf8').toString('base64'),
      },
    ],
  };
}

export type FhirBundleResult = { ok: true; bundle: object } | { ok: false; message: string };

export function fhirBundle(selection: ExportSelection, kind: BundleKind, context: { actor: ExportActor; issuer: string | null; filters: string; now: number }): FhirBundleResult {
  const devices = new Map(selection.devices.map((d) => [d.deviceId, d]));
  const resources: { fullUrl: string; resource: FhirAuditEvent }[] = [{ fullUrl: `urn:uuid:${randomUUID()}`, resource: exportRecord(context.actor, context.issuer, context.filters, context.now) }];
  for (const e of selection.events) {
    const device = devices.get(e.deviceId);
    // Fail closed: a stored body that is no longer an audit event cannot be rendered truthfully.
    if (e.event === null || device === undefined) return { ok: false, message: `Event ${e.seq} of device ${e.deviceId} is not a valid Cordon audit event in the collector's database (changed after it was stored?); export it as CSV or as an evidence package, which show it as stored.` };
    // The body schema checked the type against the catalog; zod types it as a plain string.
    const resource = toFhirAuditEvent(e.event as AuditEvent, { issuer: context.issuer, device: { id: device.deviceId, name: device.deviceName }, software: device.software });
    // A collection keeps the chain position as the id; a server assigns its own on POST.
    resources.push({ fullUrl: eventUuid(e.deviceId, e.seq), resource: kind === 'collection' ? { ...resource, id: `${e.deviceId}-${e.seq}` } : resource });
  }
  return {
    ok: true,
    bundle: {
      resourceType: 'Bundle',
      type: kind,
      timestamp: new Date(context.now).toISOString(),
      entry: resources.map((r) => (kind === 'transaction' ? { ...r, request: { method: 'POST', url: 'AuditEvent' } } : r)),
    },
  };
}
