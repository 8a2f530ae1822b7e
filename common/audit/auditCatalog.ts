// Every kind of event Cordon audits, with its FHIR R4 AuditEvent classification
// (DICOM audit codes, as IHE BALP uses them). One place: the event type list, the codes
// and the FHIR rendering all come from here.

const DCM = 'http://dicom.nema.org/resources/ontology/DCM';
export const CORDON_SUBTYPE_SYSTEM = 'urn:cordon:audit-event';

export interface Coding {
  system: string;
  code: string;
  display: string;
}

/** DICOM event type codes. */
export const EVENT_CATEGORY = {
  applicationActivity: { system: DCM, code: '110100', display: 'Application Activity' },
  securityAlert: { system: DCM, code: '110113', display: 'Security Alert' },
  userAuthentication: { system: DCM, code: '110114', display: 'User Authentication' },
  auditLogUsed: { system: DCM, code: '110101', display: 'Audit Log Used' },
} as const satisfies Record<string, Coding>;

/** DICOM subtype codes where one fits; Cordon's own code otherwise. */
const DCM_SUBTYPE = {
  login: { system: DCM, code: '110122', display: 'Login' },
  logout: { system: DCM, code: '110123', display: 'Logout' },
  applicationStart: { system: DCM, code: '110120', display: 'Application Start' },
  applicationStop: { system: DCM, code: '110121', display: 'Application Stop' },
} as const satisfies Record<string, Coding>;

interface CatalogEntry {
  category: keyof typeof EVENT_CATEGORY;
  /** A DICOM subtype, when the event is one of those; every event also gets Cordon's own. */
  dicomSubtype?: keyof typeof DCM_SUBTYPE;
  /** FHIR AuditEvent.action: C create, R read, U update, D delete, E execute. */
  action: 'C' | 'R' | 'U' | 'D' | 'E';
  description: string;
}

export const AUDIT_CATALOG = {
  'app.started': { category: 'applicationActivity', dicomSubtype: 'applicationStart', action: 'E', description: 'Cordon started' },
  'app.stopped': { category: 'applicationActivity', dicomSubtype: 'applicationStop', action: 'E', description: 'Cordon stopped' },
  'app.launch-refused': { category: 'securityAlert', action: 'E', description: 'Cordon refused to start with unsafe switches, arguments or environment variables' },
  'policy.loaded': { category: 'applicationActivity', action: 'R', description: 'managed policy loaded' },
  'policy.refused': { category: 'securityAlert', action: 'R', description: 'managed policy refused' },
  'sign-in.succeeded': { category: 'userAuthentication', dicomSubtype: 'login', action: 'E', description: 'sign-in' },
  'sign-in.failed': { category: 'userAuthentication', dicomSubtype: 'login', action: 'E', description: 'sign-in refused (including missing MFA)' },
  'reauth.succeeded': { category: 'userAuthentication', dicomSubtype: 'login', action: 'E', description: 're-authentication to unlock' },
  'reauth.failed': { category: 'userAuthentication', dicomSubtype: 'login', action: 'E', description: 're-authentication refused' },
  'sign-out': { category: 'userAuthentication', dicomSubtype: 'logout', action: 'E', description: 'sign-out' },
  'session.renewed': { category: 'userAuthentication', action: 'E', description: 'tokens renewed' },
  'session.renewal-failed': { category: 'userAuthentication', action: 'E', description: 'token renewal failed' },
  'session.locked': { category: 'userAuthentication', action: 'E', description: 'workspace locked' },
  'session.unlocked': { category: 'userAuthentication', action: 'E', description: 'workspace unlocked' },
  'session.logoff': { category: 'userAuthentication', dicomSubtype: 'logout', action: 'E', description: 'automatic logoff' },
  'app.opened': { category: 'applicationActivity', action: 'E', description: 'hosted app opened' },
  'app.closed': { category: 'applicationActivity', action: 'E', description: 'hosted app closed' },
  'navigation.blocked': { category: 'securityAlert', action: 'E', description: 'navigation blocked' },
  'window-open.blocked': { category: 'securityAlert', action: 'E', description: 'new window blocked' },
  'request.blocked': { category: 'securityAlert', action: 'E', description: 'request blocked' },
  'permission.denied': { category: 'securityAlert', action: 'E', description: 'permission denied' },
  'download.blocked': { category: 'securityAlert', action: 'E', description: 'download blocked' },
  'upload.blocked': { category: 'securityAlert', action: 'E', description: 'file upload blocked' },
  'print.blocked': { category: 'securityAlert', action: 'E', description: 'printing blocked' },
  'clipboard.blocked': { category: 'securityAlert', action: 'E', description: 'clipboard use blocked' },
  'capture.blocked': { category: 'securityAlert', action: 'E', description: 'screen capture blocked or capture tool detected' },
  'watermark.tampered': { category: 'securityAlert', action: 'E', description: 'a hosted page tried to remove, restyle or cover the watermark' },
  'webview.blocked': { category: 'securityAlert', action: 'E', description: 'embedded webview blocked' },
  'client-certificate.refused': { category: 'securityAlert', action: 'E', description: 'a server asked for a TLS client certificate and none was sent' },
  'client-certificate.sent': { category: 'securityAlert', action: 'E', description: 'a TLS client certificate the policy allows was sent' },
  'devtools.blocked': { category: 'securityAlert', action: 'E', description: 'developer tools blocked' },
  'ipc.refused': { category: 'securityAlert', action: 'E', description: 'message to Cordon refused' },
  'renderer.gone': { category: 'securityAlert', action: 'E', description: 'page process crashed' },
  'preload.failed': { category: 'securityAlert', action: 'E', description: 'page guard failed to load' },
  'audit.sync-gap': { category: 'auditLogUsed', action: 'E', description: 'gap in the audit sequence' },
  'audit.tamper-detected': { category: 'securityAlert', action: 'E', description: 'audit trail tampering detected' },
  'audit.device-enrolled': { category: 'auditLogUsed', action: 'C', description: 'device enrolled with the collector' },
  'audit.enrollment-failed': { category: 'auditLogUsed', action: 'C', description: 'device enrollment with the collector refused or failed' },
  'audit.queue-pressure': { category: 'auditLogUsed', action: 'E', description: 'unsent audit events past a limit' },
} as const satisfies Record<string, CatalogEntry>;

export type AuditEventType = keyof typeof AUDIT_CATALOG;
export const AUDIT_EVENT_TYPES = Object.keys(AUDIT_CATALOG) as AuditEventType[];

export function eventCategory(type: AuditEventType): Coding {
  return EVENT_CATEGORY[AUDIT_CATALOG[type].category];
}

export function eventSubtypes(type: AuditEventType): Coding[] {
  const entry: CatalogEntry = AUDIT_CATALOG[type];
  const own = { system: CORDON_SUBTYPE_SYSTEM, code: type, display: entry.description };
  return entry.dicomSubtype === undefined ? [own] : [DCM_SUBTYPE[entry.dicomSubtype], own];
}
