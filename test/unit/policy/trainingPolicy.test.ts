// The policy's training section: none by default; courses with a renewal period or the
// record's own expiry, a date to have a first completion by, the notice, grace and offline
// allowances and whom to ask; the collector's public key a device checks answers with;
// each explained in plain lines.
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { explainPolicy } from '../../../common/policy/explainPolicy';
import { ed25519PublicKeyBody, policyV1Schema, type PolicyInput } from '../../../common/policy/policySchema';
import { validatePolicy } from '../../../common/policy/validatePolicy';
import { validPolicy } from '../../support/policyFixtures';

const COLLECTOR_KEY = generateKeyPairSync('ed25519').publicKey.export({ format: 'pem', type: 'spki' }).toString();
const CONTACT = 'Dana Reyes, compliance officer (dana@practice.example)';
const TRAINING = {
  courses: [
    { id: 'hipaa-privacy', title: 'HIPAA privacy and security', everyMonths: 12 },
    { id: 'phishing', title: 'Spotting phishing', dueBy: '2027-04-01' },
  ],
  contact: CONTACT,
};

const base = validPolicy();
const withTraining = (training: unknown, collectorPublicKey: unknown = COLLECTOR_KEY): PolicyInput => ({ ...base, audit: { ...base.audit, collectorPublicKey } as PolicyInput['audit'], training } as PolicyInput);
const problems = (policy: unknown) => {
  const result = validatePolicy(policy);
  return result.ok ? [] : result.problems.map((p) => `${p.field}: ${p.reason}`);
};

describe('training in the policy', () => {
  it('requires none by default, and says so', () => {
    const policy = policyV1Schema.parse(validPolicy());
    expect(policy.training).toBeUndefined();
    expect(explainPolicy(policy)).toContain('training: none required');
  });

  it('takes courses, with 30 days of notice, 14 of grace and 3 offline by default', () => {
    const policy = policyV1Schema.parse(withTraining(TRAINING));
    expect(policy.training).toEqual({ ...TRAINING, dueSoonDays: 30, graceDays: 14, offlineDays: 3 });
    expect(policy.audit.collectorPublicKey).toBe(COLLECTOR_KEY);
  });

  it('explains each course and the rules in plain lines', () => {
    const policy = policyV1Schema.parse(withTraining({ ...TRAINING, graceDays: 7, offlineDays: 2 }));
    expect(explainPolicy(policy).filter((line) => line.startsWith('training'))).toEqual([
      'training hipaa-privacy ("HIPAA privacy and security"): a completion counts for 12 months (or until an earlier expiry date its record gives); a VA with no completion on record has apps closed at once',
      'training phishing ("Spotting phishing"): a completion counts until the expiry date its record gives, for good when it gives none; a VA with no completion on record has until 2027-04-01, then 7 days\' grace',
      `training: the VA is told 30 days before a course falls due; hosted apps close 7 days after, naming the course and whom to ask: ${CONTACT}`,
      'training: checked with the collector at each sign-in and every 15 minutes, its answers believed only when signed by the collector key in audit.collectorPublicKey; while the collector cannot be reached the last answer counts an hour and 2 days more, then apps close',
    ]);
  });

  it('refuses training without the collector key a device checks its answers with', () => {
    const withoutKey: PolicyInput = { ...base, training: TRAINING } as PolicyInput;
    expect(problems(withoutKey)).toEqual(["policy.audit.collectorPublicKey: must be given with training: devices believe the collector's training answers only when this key signed them"]);
  });

  it('takes only an Ed25519 public key in PEM, whatever its line breaks', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'pem', type: 'spki' }).toString();
    const privatePem = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const keyProblem = /^policy\.audit\.collectorPublicKey: must be an Ed25519 public key in PEM/;
    for (const bad of [rsa, privatePem, 'MCowBQYDK2VwAyEA', COLLECTOR_KEY.replace('MCow', 'MCox')]) expect(problems(withTraining(TRAINING, bad))).toEqual([expect.stringMatching(keyProblem)]);
    expect(problems(withTraining(TRAINING, COLLECTOR_KEY.replace(/\n/g, '\r\n')))).toEqual([]);
    expect(ed25519PublicKeyBody(COLLECTOR_KEY)).toMatch(/^MCowBQYDK2VwAyEA.{44}$/);
  });

  it('refuses duplicate and odd course ids, dates not in the calendar, out-of-range numbers and unknown fields', () => {
    const course = TRAINING.courses[0];
    expect(problems(withTraining({ ...TRAINING, courses: [course, { ...course, title: 'Again' }] }))).toEqual(["policy.training.courses[1].id: duplicate course id 'hipaa-privacy'"]);
    expect(problems(withTraining({ ...TRAINING, courses: [{ ...course, id: 'HIPAA' }] }))).toEqual([expect.stringMatching(/^policy\.training\.courses\[0\]\.id: must be 1–32 characters/)]);
    expect(problems(withTraining({ ...TRAINING, courses: [{ ...course, dueBy: '2027-02-30' }] }))).toEqual(['policy.training.courses[0].dueBy: is not a date in the calendar']);
    expect(problems(withTraining({ ...TRAINING, courses: [{ ...course, dueBy: '1 April 2027' }] }))).toEqual(['policy.training.courses[0].dueBy: must be a date as YYYY-MM-DD, e.g. 2027-03-31']);
    expect(problems(withTraining({ ...TRAINING, courses: [{ ...course, everyMonths: 0 }] }))).toEqual([expect.stringMatching(/^policy\.training\.courses\[0\]\.everyMonths: /)]);
    expect(problems(withTraining({ ...TRAINING, graceDays: 91 }))).toEqual([expect.stringMatching(/^policy\.training\.graceDays: /)]);
    expect(problems(withTraining({ ...TRAINING, courses: [] }))).toEqual([expect.stringMatching(/^policy\.training\.courses: /)]);
    expect(problems(withTraining({ ...TRAINING, contact: '  ' }))).toEqual(['policy.training.contact: must not be empty']);
    expect(problems(withTraining({ ...TRAINING, courses: [{ ...course, everyMonth: 12 }] }))).toEqual(['policy.training.courses[0].everyMonth: unknown field; did you mean "everyMonths"?']);
  });
});
