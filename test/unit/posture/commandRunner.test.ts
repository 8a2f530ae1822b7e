// The runner with Node's real execFile: an exit code is an answer, a missing or hanging
// program is not.
import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { commandRunner } from '../../../main/posture/commandRunner';

describe('command runner', () => {
  const run = commandRunner(execFile, 2_000);

  it('returns stdout, stderr and the exit code, a non-zero one included', async () => {
    expect(await run('/bin/sh', ['-c', 'echo inactive; echo warn >&2; exit 3'])).toEqual({ ran: true, exitCode: 3, stdout: 'inactive\n', stderr: 'warn\n' });
    expect(await run('/bin/echo', ['active'])).toEqual({ ran: true, exitCode: 0, stdout: 'active\n', stderr: '' });
  });

  it('passes arguments as they are, never through a shell', async () => {
    expect(await run('/bin/echo', ['$(id)', '; rm -rf /'])).toMatchObject({ stdout: '$(id) ; rm -rf /\n' });
  });

  it('a program that does not exist is not found; one that hangs is stopped at the timeout', async () => {
    expect(await run('/usr/bin/no-such-cordon-tool', [])).toEqual({ ran: false, why: 'not-found' });
    const started = Date.now();
    expect(await commandRunner(execFile, 200)('/bin/sleep', ['10'])).toEqual({ ran: false, why: 'timed-out' });
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
