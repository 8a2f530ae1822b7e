// The names of the processes running on this computer, per OS, for the blocked
// capture-tool check. Each reads only names, never command lines (which may hold
// patients' data typed into other apps).
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { LINUX_COMM_LENGTH } from '../../common/capture/blockedProcesses';

export interface ProcessLister {
  list(): Promise<string[]>;
  /** Where the OS cuts names short, if it does. */
  truncatedTo?: number;
}

/** Runs a program (no shell) and resolves with its stdout. */
export type RunProgram = (file: string, args: string[]) => Promise<string>;

export const runProgram: RunProgram = (file, args) =>
  new Promise((resolve, reject) => {
    execFile(file, args, { windowsHide: true, timeout: 10_000, maxBuffer: 8 * 1024 * 1024 }, (error, stdout) => (error === null ? resolve(stdout) : reject(error)));
  });

/** Linux: /proc/<pid>/comm of every process (15 bytes at most; a process that exits meanwhile is skipped). */
export function procCommLister(procRoot = '/proc'): ProcessLister {
  return {
    truncatedTo: LINUX_COMM_LENGTH,
    list: async () => {
      const pids = (await readdir(procRoot)).filter((entry) => /^\d+$/.test(entry));
      // Only a process that exited meanwhile is skipped; any other error (e.g. too many
      // open files) fails the check, and the watch fails closed. Read in slices.
      const names: string[] = [];
      for (let i = 0; i < pids.length; i += 64) {
        names.push(
          ...(await Promise.all(
            pids.slice(i, i + 64).map((pid) =>
              readFile(path.join(procRoot, pid, 'comm'), 'utf8').catch((error: NodeJS.ErrnoException) => {
                if (error.code === 'ENOENT' || error.code === 'ESRCH') return '';
                throw error;
              }),
            ),
          )),
        );
      }
      return names.map((name) => name.trim()).filter((name) => name !== '');
    },
  };
}

/** Windows: `tasklist /fo csv /nh`, image names from the first column, by absolute path (no PATH lookup). */
export function tasklistLister(run: RunProgram, systemRoot = 'C:\\Windows'): ProcessLister {
  return {
    list: async () => {
      const output = await run(path.win32.join(systemRoot, 'System32', 'tasklist.exe'), ['/fo', 'csv', '/nh']);
      return output.split(/\r?\n/).flatMap((line) => /^"([^"]+)"/.exec(line)?.[1] ?? []);
    },
  };
}

/** macOS: `/bin/ps -axo comm=`, the executable path of every process; the matcher keeps its file name. */
export function psLister(run: RunProgram): ProcessLister {
  return {
    list: async () => (await run('/bin/ps', ['-axo', 'comm='])).split('\n').map((line) => line.trim()).filter((line) => line !== ''),
  };
}

export function processListerFor(platform: string, env: Record<string, string | undefined> = {}): ProcessLister {
  // SystemRoot comes from whoever started Cordon: only a plain drive-root Windows folder is
  // believed, so a planted tasklist.exe elsewhere is never run.
  if (platform === 'win32') return tasklistLister(runProgram, /^[A-Za-z]:\\Windows$/.test(env.SystemRoot ?? '') ? env.SystemRoot : undefined);
  if (platform === 'darwin') return psLister(runProgram);
  return procCommLister();
}
