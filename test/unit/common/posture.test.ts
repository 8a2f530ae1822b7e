import { describe, expect, it } from 'vitest';
import { policyV1Schema } from '../../../common/policy/policySchema';
import { assessPosture, PROTECTION_IDS, type ProtectionId } from '../../../common/posture/posture';
import { validPolicy } from '../../support/policyFixtures';

const policy = policyV1Schema.parse(validPolicy());
const everything: ReadonlySet<ProtectionId> = new Set(PROTECTION_IDS);

function stateOf(id: ProtectionId, input: Partial<Parameters<typeof assessPosture>[0]>) {
  const posture = assessPosture({ platform: 'win32', build: 'production', policy, installed: everything, ...input });
  return posture.find((p) => p.id === id);
}

describe('security posture', () => {
  it('lists every protection exactly once, with a label', () => {
    const posture = assessPosture({ platform: 'linux', build: 'production', policy, installed: new Set() });
    expect(posture.map((p) => p.id)).toEqual([...PROTECTION_IDS]);
    expect(posture.every((p) => p.label.length > 0 && p.detail.length > 0)).toBe(true);
  });

  it('never claims a protection the running build did not install', () => {
    const posture = assessPosture({ platform: 'win32', build: 'production', policy, installed: new Set(['process-sandbox']) });
    expect(posture.filter((p) => p.state === 'enforced').map((p) => p.id)).toEqual(['process-sandbox']);
    expect(stateOf('watermark', { installed: new Set() })?.state).toBe('not-in-this-build');
  });

  it('reports capture protection truthfully per platform and policy', () => {
    expect(stateOf('screen-capture-blocked', { platform: 'win32' })?.state).toBe('enforced');
    expect(stateOf('screen-capture-blocked', { platform: 'darwin' })?.state).toBe('enforced');
    expect(stateOf('screen-capture-blocked', { platform: 'linux' })?.state).toBe('not-available');
    const off = policyV1Schema.parse(validPolicy({ screenCapture: { protection: 'off' } }));
    expect(stateOf('screen-capture-blocked', { policy: off })?.state).toBe('disabled-by-policy');
  });

  it('says which apps a policy lets download or print', () => {
    const base = validPolicy();
    const allowing = policyV1Schema.parse({ ...base, apps: [{ ...base.apps[0], downloads: 'allow' }] });
    expect(stateOf('downloads-blocked', { policy: allowing })).toMatchObject({ state: 'disabled-by-policy', detail: 'IT allows it for: Test EHR.' });
    expect(stateOf('printing-blocked', { policy: allowing })?.state).toBe('enforced');
  });

  it('marks devtools and https as not enforced in development builds and demo policies', () => {
    expect(stateOf('devtools-blocked', { build: 'development' })?.state).toBe('not-enforced');
    expect(stateOf('devtools-blocked', { build: 'production' })?.state).toBe('enforced');
    const demo = policyV1Schema.parse(validPolicy({ environment: 'demo' }));
    expect(stateOf('https-only', { policy: demo })?.state).toBe('not-enforced');
  });
});
