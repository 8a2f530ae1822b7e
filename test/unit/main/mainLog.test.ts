// Main's console output never holds a URL beyond its origin, and nothing in main/ logs
// around it. Crash reports: Cordon never starts Electron's crashReporter.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mainLog, originsOnly } from '../../../main/logging/mainLog';

const MAIN = path.resolve(__dirname, '../../../main');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

describe('main log', () => {
  it('cuts every URL to its origin', () => {
    expect(originsOnly('sync failed: https://collector.example.com/v1/batches?device=7 refused; see wss://ehr.example.com:8443/socket/patient/42')).toBe(
      'sync failed: https://collector.example.com refused; see wss://ehr.example.com:8443',
    );
    const lines: string[] = [];
    mainLog({ error: (line: string) => lines.push(line) }).error('locked: https://ehr.example.com/chart/SYN-0001');
    expect(lines).toEqual(['locked: https://ehr.example.com']);
  });

  it('is the only way main writes to the console (the IT policy CLI prints its own reports)', () => {
    const offenders = sources(MAIN)
      .filter((file) => !file.endsWith(path.join('logging', 'mainLog.ts')) && !file.endsWith(path.join('policy', 'cordonPolicyMain.ts')))
      .filter((file) => /\bconsole\s*\.|process\.(stdout|stderr)\.write/.test(readFileSync(file, 'utf8')))
      .map((file) => path.relative(MAIN, file));
    expect(offenders).toEqual([]);
  });
});
