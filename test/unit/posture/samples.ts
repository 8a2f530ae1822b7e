// The recorded outputs in fixtures/ (README.md there says where each came from), and a
// test double of another OS's commands that answers with them.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { CommandResult, RunCommand } from '../../../main/posture/commandRunner';

export const FIXTURES = path.join(import.meta.dirname, 'fixtures');

export interface Sample {
  name: string;
  source: string;
  command?: string[];
  exitCode?: number;
  stdout?: string;
  stderr?: string;
  /** For files rather than commands. */
  path?: string;
  text?: string;
}

export function samples(os: 'linux' | 'macos' | 'windows'): Sample[] {
  return JSON.parse(readFileSync(path.join(FIXTURES, os, 'samples.json'), 'utf8')) as Sample[];
}

export function sample(os: 'linux' | 'macos' | 'windows', name: string): Sample {
  const found = samples(os).find((s) => s.name === name);
  if (found === undefined) throw new Error(`no ${os} sample ${name}`);
  return found;
}

export const stdoutOf = (s: Sample): string => s.stdout ?? '';
export const textOf = (s: Sample): string => s.text ?? '';

/**
 * Test double for macOS's and Windows' commands (they cannot run here): each command is
 * answered with its recorded output; a command with no recording is "not found", as a
 * missing program is.
 */
export function recordedCommands(recorded: readonly Sample[]): RunCommand & { asked: string[][] } {
  const asked: string[][] = [];
  const run = (file: string, args: readonly string[]): Promise<CommandResult> => {
    asked.push([file, ...args]);
    const match = recorded.find((s) => JSON.stringify(s.command) === JSON.stringify([file, ...args]));
    return Promise.resolve(match === undefined ? { ran: false, why: 'not-found' } : { ran: true, exitCode: match.exitCode ?? 0, stdout: match.stdout ?? '', stderr: match.stderr ?? '' });
  };
  return Object.assign(run, { asked });
}
