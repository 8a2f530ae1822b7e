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

/** DICOM event type codes (DCID 400). Audit Log Used is only for reading an audit log (an export). */
export const EVENT_CATEGORY = {
  applicationActivity: { system: DCM, code: '110100', display: 'Application Activity' },
  auditLogUsed: { system: DCM, code: '110101', display: 'Audit Log Used' },
  securityAlert: { system: DCM, code: '110113', display: 'Security Alert' },
  userAuthentication: { system: DCM, code: '110114', display: 'User Authentication' },
} as const satisfies Record<string, Coding>;

/** DICOM subtypes: DCID 401 for application and authentication events, DCID 403 for every security alert. */
const DCM_SUBTYPE = {
  applicationStart: { system: DCM, code: '110120', display: 'Application Start' },
  applicationStop: { system: DCM, code: '110121', display: 'Application Stop' },
  login: { system: DCM, code: '110122', display: 'Login' },
  logout: { system: DCM, code: '110123', display: 'Logout' },
  nodeAuthentication: { system: DCM, code: '110126', display: 'Node Authentication' },
  securityConfiguration: { system: DCM, code: '110129', display: 'Security Configuration' },
  softwareConfiguration: { system: DCM, code: '110131', display: 'Software Configuration' },
  useOfRestrictedFunction: { system: DCM, code: '110132', display: 'Use of Restricted Function' },
  auditRecordingStopped: { system: DCM, code: '110133', display: 'Audit Recording Stopped' },
  localServiceOperationStopped: { system: DCM, code: '110142', display: 'Local Service Operation Stopped' },
} as const satisfies Record<string, Coding>;

/** IHE IUA ITI-71 (BALP's pattern for obtaining an OAuth token): sign-in, re-authentication, renewal. */
export const IUA_GET_ACCESS_TOKEN: Coding = { system: 'urn:ihe:event-type-code', code: 'ITI-71', display: 'Get Access Token' };

type SecurityAlertSubtype = 'nodeAuthentication' | 'securityConfiguration' | 'softwareConfiguration' | 'useOfRestrictedFunction' | 'auditRecordingStopped' | 'localServiceOperationStopped';

type CatalogEntry = {
  /** FHIR AuditEvent.action: C create, R read, U update, D delete, E execute. */
  action: 'C' | 'R' | 'U' | 'D' | 'E';
  description: string;
  /** The event obtains tokens from the practice IdP (BALP's IUA pattern applies). */
  token?: true;
} & (
  | { category: 'securityAlert'; dicomSubtype: SecurityAlertSubtype }
  | { category: 'applicationActivity'; dicomSubtype?: 'applicationStart' | 'applicationStop' }
  | { category: 'userAuthentication'; dicomSubtype?: 'login' | 'logout' }
);

