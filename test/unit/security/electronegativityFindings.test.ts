import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFindings, staleAllowances, unexpectedFindings } from '../../security/electronegativityFindings';

// A report exactly as Electronegativity 1.10.3 wrote it here for a deliberately bad file
// (nodeIntegration on, contextIsolation and sandbox off, openExternal on page input).
const REPORT = readFileSync(path.join(import.meta.dirname, 'electronegativity-sample.sarif'), 'utf8');

describe('electronegativity report handling', () => {
  it('reads every finding with its file and location', () => {
    const findings = parseFindings(REPORT);
    expect(findings.map((f) => f.issue)).toContain('CONTEXT_ISOLATION_JS_CHECK');
    expect(findings.find((f) => f.issue === 'CONTEXT_ISOLATION_JS_CHECK')).toMatchObject({ file: 'bad.ts', location: '2:87' });
    expect(findings.find((f) => f.issue === 'CSP_GLOBAL_CHECK')).toMatchObject({ file: 'N/A' });
  });

  it('fails every finding not allowlisted, matching issue and file', () => {
    const findings = parseFindings(REPORT);
    const allow = [{ issue: 'CSP_GLOBAL_CHECK', file: 'N/A', reason: 'header CSP' }];
    const unexpected = unexpectedFindings(findings, allow).map((f) => f.issue);
    expect(unexpected).toContain('CONTEXT_ISOLATION_JS_CHECK');
    expect(unexpected).not.toContain('CSP_GLOBAL_CHECK');
    expect(unexpectedFindings(findings, [{ issue: 'CONTEXT_ISOLATION_JS_CHECK', file: 'other.ts', reason: 'x' }]).map((f) => f.issue)).toContain('CONTEXT_ISOLATION_JS_CHECK');
    expect(staleAllowances(findings, [{ issue: 'SANDBOX_JS_CHECK', file: 'x.ts', reason: 'r' }])).toHaveLength(1);
  });

  it('refuses a file that is not a report, rather than passing on nothing', () => {
    expect(() => parseFindings('')).toThrow(/not an Electronegativity SARIF report/);
    expect(() => parseFindings('{"runs": []}')).toThrow(/not an Electronegativity SARIF report/);
    expect(() => parseFindings('issue, severity\nCSP_GLOBAL_CHECK,"MEDIUM"')).toThrow();
  });
});
