// Runs the OS's own read-only tools for the device checks: a program by absolute path with
// fixed arguments (no shell, no PATH lookup), as the signed-in user (never elevated),
// with a timeout. A non-zero exit is an answer (`systemctl is-active` exits 3 for
// "inactive"); a program that is missing, hangs or dies is not, and its check is unknown.
import type { ExecFileException } from 'node:child_process';

/** Node's `execFile` as the runner uses it (passed in, so tests can run the real one). */
export type ExecFile = (
  file: string,
  args: readonly string[],
  options: { timeout: number; windowsHide: boolean; maxBuffer: number; encoding: 'utf8' },
  callback: (error: ExecFileException | null, stdout: string, stderr: string) => void,
) => unknown;

export type CommandResult = { ran: true; exitCode: number; stdout: string; stderr: string } | { ran: false; why: 'not-found' | 'timed-out' | 'failed' };

export type RunCommand = (file: string, args: readonly string[]) => Promise<CommandResult>;

export const COMMAND_TIMEOUT_MS = 15_000;

export function commandRunner(execFile: ExecFile, timeoutMs = COMMAND_TIMEOUT_MS): RunCommand {
  return (file, args) =>
    new Promise((resolve) => {
      execFile(file, args, { timeout: timeoutMs, windowsHide: true, maxBuffer: 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
        if (error === null) resolve({ ran: true, exitCode: 0, stdout, stderr });
        else if (error.code === 'ENOENT') resolve({ ran: false, why: 'not-found' });
        else if (error.killed === true) resolve({ ran: false, why: 'timed-out' });
        else if (typeof error.code === 'number') resolve({ ran: true, exitCode: error.code, stdout, stderr });
        else resolve({ ran: false, why: 'failed' });
      });
    });
}

/** Why a command gave no answer, for the check's observation. */
export function notRunWords(program: string, why: 'not-found' | 'timed-out' | 'failed'): string {
  if (why === 'not-found') return `${program} is not available on this computer.`;
  if (why === 'timed-out') return `${program} did not answer in time.`;
  return `${program} could not be run.`;
}