export const AUDIT_CATALOG = {
  'app.started': { category: 'applicationActivity', dicomSubtype: 'applicationStart', action: 'E', description: 'Cordon started' },
  'app.stopped': { category: 'applicationActivity', dicomSubtype: 'applicationStop', action: 'E', description: 'Cordon stopped' },
  'app.launch-refused': { category: 'securityAlert', dicomSubtype: 'useOfRestrictedFunction', action: 'E', description: 'Cordon refused to start with unsafe switches, arguments or environment variables' },
  'policy.loaded': { category: 'securityAlert', dicomSubtype: 'securityConfiguration', action: 'R', description: 'managed policy loaded' },
  'policy.refused': { category: 'securityAlert', dicomSubtype: 'securityConfiguration', action: 'R', description: 'managed policy refused' },
  // Reason: user-scope-registry-value or user-preference (a policy a user, not IT, put in place).
  'policy.ignored': { category: 'securityAlert', dicomSubtype: 'securityConfiguration', action: 'R', description: 'a policy outside the places only an administrator controls was ignored' },
  'sign-in.succeeded': { category: 'userAuthentication', dicomSubtype: 'login', action: 'E', token: true, description: 'sign-in' },
  'sign-in.failed': { category: 'userAuthentication', dicomSubtype: 'login', action: 'E', token: true, description: 'sign-in refused (including missing MFA)' },
  'reauth.succeeded': { category: 'userAuthentication', dicomSubtype: 'login', action: 'E', token: true, description: 're-authentication to unlock' },
  'reauth.failed': { category: 'userAuthentication', dicomSubtype: 'login', action: 'E', token: true, description: 're-authentication refused' },
  'sign-out': { category: 'userAuthentication', dicomSubtype: 'logout', action: 'E', description: 'sign-out' },
  'session.renewed': { category: 'userAuthentication', action: 'E', token: true, description: 'tokens renewed' },
  'session.renewal-failed': { category: 'userAuthentication', action: 'E', token: true, description: 'token renewal failed' },
  'session.locked': { category: 'userAuthentication', action: 'E', description: 'workspace locked' },
  'session.unlocked': { category: 'userAuthentication', action: 'E', description: 'workspace unlocked' },
  'session.logoff': { category: 'userAuthentication', dicomSubtype: 'logout', action: 'E', description: 'automatic logoff' },
  'app.opened': { category: 'applicationActivity', action: 'E', description: 'hosted app opened' },
  'app.closed': { category: 'applicationActivity', action: 'E', description: 'hosted app closed' },
  // The app's own sign-out (one of its signed-out pages showed); origin only, never the page's path or query.
  'app.signed-out': { category: 'applicationActivity', action: 'E', description: 'a hosted app signed the VA out' },
  'navigation.blocked': { category: 'securityAlert', dicomSubtype: 'useOfRestrictedFunction', action: 'E', description: 'navigation blocked' },
  'window-open.blocked': { category: 'securityAlert', dicomSubtype: 'useOfRestrictedFunction', action: 'E', description: 'new window blocked' },
  'request.blocked': { category: 'securityAlert', dicomSubtype: 'useOfRestrictedFunction', action: 'E', description: 'request blocked' },
  'permission.denied': { category: 'securityAlert', dicomSubtype: 'useOfRestrictedFunction', action: 'E', description: 'permission denied' },
  'download.blocked': { category: 'securityAlert', dicomSubtype: 'useOfRestrictedFunction', action: 'E', description: 'download blocked' },
  'upload.blocked': { category: 'securityAlert', dicomSubtype: 'useOfRestrictedFunction', action: 'E', description: 'file upload blocked' },
  'print.blocked': { category: 'securityAlert', dicomSubtype: 'useOfRestrictedFunction', action: 'E', description: 'printing blocked' },
  'clipboard.blocked': { category: 'securityAlert', dicomSubtype: 'useOfRestrictedFunction', action: 'E', description: 'clipboard use blocked' },
  'capture.blocked': { category: 'securityAlert', dicomSubtype: 'useOfRestrictedFunction', action: 'E', description: 'screen capture blocked or capture tool detected' },
  'watermark.tampered': { category: 'securityAlert', dicomSubtype: 'useOfRestrictedFunction', action: 'E', description: 'a hosted page tried to remove, restyle or cover the watermark' },
  'webview.blocked': { category: 'securityAlert', dicomSubtype: 'useOfRestrictedFunction', action: 'E', description: 'embedded webview blocked' },
  // A TLS client certificate authenticates this computer to a server: DICOM's node authentication.
  'client-certificate.refused': { category: 'securityAlert', dicomSubtype: 'nodeAuthentication', action: 'E', description: 'a server asked for a TLS client certificate and none was sent' },
  'client-certificate.sent': { category: 'securityAlert', dicomSubtype: 'nodeAuthentication', action: 'E', description: 'a TLS client certificate the policy allows was sent' },
  'devtools.blocked': { category: 'securityAlert', dicomSubtype: 'useOfRestrictedFunction', action: 'E', description: 'developer tools blocked' },
  'ipc.refused': { category: 'securityAlert', dicomSubtype: 'useOfRestrictedFunction', action: 'E', description: 'message to Cordon refused' },
  'renderer.gone': { category: 'securityAlert', dicomSubtype: 'localServiceOperationStopped', action: 'E', description: 'page process crashed' },
  'preload.failed': { category: 'securityAlert', dicomSubtype: 'localServiceOperationStopped', action: 'E', description: 'page guard failed to load' },
  // Both stop the trail reaching the practice (the sync stops, or a stretch never arrives).
  'audit.sync-gap': { category: 'securityAlert', dicomSubtype: 'auditRecordingStopped', action: 'E', description: 'gap in the audit sequence' },
  'audit.tamper-detected': { category: 'securityAlert', dicomSubtype: 'auditRecordingStopped', action: 'E', description: 'audit trail tampering detected' },
  // Enrollment registers the device key with the collector: the device authenticating as a node.
  'audit.device-enrolled': { category: 'securityAlert', dicomSubtype: 'nodeAuthentication', action: 'C', description: 'device enrolled with the collector' },
  'audit.enrollment-failed': { category: 'securityAlert', dicomSubtype: 'nodeAuthentication', action: 'C', description: 'device enrollment with the collector refused or failed' },
  'audit.queue-pressure': { category: 'applicationActivity', action: 'E', description: 'unsent audit events past a limit' },
  // Reason `<check>:<result>:<level>`, e.g. diskEncryption:fail:required; never what the check saw.
  'device.posture-changed': { category: 'applicationActivity', action: 'E', description: 'a device posture check changed its result' },
  // Reason `<document>@<version> sha256:<hex> amr:<methods>` (common/gates/agreementEvent.ts); never the text.
  'agreement.accepted': { category: 'applicationActivity', action: 'E', description: 'an agreement the policy lists was accepted' },
  'agreement.declined': { category: 'applicationActivity', action: 'E', description: 'an agreement the policy lists was declined (the VA was signed out)' },
  // Reason `<document>@<version>:<why>` (unreachable, http-<status>, too-large, hash-mismatch, not-approved), origin only.
  'agreement.unavailable': { category: 'securityAlert', dicomSubtype: 'securityConfiguration', action: 'R', description: 'an agreement to accept could not be fetched or did not match its SHA-256' },
  // Reason `<code>` or `<code>:<course>`: training-overdue:<course>, training-unconfirmed, training-unknown (common/gates/trainingAssessment.ts).
  'training.closed': { category: 'applicationActivity', action: 'E', description: 'hosted apps closed for training overdue or not confirmed with the collector' },
  'training.cleared': { category: 'applicationActivity', action: 'E', description: 'training no longer keeps hosted apps closed' },
  // Reason `<course>:due-soon` or `<course>:overdue` (within the grace period).
  'training.due': { category: 'applicationActivity', action: 'E', description: 'the VA was told a training course is due soon or overdue' },
  // Reason: not-json, malformed, bad-signature, other-subject, other-device, other-challenge or clock-skew. The collector authenticating its answer: node authentication.
  'training.status-refused': { category: 'securityAlert', dicomSubtype: 'nodeAuthentication', action: 'E', description: "a training status answer was refused (not signed by the policy's collector key, or not for this VA, device or request)" },
  // Reason `device:<why>` or `user:<why>`, why being revoked or access-ended (common/audit/accessProtocol.ts); never who revoked it.
  'access.revoked': { category: 'securityAlert', dicomSubtype: 'securityConfiguration', action: 'E', description: "the collector said this device's or this VA's access to the practice has ended: the VA was signed out and the sessions wiped" },
  'access.reinstated': { category: 'securityAlert', dicomSubtype: 'securityConfiguration', action: 'E', description: "the collector said this device's access, ended before, was reinstated by IT" },
  // Reason `declined:<collector error>` (e.g. declined:stale-request, a clock too far off), `refused:<why>` (an answer not believed) or `offline` (past the policy's offline days).
  'access.unconfirmed': { category: 'securityAlert', dicomSubtype: 'nodeAuthentication', action: 'E', description: "hosted apps closed: the VA's access could not be confirmed with the collector" },
  // Reason as for training.status-refused.
  'access.status-refused': { category: 'securityAlert', dicomSubtype: 'nodeAuthentication', action: 'E', description: "an access status answer was refused (not signed by the policy's collector key, or not for this device, VA or request)" },
  // Reason: the version and the key that signed its manifest; never a URL with credentials.
  'update.available': { category: 'applicationActivity', action: 'E', description: 'a signed Cordon update was found and is downloading' },
  'update.verified': { category: 'securityAlert', dicomSubtype: 'softwareConfiguration', action: 'E', description: 'a downloaded Cordon update matched its signed manifest; it installs at the next restart' },
  // Reason: malformed, untrusted-key, bad-signature, wrong-product, channel-mismatch, downgrade, download-mismatch, updater-error.
  'update.refused': { category: 'securityAlert', dicomSubtype: 'softwareConfiguration', action: 'E', description: 'a Cordon update was refused (unsigned, altered, wrong key, older, another channel, or not the signed bytes)' },
} as const satisfies Record<string, CatalogEntry>;

export type AuditEventType = keyof typeof AUDIT_CATALOG;
export const AUDIT_EVENT_TYPES = Object.keys(AUDIT_CATALOG) as AuditEventType[];

export function eventCategory(type: AuditEventType): Coding {
  return EVENT_CATEGORY[AUDIT_CATALOG[type].category];
}

/** The DICOM subtype where one applies, ITI-71 for token events, and always Cordon's own code. */
export function eventSubtypes(type: AuditEventType): Coding[] {
  const entry: CatalogEntry = AUDIT_CATALOG[type];
  const own = { system: CORDON_SUBTYPE_SYSTEM, code: type, display: entry.description };
  return [...(entry.dicomSubtype === undefined ? [] : [DCM_SUBTYPE[entry.dicomSubtype]]), ...(entry.token === true ? [IUA_GET_ACCESS_TOKEN] : []), own];
}
