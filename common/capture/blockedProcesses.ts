// Which of the policy's blocked capture tools are running, from the process names the
// OS lists. Names are compared leniently (file name only, any case, no .exe): a looser
// match hides the apps more often, never less.

/** Linux keeps only the first 15 bytes of a process name in /proc/<pid>/comm. */
export const LINUX_COMM_LENGTH = 15;

/** A process or policy name reduced for comparison: `C:\Tools\OBS64.EXE` → `obs64`. */
export function processKey(name: string): string {
  const file = name.trim().split(/[\\/]/).pop() ?? '';
  return file.toLowerCase().replace(/\.exe$/, '');
}

/**
 * The policy's names (as IT wrote them) with a running match. `truncatedTo` is the
 * length at which the OS cuts names short, so a cut name matches the full one (compared
 * in characters, which are bytes for the ASCII names capture tools have).
 */
export function runningBlockedProcesses(running: readonly string[], blocked: readonly string[], truncatedTo?: number): string[] {
  const keys = new Set(running.map(processKey).filter((key) => key !== ''));
  return blocked.filter((name) => {
    const key = processKey(name);
    if (key === '') return false;
    if (keys.has(key)) return true;
    return truncatedTo !== undefined && key.length > truncatedTo && keys.has(key.slice(0, truncatedTo));
  });
}
