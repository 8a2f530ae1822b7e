// The policy's devicePosture section: strict, every check off by default.
import { describe, expect, it } from 'vitest';
import { policyV1Schema } from '../../../common/policy/policySchema';
import { validPolicy } from '../../support/policyFixtures';

const withPosture = (devicePosture: unknown) => policyV1Schema.safeParse({ ...validPolicy(), devicePosture });

describe('policy devicePosture', () => {
  it('defaults every check to off, with a 15-minute screen lock limit', () => {
    expect(policyV1Schema.parse(validPolicy()).devicePosture).toEqual({
      diskEncryption: { level: 'off' },
      screenLock: { level: 'off', maxMinutes: 15 },
      osVersion: { level: 'off', linux: {} },
      firewall: { level: 'off' },
      antivirus: { level: 'off', processNames: [] },
    });
  });

  it('takes levels, limits and minimum versions', () => {
    const parsed = withPosture({ diskEncryption: { level: 'required' }, osVersion: { level: 'recommended', windows: '10.0.19045', linux: { debian: '12' } } });
    expect(parsed.success && parsed.data.devicePosture).toMatchObject({ diskEncryption: { level: 'required' }, osVersion: { windows: '10.0.19045', linux: { debian: '12' } }, firewall: { level: 'off' } });
  });

  it('refuses unknown fields, unknown levels, bad versions and a version check without any minimum', () => {
    const problems = (input: unknown) => (withPosture(input).error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(problems({ diskEncryption: { level: 'required', extra: true } })).toEqual([expect.stringMatching(/^devicePosture\.diskEncryption: Unrecognized key/)]);
    expect(problems({ bluetooth: { level: 'off' } })).toEqual([expect.stringMatching(/^devicePosture: Unrecognized key/)]);
    expect(problems({ firewall: { level: 'mandatory' } })).toEqual([expect.stringMatching(/^devicePosture\.firewall\.level: /)]);
    expect(problems({ osVersion: { level: 'required', macos: '14.x' } })).toEqual(['devicePosture.osVersion.macos: must be a version of up to four numbers separated by dots, e.g. 10.0.19045 or 14.4']);
    expect(problems({ osVersion: { level: 'required' } })).toEqual(['devicePosture.osVersion: must name at least one minimum version (windows, macos or linux) unless its level is off']);
    expect(problems({ screenLock: { level: 'required', maxMinutes: 0 } })).toEqual([expect.stringMatching(/^devicePosture\.screenLock\.maxMinutes: /)]);
  });
});
