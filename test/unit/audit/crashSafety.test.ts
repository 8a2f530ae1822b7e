// A writer process killed with SIGKILL at random points, many times: no event whose
// append had returned is lost, and the chain stays valid across every crash.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { AuditQueue } from '../../../main/audit/auditQueue';
import { REPO_ROOT } from '../../support/policyFixtures';

const KILLS = 12;

function runAndKill(file: string, keyHex: string, batch: number, killAfterMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    // One process (node with tsx's loader), so SIGKILL hits the writer itself, not a wrapper.
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'test/support/auditWriterProcess.ts'), file, keyHex, String(batch)], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let errors = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      // Start the clock once the writer is really appending.
      timer ??= setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    });
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.on('exit', (_code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL') return reject(new Error(`writer exited on its own: ${errors}`));
      const acked = [...output.matchAll(/^ACK (\d+)$/gm)].map((m) => Number(m[1]));
      resolve(acked.at(-1) ?? 0);
    });
  });
}

it(`loses no acknowledged event across ${KILLS} SIGKILLs at random points`, async () => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'cordon-crash-')), 'audit.db');
  const key = randomBytes(32);
  let highestAcked = 0;
  for (let round = 0; round < KILLS; round += 1) {
    const acked = await runAndKill(file, key.toString('hex'), round % 2 === 0 ? 1 : 25, 30 + Math.floor(Math.random() * 250));
    expect(acked).toBeGreaterThan(highestAcked);
    const queue = AuditQueue.open(file, key);
    try {
      // Everything acknowledged is there (more may be: killed after commit, before print).
      expect(queue.lastSeq).toBeGreaterThanOrEqual(acked);
      expect(queue.verifyChain()).toBeNull();
      highestAcked = queue.lastSeq;
    } finally {
      queue.close();
    }
  }
}, 120_000);
