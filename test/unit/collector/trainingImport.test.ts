// Importing the compliance officer's training CSV from the command line, on SQLite and
// PostgreSQL: a good file stored with what it changed, the same file again changing
// nothing, a corrected expiry, a revocation; a malformed file or a revocation of nothing
// leaves every record as it was; each attempt in the signed access log; courses checked
// against the practice's signed policy, and a policy that does not verify refused.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { StorageConfig } from '../../../collector/collectorConfig';
import { CollectorStore } from '../../../collector/collectorStore';
import { AccessLog, loadOrCreateCollectorKey } from '../../../collector/console/accessLog';
import { runImportTraining } from '../../../collector/training/trainingCli';
import { NO_POLICY_NOTE } from '../../../collector/training/trainingImport';
import { allCompletions, recentImports } from '../../../collector/training/trainingRecords';
import type { PracticePolicySource } from '../../../collector/training/practicePolicy';
import { generatePolicyKeyPair } from '../../../main/policy/policyKeys';
import { demoKeys, signedText, validPolicy } from '../../support/policyFixtures';
import { describeOnEachStorage } from './collectorHarness';

const NOW = Date.parse('2027-03-01T12:00:00Z');
const COLLECTOR_PUBLIC_KEY = loadOrCreateCollectorKey(path.join(mkdtempSync(path.join(tmpdir(), 'cordon-key-')), 'k.pem')).publicKey.export({ format: 'pem', type: 'spki' }).toString();
const TRAINING = { courses: [{ id: 'hipaa-privacy', title: 'HIPAA privacy and security', everyMonths: 12 }, { id: 'phishing', title: 'Spotting phishing' }], contact: 'Dana Reyes, compliance officer' };

