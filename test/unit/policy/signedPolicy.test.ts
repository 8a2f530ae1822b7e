import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../common/policy/canonicalJson';
import { formatPolicyProblem } from '../../../common/policy/policyProblem';
import { evaluatePolicyFile, type BuildKind, type PolicyResult } from '../../../common/policy/signedPolicy';
import { createPolicyVerifier } from '../../../main/policy/policyKeys';
import { generatePolicyKeyPair, NOW, signedText, signPolicy, validPolicy } from '../../support/policyFixtures';

const keys = generatePolicyKeyPair();
const otherKeys = generatePolicyKeyPair();
const verifier = createPolicyVerifier([keys.publicKeyPem]);

function evaluate(text: string, options: { now?: Date; build?: BuildKind } = {}): PolicyResult {
  return evaluatePolicyFile(text, { file: '/etc/cordon/policy.json', verifier, now: options.now ?? NOW, build: options.build ?? 'production' });
}

function problemOf(result: PolicyResult) {
  if (result.ok) throw new Error('expected the policy to be refused');
  return result.problem;
}

describe('signed policy evaluation', () => {
  it('accepts a valid policy signed by a trusted key, applying defaults', () => {
    const result = evaluate(signedText(validPolicy(), keys));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.keyId).toBe(keys.keyId);
    expect(result.policy.practice.name).toBe('Test Family Practice');
    // Deny by default for everything the policy does not grant.
    expect(result.policy.apps[0]).toMatchObject({ downloads: 'deny', printing: 'deny', uploads: 'deny', permissions: [], session: 'shared' });
    expect(result.policy.environment).toBe('production');
    expect(result.policy.clientCertificates).toEqual({ allow: [] });
  });

  it('keeps the signature valid when the file is re-formatted or its keys reordered', () => {
    const signed = signPolicy(validPolicy(), keys);
    const reordered = { signature: signed.signature, policy: JSON.parse(canonicalJson(signed.policy)), format: signed.format };
    expect(evaluate(JSON.stringify(reordered)).ok).toBe(true);
  });

  it('refuses a file that is not JSON, naming the file, line and column', () => {
    const problem = problemOf(evaluate('{\n  "format": "cordon-policy/1",\n}'));
    expect(problem).toMatchObject({ code: 'not-json', file: '/etc/cordon/policy.json', reason: "not valid JSON (line 3, column 1: expected another field after the comma (JSON allows no comma before '}'))" });
  });

  it('refuses an unsigned policy', () => {
    const problem = problemOf(evaluate(JSON.stringify({ format: 'cordon-policy/1', policy: validPolicy() })));
    expect(problem).toMatchObject({ code: 'unsigned', field: 'signature' });
    expect(problemOf(evaluate(JSON.stringify(validPolicy()))).code).toBe('unsigned');
  });

  it('refuses a malformed signature block', () => {
    const signed = signPolicy(validPolicy(), keys);
    const problem = problemOf(evaluate(JSON.stringify({ ...signed, signature: { ...signed.signature, alg: 'RS256' } })));
    expect(problem).toMatchObject({ code: 'unsigned', field: 'signature.alg' });
  });

  it('refuses an unknown file format', () => {
    const signed = signPolicy(validPolicy(), keys);
    expect(problemOf(evaluate(JSON.stringify({ ...signed, format: 'cordon-policy/9' })))).toMatchObject({ code: 'unknown-format', field: 'format' });
  });

  it('refuses a policy signed by a key the build does not trust', () => {
    const problem = problemOf(evaluate(signedText(validPolicy(), otherKeys)));
    expect(problem).toMatchObject({ code: 'untrusted-key', field: 'signature.keyId' });
    expect(problem.reason).toBe(`signed with key ${otherKeys.keyId}, which this production build does not trust (it trusts only ${keys.keyId})`);
  });

  it('refuses a tampered policy (content changed after signing)', () => {
    const signed = signPolicy(validPolicy(), keys);
    const tampered = { ...signed, policy: { ...(signed.policy as object), clipboard: { mode: 'inbound-only' } } };
    const problem = problemOf(evaluate(JSON.stringify(tampered)));
    expect(problem).toMatchObject({ code: 'bad-signature', field: 'signature.value' });
    expect(formatPolicyProblem(problem)).toContain('altered after signing');
  });

  it('refuses a signature made by another key but labelled with a trusted key id', () => {
    const forged = signPolicy(validPolicy(), otherKeys);
    forged.signature.keyId = keys.keyId;
    expect(problemOf(evaluate(JSON.stringify(forged))).code).toBe('bad-signature');
  });

  it('refuses an unknown schema version, even when correctly signed', () => {
    const problem = problemOf(evaluate(signedText({ ...validPolicy(), schemaVersion: 2 }, keys)));
    expect(problem).toMatchObject({ code: 'unknown-version', field: 'policy.schemaVersion' });
  });

  it('refuses an expired policy and one not yet valid', () => {
    const text = signedText(validPolicy(), keys);
    expect(problemOf(evaluate(text, { now: new Date('2028-01-01T00:00:00Z') }))).toMatchObject({ code: 'expired', field: 'policy.expiresAt' });
    expect(problemOf(evaluate(text, { now: new Date('2026-06-01T00:00:00Z') }))).toMatchObject({ code: 'not-yet-valid', field: 'policy.issuedAt' });
  });

  it('refuses a demo policy in a production build but accepts it in a development build', () => {
    const text = signedText(validPolicy({ environment: 'demo' }), keys);
    expect(problemOf(evaluate(text, { build: 'production' }))).toMatchObject({ code: 'demo-policy-in-production' });
    expect(evaluate(text, { build: 'development' }).ok).toBe(true);
  });
});

