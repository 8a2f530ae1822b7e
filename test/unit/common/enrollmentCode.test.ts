// Enrollment codes as people type them, and when the shell offers to connect the computer.
import { describe, expect, it } from 'vitest';
import { readEnrollmentCode } from '../../../common/audit/enrollmentCode';
import { enrollmentStepFor } from '../../../common/ui/enrollmentStep';

describe('reading an enrollment code', () => {
  it.each([
    ['ABCD-EFGH-JKLM-NPQR', 'ABCD-EFGH-JKLM-NPQR'],
    ['abcd efgh jklm npqr', 'ABCD-EFGH-JKLM-NPQR'],
    ['  ABCDEFGHJKLMNPQR ', 'ABCD-EFGH-JKLM-NPQR'],
    ['2345-6789-WXYZ-abcd', '2345-6789-WXYZ-ABCD'],
  ])('reads %j as %s', (typed, code) => {
    expect(readEnrollmentCode(typed)).toEqual({ ok: true, code });
  });

  it.each([
    ['ABCD-EFGH', /has 16 letters and digits.*this has 8/],
    ['ABCD-EFGH-JKLM-NPQI', /never has I, O, 0 or 1/],
    ['ABCD-EFGH-JKLM-NPQ!', /only letters and digits/],
    ['', /this has 0/],
  ])('says why %j is not a code', (typed, problem) => {
    const reading = readEnrollmentCode(typed);
    expect(reading.ok).toBe(false);
    if (!reading.ok) expect(reading.problem).toMatch(problem);
  });
});

describe('the connect-this-computer step', () => {
  it('is offered while not enrolled, and after zero-touch enrollment failed, with the reason', () => {
    expect(enrollmentStepFor({ state: 'not-enrolled', problem: null }, false)?.message).toMatch(/connects when you sign in, or IT can connect it now/);
    expect(enrollmentStepFor({ state: 'not-enrolled', problem: null }, true)?.message).toMatch(/If IT gave you an enrollment code/);
    const failed = enrollmentStepFor({ state: 'retrying', problem: { code: 'enrollment-failed', message: 'no token for the audit collector could be obtained (Error).' } }, true);
    expect(failed?.message).toContain('could not connect to the practice\u2019s activity log: no token for the audit collector could be obtained (Error).');
  });

  it('is not offered once connected, while starting, while the collector is merely unreachable, or without a sync', () => {
    expect(enrollmentStepFor({ state: 'delivered', problem: null }, true)).toBeNull();
    expect(enrollmentStepFor({ state: 'starting', problem: null }, false)).toBeNull();
    expect(enrollmentStepFor({ state: 'retrying', problem: { code: 'collector-unreachable', message: 'ECONNREFUSED' } }, true)).toBeNull();
    expect(enrollmentStepFor(null, true)).toBeNull();
  });
});
