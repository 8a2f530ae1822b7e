// The antivirus check where the OS keeps no register of protection products (macOS,
// Linux): a known or IT-named protection process must be running.
import { runningBlockedProcesses } from '../../common/capture/blockedProcesses';
import { unknown, type CheckFinding } from '../../common/posture/deviceChecks';
import { protectionFinding } from '../../common/posture/deviceCheckRules';
import type { DevicePosturePolicy } from '../../common/policy/policySchema';
import type { ProcessLister } from '../capture/processLister';
import { KNOWN_PROTECTION_PROCESSES } from './protectionProcesses';

export async function runningProtection(lister: ProcessLister, os: 'darwin' | 'linux', policy: DevicePosturePolicy): Promise<CheckFinding> {
  const names = await lister.list().catch(() => null);
  if (names === null) return unknown("Cordon could not read this computer's list of running programs.");
  const known = KNOWN_PROTECTION_PROCESSES[os];
  const wanted = [...known.map((k) => k.process), ...policy.antivirus.processNames];
  // The process-name match the capture-tool watch uses: file name only, any case, Linux's 15-byte cut.
  const running = runningBlockedProcesses(names, wanted, lister.truncatedTo);
  return protectionFinding(running.map((name) => known.find((k) => k.process === name)?.product ?? name));
}