describeOnEachStorage('training import from the command line', (storage) => {
  let dir: string;
  let storageConfig: StorageConfig;
  let removeStorage: () => Promise<void>;
  let keyFile: string;
  let policy: PracticePolicySource;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'cordon-training-'));
    const created = await storage.create();
    storageConfig = created.storage;
    removeStorage = created.remove;
    keyFile = path.join(dir, 'collector-key.pem');
    loadOrCreateCollectorKey(keyFile);
    const keys = demoKeys();
    const base = validPolicy();
    writeFileSync(path.join(dir, 'policy.json'), signedText({ ...base, audit: { ...base.audit, collectorPublicKey: COLLECTOR_PUBLIC_KEY }, training: TRAINING }, keys));
    writeFileSync(path.join(dir, 'policy-key.pem'), keys.publicKeyPem);
    policy = { file: path.join(dir, 'policy.json'), keyFile: path.join(dir, 'policy-key.pem') };
  });
  afterAll(async () => {
    await removeStorage?.();
    rmSync(dir, { recursive: true, force: true });
  });

  const csv = (name: string, text: string) => {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    return file;
  };
  const run = (file: string, options: { policy?: PracticePolicySource | null; keyFile?: string } = {}) => runImportTraining({ storage: storageConfig, keyFile: options.keyFile ?? keyFile, file, policy: options.policy === undefined ? policy : options.policy, now: NOW });
  const withStore = async <T>(work: (store: CollectorStore) => Promise<T>) => {
    const store = await CollectorStore.open(storageConfig);
    try {
      return await work(store);
    } finally {
      await store.close();
    }
  };
  const records = () => withStore(async (store) => Object.fromEntries(await allCompletions(store.database)));
  const lastLogEntry = () => withStore(async (store) => (await new AccessLog(store.database, loadOrCreateCollectorKey(keyFile)).page(null, 1)).items[0]);

  const GOOD = 'subject,course,completed_on,expires_on\nva-anna,hipaa-privacy,2026-03-10,\nva-anna,phishing,2026-11-02,2027-11-02\nva-ben,hipaa-privacy,2027-01-20,\n';

  it('imports a good file, says what it changed, and records it in the access log', async () => {
    const answer = await run(csv('march.csv', GOOD));
    expect(answer).toEqual({ exitCode: 0, lines: ['import-training: march.csv: import #1, 3 rows: 3 added, 0 updated, 0 already on record, 0 revoked', expect.stringMatching(/^Recorded in the console access log \(entry \d+\)\.$/)] });
    expect(await records()).toEqual({
      'va-anna': [
        { course: 'hipaa-privacy', completedOn: '2026-03-10', expiresOn: null },
        { course: 'phishing', completedOn: '2026-11-02', expiresOn: '2027-11-02' },
      ],
      'va-ben': [{ course: 'hipaa-privacy', completedOn: '2027-01-20', expiresOn: null }],
    });
    expect(await lastLogEntry()).toMatchObject({ actor: expect.stringMatching(/^command line \(.+\)$/), action: 'import-training', outcome: 'success', target: 'march.csv: import #1, 3 rows: 3 added, 0 updated, 0 already on record, 0 revoked' });
  });

  it('the same file again changes nothing; a corrected expiry updates; a revocation removes one completion', async () => {
    expect((await run(csv('march-again.csv', GOOD))).lines[0]).toBe('import-training: march-again.csv: import #2, 3 rows: 0 added, 0 updated, 3 already on record, 0 revoked');
    const fix = 'subject,course,completed_on,expires_on,action\nva-anna,phishing,2026-11-02,2027-05-02,\nva-ben,hipaa-privacy,2027-01-20,,revoke\nva-cleo,phishing,2027-02-27,,\n';
    expect((await run(csv('fix.csv', fix))).lines[0]).toBe('import-training: fix.csv: import #3, 3 rows: 1 added, 1 updated, 0 already on record, 1 revoked');
    expect(await records()).toEqual({
      'va-anna': [
        { course: 'hipaa-privacy', completedOn: '2026-03-10', expiresOn: null },
        { course: 'phishing', completedOn: '2026-11-02', expiresOn: '2027-05-02' },
      ],
      'va-cleo': [{ course: 'phishing', completedOn: '2027-02-27', expiresOn: null }],
    });
  });

  it('a malformed file: exit 1, every problem by row and column, nothing stored, the refusal logged', async () => {
    const before = await records();
    const bad = 'subject,course,completed_on\nva-dan,hipaa-privacy,2027-01-05\nva-eve,fire-safety,2027-01-05\nva-fay,phishing,05/01/2027\n';
    const answer = await run(csv('bad.csv', bad));
    expect(answer).toEqual({
      exitCode: 1,
      lines: [
        'import-training: bad.csv: refused, 2 problems in 3 rows; nothing was imported',
        '  row 3, course: "fire-safety" is not a course the policy requires (its courses: hipaa-privacy, phishing)',
        '  row 4, completed_on: "05/01/2027" must be a date as YYYY-MM-DD, e.g. 2027-03-31',
        expect.stringMatching(/^Recorded in the console access log/),
      ],
    });
    // Row 2 was good, and is not imported either.
    expect(await records()).toEqual(before);
    expect(await lastLogEntry()).toMatchObject({ action: 'import-training', outcome: 'refused', target: 'bad.csv: refused, 2 problems in 3 rows; nothing was imported' });
  });

  it('a revocation of a completion not on record rolls the whole file back', async () => {
    const before = await records();
    const answer = await run(csv('revoke.csv', 'subject,course,completed_on,action\nva-gus,phishing,2027-02-01,add\nva-anna,phishing,2025-01-01,revoke\n'));
    expect(answer.exitCode).toBe(1);
    expect(answer.lines.slice(0, 2)).toEqual(['import-training: revoke.csv: refused, 1 problem in 2 rows; nothing was imported', '  row 3, action: revokes a completion that is not on record (va-anna, phishing, 2025-01-01)']);
    expect(await records()).toEqual(before);
    // The refused import left no import record behind either (PostgreSQL may still have used up its number).
    expect((await run(csv('gus.csv', 'subject,course,completed_on\nva-gus,phishing,2027-02-01\n'))).exitCode).toBe(0);
    expect((await withStore((store) => recentImports(store.database, 10))).map((i) => i.source)).toEqual(['gus.csv', 'fix.csv', 'march-again.csv', 'march.csv']);
  });

  it('without a policy, checks course ids for their form and says so; a policy that does not verify refuses the file', async () => {
    const unchecked = await run(csv('other.csv', 'subject,course,completed_on\nva-hal,fire-safety,2027-02-01\n'), { policy: null });
    expect(unchecked.exitCode).toBe(0);
    expect(unchecked.lines[1]).toBe(`note: ${NO_POLICY_NOTE}`);
    const stranger = path.join(dir, 'stranger.pem');
    writeFileSync(stranger, generatePolicyKeyPair().publicKeyPem);
    const refused = await run(csv('checked.csv', 'subject,course,completed_on\nva-ivy,phishing,2027-02-01\n'), { policy: { ...policy, keyFile: stranger } });
    expect(refused.exitCode).toBe(1);
    expect(refused.lines[1]).toMatch(/^ {2}the courses cannot be checked: the policy .*policy\.json is refused: signed with key [0-9a-f]{16}, which this development build does not trust/);
    expect((await records())['va-ivy']).toBeUndefined();
  });

  it('a file that cannot be read is exit 2; a missing collector key is exit 3; neither touches the records', async () => {
    expect(await run(path.join(dir, 'missing.csv'))).toMatchObject({ exitCode: 2, lines: [expect.stringMatching(/^import-training: cannot read .*missing\.csv: ENOENT/)] });
    expect(await run(csv('fine.csv', GOOD), { keyFile: path.join(dir, 'no-key.pem') })).toMatchObject({ exitCode: 3, lines: [expect.stringContaining('does not exist')] });
  });
});
