// Real keys and real signatures for policy tests: nothing here is mocked.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { SignedPolicyFile } from '../../common/policy/signedPolicy';
import type { PolicyInput } from '../../common/policy/policySchema';
import { generatePolicyKeyPair, parsePublicKey, policyKeyId, signPolicyDocument, type PolicyKeyPair } from '../../main/policy/policyKeys';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
export const NOW = new Date('2027-03-01T12:00:00Z');

export function validPolicy(overrides: Partial<PolicyInput> = {}): PolicyInput {
  return {
    schemaVersion: 1,
    policyId: 'test-practice',
    serial: 7,
    issuedAt: '2027-01-01T00:00:00Z',
    expiresAt: '2027-12-31T00:00:00Z',
    practice: { name: 'Test Family Practice' },
    apps: [
      {
        id: 'ehr',
        name: 'Test EHR',
        startUrl: 'https://ehr.example.com/home',
        navigationOrigins: ['https://ehr.example.com', 'https://login.example.com'],
        requestOrigins: ['https://api.ehr.example.com'],
      },
    ],
    identity: {
      issuer: 'https://login.example.com',
      clientId: 'cordon',
      scopes: ['openid', 'profile'],
      mfa: { amrMethods: ['otp'] },
    },
    session: { idleLockMinutes: 5, logoffMinutes: 30 },
    clipboard: { mode: 'workspace' },
    screenCapture: { protection: 'required' },
    watermark: { template: '{user} {session} {time}' },
    audit: { collectorUrl: 'https://audit.example.com', retentionDays: 30, queueSoftLimit: 1000, queueHardLimit: 5000 },
    updates: { channel: 'stable' },
    ...overrides,
  };
}

export function signPolicy(policy: unknown, keys: PolicyKeyPair): SignedPolicyFile {
  return signPolicyDocument(policy, keys.privateKeyPem);
}

export function signedText(policy: unknown, keys: PolicyKeyPair): string {
  return JSON.stringify(signPolicy(policy, keys), null, 2);
}

export function demoKeys(): PolicyKeyPair {
  const publicKeyPem = readFileSync(path.join(REPO_ROOT, 'demo/policy/demo-policy-key.public.pem'), 'utf8');
  return {
    privateKeyPem: readFileSync(path.join(REPO_ROOT, 'demo/policy/demo-policy-key.private.pem'), 'utf8'),
    publicKeyPem,
    keyId: policyKeyId(parsePublicKey(publicKeyPem)),
  };
}

export { generatePolicyKeyPair };
