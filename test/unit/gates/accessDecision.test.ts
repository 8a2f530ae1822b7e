// The device's decision on access under a controllable clock: a revoked computer closes for
// every VA, a revoked VA or a passed end date ends the VA's access, nothing known ends nothing.
import { describe, expect, it } from 'vitest';
import type { AccessStanding } from '../../../common/audit/accessProtocol';
import { decideAccess } from '../../../common/gates/accessDecision';

const NOW = Date.parse('2026-12-03T10:00:00Z');
const active = (endsAt: string | null = null): AccessStanding => ({ state: 'active', endsAt });
const revoked = (reason: 'revoked' | 'access-ended', since = '2026-12-02T09:30:00Z'): AccessStanding => ({ state: 'revoked', since, reason });

describe('whether access still stands', () => {
  it('is open when nothing is known, and when both stand', () => {
    expect(decideAccess({ device: null, user: null }, NOW)).toEqual({ state: 'open', endsAt: null });
    expect(decideAccess({ device: active(), user: active() }, NOW)).toEqual({ state: 'open', endsAt: null });
  });

  it('a revoked device ends access whatever the VA, and says the computer was reinstatable by IT', () => {
    const verdict = decideAccess({ device: revoked('revoked'), user: active() }, NOW);
    expect(verdict).toMatchObject({ state: 'ended', scope: 'device', reason: 'revoked', since: Date.parse('2026-12-02T09:30:00Z') });
    expect(verdict.state === 'ended' && verdict.message).toMatch(/ended this computer's access to the practice on 2 December 2026.*reinstate/);
  });

  it('a revoked VA ends the VA\'s access; an end date reached by the device\'s clock does too, even before the collector says so', () => {
    expect(decideAccess({ device: active(), user: revoked('revoked') }, NOW)).toMatchObject({ state: 'ended', scope: 'user', reason: 'revoked' });
    const endsAt = '2026-12-03T10:00:00Z';
    expect(decideAccess({ device: active(), user: active(endsAt) }, NOW - 1)).toEqual({ state: 'open', endsAt: NOW });
    const verdict = decideAccess({ device: active(), user: active(endsAt) }, NOW);
    expect(verdict).toMatchObject({ state: 'ended', scope: 'user', reason: 'access-ended', since: NOW });
    expect(verdict.state === 'ended' && verdict.message).toMatch(/ended on 3 December 2026, the end date the practice set/);
  });

  it('the device comes first: a revoked computer is what the VA is told, not their own end date', () => {
    expect(decideAccess({ device: revoked('revoked'), user: revoked('access-ended') }, NOW)).toMatchObject({ scope: 'device' });
  });
});
