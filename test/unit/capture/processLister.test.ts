// Process listers per OS: Linux reads a real /proc-shaped folder (and this machine's
// /proc); Windows and macOS run their tools through an injected runner, since tasklist
// and macOS ps cannot run here.
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { processListerFor, procCommLister, psLister, tasklistLister, type RunProgram } from '../../../main/capture/processLister';

function recordingRunner(stdout: string) {
  const runs: [string, string[]][] = [];
  const run: RunProgram = async (file, args) => {
    runs.push([file, args]);
    return stdout;
  };
  return { run, runs };
}

describe('process listers', () => {
  it('Linux: every numeric /proc entry\'s comm; other entries and processes that exited are skipped', async () => {
    const proc = await mkdtemp(path.join(tmpdir(), 'cordon-proc-'));
    for (const [entry, comm] of [['1', 'systemd\n'], ['4242', 'simplescreenrec\n'], ['self', 'ignored\n']] as const) {
      await mkdir(path.join(proc, entry));
      await writeFile(path.join(proc, entry, 'comm'), comm);
    }
    await mkdir(path.join(proc, '77')); // exited between listing and reading: no comm
    const lister = procCommLister(proc);
    expect((await lister.list()).sort()).toEqual(['simplescreenrec', 'systemd']);
    expect(lister.truncatedTo).toBe(15);
  });

  it("Linux: on this machine's /proc, finds this very process", async () => {
    const own = (await readFile('/proc/self/comm', 'utf8')).trim();
    expect(await processListerFor('linux').list()).toContain(own);
  });

  it('Windows: runs tasklist by absolute path as CSV and keeps the image names', async () => {
    const { run, runs } = recordingRunner('"System Idle Process","0","Services","0","8 K"\r\n"obs64.exe","5120","Console","1","120,000 K"\r\n\r\n');
    expect(await tasklistLister(run, 'D:\\Win').list()).toEqual(['System Idle Process', 'obs64.exe']);
    expect(runs).toEqual([['D:\\Win\\System32\\tasklist.exe', ['/fo', 'csv', '/nh']]]);
    expect(tasklistLister(run).truncatedTo).toBeUndefined();
  });

  it('macOS: runs /bin/ps for executable paths only, never arguments', async () => {
    const { run, runs } = recordingRunner('/sbin/launchd\n/Applications/OBS.app/Contents/MacOS/OBS\n  \n');
    expect(await psLister(run).list()).toEqual(['/sbin/launchd', '/Applications/OBS.app/Contents/MacOS/OBS']);
    expect(runs).toEqual([['/bin/ps', ['-axo', 'comm=']]]);
  });

  it('a failing tool fails the listing (the watch then hides the apps)', async () => {
    const run: RunProgram = () => Promise.reject(new Error('spawn EACCES'));
    await expect(tasklistLister(run).list()).rejects.toThrow('EACCES');
    await expect(procCommLister('/nonexistent-proc').list()).rejects.toThrow();
  });
});
