// `npm run collector -- --help` (or -h, or help) prints the usage and exits 0 whatever else
// is on the command line or in the environment: help is what someone stuck asks for.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isHelpRequest } from '../../../collector/collectorArgs';

const root = path.resolve(import.meta.dirname, '../../..');

describe('collector --help', () => {
  it('is recognised as --help or -h anywhere, or the command help', () => {
    for (const argv of [['--help'], ['-h'], ['help'], ['find-session', '--help'], ['issue-code', '-h'], ['--port', '99999', '--help']]) {
      expect(isHelpRequest(argv), argv.join(' ')).toBe(true);
    }
    for (const argv of [[], ['issue-code'], ['find-session', 'help'], ['--sqlite-file', 'helpdesk.db']]) {
      expect(isHelpRequest(argv), argv.join(' ')).toBe(false);
    }
  });

  it('prints the usage and exits 0 even after a command that needs an argument, with a broken setting in the environment', () => {
    const run = spawnSync(path.join(root, 'node_modules/.bin/tsx'), [path.join(root, 'collector/collectorMain.ts'), 'find-session', '--help'], {
      cwd: root,
      env: { ...process.env, CORDON_COLLECTOR_PORT: 'not-a-port' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^usage: npm run collector -- /);
  });
});
