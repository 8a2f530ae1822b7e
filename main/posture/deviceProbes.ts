// The device checks as this OS answers them: one probe per check, each reading the OS
// without admin rights and never throwing (what cannot be read is `unknown`).
import { execFile } from 'node:child_process';
import { readdir, readFile, realpath } from 'node:fs/promises';
import { homedir, release } from 'node:os';
import type { DevicePosturePolicy } from '../../common/policy/policySchema';
import type { CheckFinding, DeviceCheckId } from '../../common/posture/deviceChecks';
import { processListerFor, type ProcessLister } from '../capture/processLister';
import { commandRunner, type RunCommand } from './commandRunner';
import { linuxProbes, LINUX_PATHS, type LinuxFiles } from './linuxProbes';
import { macProbes } from './macProbes';
import { windowsProbes } from './windowsProbes';

export type DeviceProbe = (policy: DevicePosturePolicy) => Promise<CheckFinding>;
export type DeviceProbes = Record<DeviceCheckId, DeviceProbe>;

/** What the probes read the OS through. */
export interface ProbeDeps {
  run: RunCommand;
  files: LinuxFiles;
  processes: ProcessLister;
  env: Record<string, string | undefined>;
  /** `os.release()`: on Windows the version and build (10.0.22631). */
  osRelease: () => string;
  home: string;
}

export function deviceProbesFor(platform: string, deps: ProbeDeps): DeviceProbes {
  if (platform === 'win32') return windowsProbes(deps);
  if (platform === 'darwin') return macProbes(deps);
  return linuxProbes(deps, LINUX_PATHS);
}

const orNull = <T>(promise: Promise<T>): Promise<T | null> => promise.catch(() => null);

/** The real OS: Node's execFile, files, os.release and the process list. */
export function systemProbeDeps(platform: string, env: Record<string, string | undefined>): ProbeDeps {
  return {
    run: commandRunner(execFile),
    files: {
      readText: (file) => orNull(readFile(file, 'utf8')),
      listDir: (dir) => orNull(readdir(dir)),
      realPath: (file) => orNull(realpath(file)),
    },
    processes: processListerFor(platform, env),
    env,
    osRelease: release,
    home: homedir(),
  };
}
