// `npm run collector -- import-training FILE` as the compliance officer runs it (a real
// process): the verb and the practice-policy flags parsed, refused where they do not
// belong, and a refused file's report on stderr with exit code 1.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCollectorArgs } from '../../../collector/collectorArgs';
import { loadOrCreateCollectorKey } from '../../../collector/console/accessLog';

const root = path.resolve(import.meta.dirname, '../../..');
const dir = mkdtempSync(path.join(tmpdir(), 'cordon-training-cli-'));
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('CORDON_COLLECTOR_') && !name.startsWith('CORDON_CONSOLE_')));
const runCli = (args: string[]) => spawnSync(path.join(root, 'node_modules/.bin/tsx'), [path.join(root, 'collector/collectorMain.ts'), ...args], { cwd: dir, env: cleanEnv, encoding: 'utf8', timeout: 60_000 });

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('import-training on the command line', () => {
  it('parses the verb, its file and the practice policy (flags or environment), and refuses them where they do not belong', () => {
    expect(parseCollectorArgs(['import-training', 'march.csv', '--policy', 'p.json', '--policy-key', 'k.pem'], {})).toMatchObject({ command: 'import-training', importTraining: { file: 'march.csv' }, policy: { file: 'p.json', keyFile: 'k.pem' } });
    expect(parseCollectorArgs(['import-training', 'march.csv'], {}).policy).toBeNull();
    const served = parseCollectorArgs([], { CORDON_COLLECTOR_POLICY_FILE: 'p.json', CORDON_COLLECTOR_POLICY_KEY: 'k.pem', CORDON_CONSOLE_ISSUER: 'https://idp.example', CORDON_CONSOLE_CLIENT_ID: 'c', CORDON_CONSOLE_CLIENT_SECRET: 's', CORDON_CONSOLE_MFA_AMR: 'otp' });
    expect(served.config.console?.policy).toEqual({ file: 'p.json', keyFile: 'k.pem' });
    for (const [args, message] of [
      [['import-training'], 'import-training needs the CSV file'],
      [['import-training', 'a.csv', 'b.csv'], 'unknown command'],
      [['import-training', 'a.csv', '--policy', 'p.json'], '--policy and --policy-key go together'],
      [['dispose', '--policy', 'p.json', '--policy-key', 'k.pem'], '--policy belongs to serving and the import-training command'],
    ] as const) {
      expect(() => parseCollectorArgs([...args], {}), args.join(' ')).toThrow(message);
    }
  });

  it('imports a good file (exit 0) and reports a malformed one on stderr (exit 1)', () => {
    const on = ['--sqlite-file', path.join(dir, 'collector.db'), '--console-key-file', path.join(dir, 'key.pem')];
    loadOrCreateCollectorKey(path.join(dir, 'key.pem'));
    writeFileSync(path.join(dir, 'good.csv'), 'subject,course,completed_on\nva-anna,hipaa-privacy,2026-03-10\n');
    const good = runCli(['import-training', 'good.csv', ...on]);
    expect(good.status, good.stderr).toBe(0);
    expect(good.stdout).toMatch(/^import-training: good\.csv: import #1, 1 row: 1 added, 0 updated, 0 already on record, 0 revoked$/m);
    expect(good.stdout).toMatch(/^note: course ids were checked for their form only/m);
    writeFileSync(path.join(dir, 'bad.csv'), 'subject,course,completed\nva-anna,hipaa-privacy,2026-03-10\n');
    const bad = runCli(['import-training', 'bad.csv', ...on]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('import-training: bad.csv: refused, 2 problems in 1 row; nothing was imported');
    expect(bad.stderr).toContain('row 1, completed_on: the column completed_on is missing');
  }, 120_000);
});