describe('policy content validation (each kind of invalid names its field)', () => {
  const base = validPolicy();
  const [app] = base.apps;
  const cases: { name: string; policy: unknown; field: string; reason: RegExp }[] = [
    { name: 'missing practice', policy: { ...base, practice: undefined }, field: 'policy.practice', reason: /expected object/i },
    { name: 'no apps', policy: { ...base, apps: [] }, field: 'policy.apps', reason: /too small|at least/i },
    { name: 'bad app id', policy: { ...base, apps: [{ ...app, id: 'EHR!' }] }, field: 'policy.apps[0].id', reason: /lowercase/ },
    { name: 'duplicate app id', policy: { ...base, apps: [app, app] }, field: 'policy.apps[1].id', reason: /duplicate/ },
    { name: 'origin with a path', policy: { ...base, apps: [{ ...app, navigationOrigins: ['https://ehr.example.com/'] }] }, field: 'policy.apps[ehr].navigationOrigins[0]', reason: /bare origin/ },
    { name: 'start URL outside navigation origins', policy: { ...base, apps: [{ ...app, startUrl: 'https://elsewhere.example.net/' }] }, field: 'policy.apps[ehr].startUrl', reason: /not among navigationOrigins/ },
    { name: 'plain http origin', policy: { ...base, apps: [{ ...app, startUrl: 'http://ehr.example.com/', navigationOrigins: ['http://ehr.example.com'] }] }, field: 'policy.apps[ehr].startUrl', reason: /https/ },
    { name: 'loopback http outside a demo policy', policy: { ...base, audit: { ...base.audit, collectorUrl: 'http://127.0.0.1:4430' } }, field: 'policy.audit.collectorUrl', reason: /only in a demo policy/ },
    { name: 'unknown permission', policy: { ...base, apps: [{ ...app, permissions: ['usb'] }] }, field: 'policy.apps[ehr].permissions[0]', reason: /invalid option|expected one of/i },
    { name: 'scopes without openid', policy: { ...base, identity: { ...base.identity, scopes: ['profile'] } }, field: 'policy.identity.scopes', reason: /openid/ },
    { name: 'sign-in asset origin over plain http', policy: { ...base, identity: { ...base.identity, requestOrigins: ['http://cdn.idp.example'] } }, field: 'policy.identity.requestOrigins[0]', reason: /https/ },
    { name: 'sign-in asset origin with a path', policy: { ...base, identity: { ...base.identity, requestOrigins: ['https://cdn.idp.example/static'] } }, field: 'policy.identity.requestOrigins[0]', reason: /bare origin/ },
    { name: 'no MFA requirement', policy: { ...base, identity: { ...base.identity, mfa: {} } }, field: 'policy.identity.mfa', reason: /MFA is not optional/ },
    { name: 'logoff before lock', policy: { ...base, session: { idleLockMinutes: 10, logoffMinutes: 5 } }, field: 'policy.session.logoffMinutes', reason: /greater than idleLockMinutes/ },
    { name: 'unknown clipboard mode', policy: { ...base, clipboard: { mode: 'open' } }, field: 'policy.clipboard.mode', reason: /invalid option|expected one of/i },
    { name: 'watermark without session code', policy: { ...base, watermark: { template: '{user}' } }, field: 'policy.watermark.template', reason: /\{session\}/ },
    { name: 'watermark unknown placeholder', policy: { ...base, watermark: { template: '{session} {ssn}' } }, field: 'policy.watermark.template', reason: /unknown placeholder \{ssn\}/ },
    { name: 'hard limit below soft limit', policy: { ...base, audit: { ...base.audit, queueHardLimit: 10 } }, field: 'policy.audit.queueHardLimit', reason: /greater than queueSoftLimit/ },
    { name: 'expiry before issue', policy: { ...base, expiresAt: '2026-01-01T00:00:00Z' }, field: 'policy.expiresAt', reason: /later than issuedAt/ },
    { name: 'date without timezone', policy: { ...base, expiresAt: '2027-12-31' }, field: 'policy.expiresAt', reason: /ISO 8601/ },
    { name: 'client certificate rule over plain http', policy: { ...base, clientCertificates: { allow: [{ origin: 'http://ehr.example.com', issuerCommonName: 'Practice CA' }] } }, field: 'policy.clientCertificates.allow[0].origin', reason: /https/ },
    { name: 'client certificate rule without issuer', policy: { ...base, clientCertificates: { allow: [{ origin: 'https://ehr.example.com' }] } }, field: 'policy.clientCertificates.allow[0].issuerCommonName', reason: /expected string/i },
    { name: 'unknown field (typo of a control)', policy: { ...base, clipbaord: { mode: 'blocked' } }, field: 'policy.clipbaord', reason: /^unknown field; did you mean "clipboard"\?$/ },
    { name: "unknown field in an app, named by the app's id", policy: { ...base, apps: [app, { ...app, id: 'fax', printng: 'allow' }] }, field: 'policy.apps[fax].printng', reason: /^unknown field; did you mean "printing"\?$/ },
    { name: 'wrongly capitalised field', policy: { ...base, session: { IdleLockMinutes: 5, idleLockMinutes: 5, logoffMinutes: 30 } }, field: 'policy.session.IdleLockMinutes', reason: /did you mean "idleLockMinutes"/ },
    { name: 'unknown field like no known one, listing the known ones', policy: { ...base, updates: { channel: 'stable', colour: 'blue' } }, field: 'policy.updates.colour', reason: /^unknown field; the fields here are channel, feedUrl, minimumVersion$/ },
  ];

  for (const testCase of cases) {
    it(`refuses ${testCase.name}`, () => {
      const problem = problemOf(evaluate(signedText(testCase.policy, keys)));
      expect(problem.code).toBe('invalid');
      const all = [{ field: problem.field, reason: problem.reason }, ...(problem.more ?? [])];
      const match = all.find((p) => p.field === testCase.field);
      expect(match, `fields reported: ${all.map((p) => `${p.field}: ${p.reason}`).join(' | ')}`).toBeDefined();
      expect(match?.reason).toMatch(testCase.reason);
    });
  }
});
