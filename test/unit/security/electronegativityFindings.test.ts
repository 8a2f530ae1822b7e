import { describe, expect, it } from 'vitest';
import { parseFindings, staleAllowances, unexpectedFindings } from '../../security/electronegativityFindings';

// A report exactly as Electronegativity 1.10.3 wrote it for a deliberately bad file here.
const REPORT = `issue, severity, confidence, filename, location, sample, description, url
CSP_GLOBAL_CHECK,"MEDIUM","CERTAIN","N/A","0:0",N/A,"No CSP has been detected in the target application",https://github.com/doyensec/electronegativity/wiki/CSP_GLOBAL_CHECK
CONTEXT_ISOLATION_JS_CHECK,"HIGH","FIRM","bad.ts","2:86","contextIsolation: false, sandbox: false","Review the use of the contextIsolation option",https://github.com/doyensec/electronegativity/wiki/CONTEXT_ISOLATION_JS_CHECK
`;

describe('electronegativity report handling', () => {
  it('parses quoted fields, including commas inside them', () => {
    const findings = parseFindings(REPORT);
    expect(findings).toHaveLength(2);
    expect(findings[1]).toMatchObject({ issue: 'CONTEXT_ISOLATION_JS_CHECK', severity: 'HIGH', file: 'bad.ts', location: '2:86', description: 'Review the use of the contextIsolation option' });
  });

  it('fails every finding not allowlisted, matching issue and file', () => {
    const findings = parseFindings(REPORT);
    const allow = [{ issue: 'CSP_GLOBAL_CHECK', file: 'N/A', reason: 'header CSP' }];
    expect(unexpectedFindings(findings, allow).map((f) => f.issue)).toEqual(['CONTEXT_ISOLATION_JS_CHECK']);
    expect(unexpectedFindings(findings, [...allow, { issue: 'CONTEXT_ISOLATION_JS_CHECK', file: 'other.ts', reason: 'x' }])).toHaveLength(1);
    expect(staleAllowances(findings, [{ issue: 'SANDBOX_JS_CHECK', file: 'x.ts', reason: 'r' }])).toHaveLength(1);
  });

  it('refuses a file that is not a report, rather than passing on nothing', () => {
    expect(() => parseFindings('')).toThrow(/not an Electronegativity CSV/);
    expect(() => parseFindings('<html>error</html>')).toThrow();
  });
});
