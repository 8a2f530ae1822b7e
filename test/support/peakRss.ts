// A process's own peak resident memory. Linux's VmHWM belongs to the process's current
// memory map, so it starts afresh at exec; getrusage's maxRSS does not: a child forked from a
// larger parent reports at least the parent's size at the fork (Linux keeps the pre-exec
// high-water mark), which made a small device process look as large as the bench around it.
import { existsSync, readFileSync } from 'node:fs';

/** Peak resident memory in kB of `pid` (default this process): VmHWM where /proc exists, else getrusage (this process only). */
export function peakRssKb(pid: number | 'self' = 'self'): number {
  const status = `/proc/${pid}/status`;
  if (existsSync(status)) {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(status, 'utf8'))?.[1];
    if (kb !== undefined) return Number(kb);
  }
  if (pid !== 'self') throw new Error(`the peak memory of process ${pid} can only be read from /proc`);
  return process.resourceUsage().maxRSS;
}
