// Retention and disposal (issue 17 item 5) on SQLite and PostgreSQL, against a history
// delivered through real ingest: after a disposal run the remaining chains still verify
// from their signed anchors, the disposed events are gone from the database files (their
// bytes, not only their rows), and a legal hold keeps what it covers until it is released.
import { execFile } from 'node:child_process';
import { sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AccessLog } from '../../../collector/console/accessLog';
import { ConsoleStore } from '../../../collector/console/consoleStore';
import { runExport, runVerifyExport } from '../../../collector/export/exportCli';
import { deviceChain } from '../../../collector/retention/anchorMessage';
import { runDisposal } from '../../../collector/retention/disposal';
import { recentDisposals, verifyDisposalRecords } from '../../../collector/retention/disposalRecords';
import { placeHold, releaseHold } from '../../../collector/retention/legalHolds';
import { verifyRetainedChain } from '../../../collector/retention/retainedChain';
import { readAnchor } from '../../../collector/retention/retentionAnchors';
import { describeOnEachStorage } from './collectorHarness';
import { CODES, DAY, LATER, NOW, postgresFileBytes, SIX_YEARS, sqliteFileBytes, startScenario, T0, type Scenario } from './retentionScenario';

const run = promisify(execFile);

describeOnEachStorage('retention and disposal', (storage) => {
  let s: Scenario;
  const work = mkdtempSync(path.join(tmpdir(), 'cordon-retention-export-'));
  const holds: number[] = [];
  beforeAll(async () => {
    s = await startScenario(storage);
  }, 60_000);
  afterAll(async () => {
    await s?.close();
    rmSync(work, { recursive: true, force: true });
  });

  const deps = () => ({ db: s.store.database, storage: s.storage.kind, key: s.key });
  const eventSeqs = async (deviceId: string) => (await s.store.deviceEvents(deviceId)).map((e) => e.seq);
  const sessionCodes = async () => (await s.store.database.selectFrom('sessions').select('code').orderBy('code').execute()).map((r) => r.code);
  /**
   * The database's bytes on disk, or null (with the reason printed) where this process cannot
   * read PostgreSQL's files. `flush`: PostgreSQL first rewrites the events table, so rows still
   * only in its shared buffers are in the files too (the test role may not CHECKPOINT).
   */
  const fileBytes = async (flush = false): Promise<Buffer | null> => {
    if (s.storage.kind === 'sqlite') return sqliteFileBytes(s.storage.file);
    if (flush) await sql`vacuum full events`.execute(s.store.database);
    const read = await postgresFileBytes(s.storage);
    if ('unreadable' in read) {
      console.log(`SKIPPED retention-postgres-file-bytes: ${read.unreadable}`);
      return null;
    }
    expect(read.files).toBeGreaterThan(10);
    return read.bytes;
  };

  it('prepares alerts and reviews of the old history, and puts a device and a VA on hold', async () => {
    const db = s.store.database;
    await s.store.addAlert({ kind: 'gap', deviceId: s.a.device.deviceId, seq: 3, detail: 'events 3..3 never arrived' }, T0, '10.0.0.5');
    await s.store.addAlert({ kind: 'fork', deviceId: s.a.device.deviceId, seq: 4, detail: 'acknowledged event 4 came back with a different chain link' }, T0, '10.0.0.5');
    await s.store.addAlert({ kind: 'edit', deviceId: s.b.device.deviceId, seq: 2, detail: 'acknowledged event 2 came back with different content' }, T0, '10.0.0.6');
    const [gap, , held] = await s.store.alerts();
    await db.updateTable('alerts').set({ status: 'resolved', handled_by: 'it', handled_at: T0 + DAY }).where('id', 'in', [gap?.id as number, held?.id as number]).execute();
    const reviews = new ConsoleStore(db);
    // Session 1's review is recent: its row outlives its events. Session 4's is as old as its events.
    expect(await reviews.review(s.a.device.deviceId, CODES.a1, 'reviewed', 'routine review', 'Sam Supervisor', LATER)).toBe(true);
    expect(await reviews.review(s.c.device.deviceId, CODES.c4, 'flagged', 'looked unusual', 'Sam Supervisor', T0 + DAY)).toBe(true);

    for (const request of [
      { kind: 'device' as const, target: s.b.device.deviceId, reason: 'Breach investigation 2026-02', by: 'command line (it)' },
      { kind: 'user' as const, target: 'va-held', reason: 'Litigation hold, matter 2026-007', by: 'Cora Compliance [demo-cmp-0001]' },
    ]) {
      const placed = await placeHold(db, request, NOW - DAY);
      if (!placed.ok) throw new Error(placed.message);
      holds.push(placed.hold.id);
    }
  });

  it('disposes of each device\'s expired prefix, stops at held events and never inside a session, and says what the holds kept', async () => {
    const before = await fileBytes(true);
    if (before !== null) {
      // The check below can fail: the disposed event's bytes are in the files now.
      expect(before.includes(s.a.markers.get(3) as string)).toBe(true);
    }
    const result = await runDisposal(deps(), SIX_YEARS, { now: NOW, by: 'command line (it)' });
    expect(result.error).toBeNull();
    expect(result.skipped).toBeNull();
    expect(result.events).toEqual([
      // Front desk: session 2 started before the cutoff but goes on after it, so it stays whole.
      { deviceId: s.a.device.deviceId, from: 1, to: 5, count: 5, recordSeq: expect.any(Number) },
      // Billing: va-held's session (events 3-4) stops the prefix.
      { deviceId: s.c.device.deviceId, from: 1, to: 2, count: 2, recordSeq: expect.any(Number) },
    ].sort((x, y) => (x.deviceId < y.deviceId ? -1 : 1)));
    expect(result.blocked).toEqual(
      expect.arrayContaining([
        { what: 'events', deviceId: s.b.device.deviceId, holdIds: [holds[0]], detail: expect.stringContaining(`events 1..3 of device ${s.b.device.deviceId} are past their retention period; the device is on hold`) },
        { what: 'events', deviceId: s.c.device.deviceId, holdIds: [holds[1]], detail: expect.stringContaining('events 3..6') },
        { what: 'alerts', deviceId: null, holdIds: [holds[0]], detail: expect.stringContaining('1 handled alert') },
        { what: 'access-log', deviceId: null, holdIds: holds, detail: expect.stringContaining('access log entries 1..3 are past the retention period; the access log is kept whole while a legal hold is active') },
      ]),
    );
    expect(result.alerts).toEqual({ count: 1, recordSeq: expect.any(Number) });
    expect(result.accessLog).toBeNull();

    expect(await eventSeqs(s.a.device.deviceId)).toEqual([6, 7, 8, 9]);
    expect(await eventSeqs(s.b.device.deviceId)).toEqual([1, 2, 3, 4]);
    expect(await eventSeqs(s.c.device.deviceId)).toEqual([3, 4, 5, 6, 7]);
    // Session 1 keeps its row for its recent review; session 4's old review went with its events.
    expect(await sessionCodes()).toEqual([CODES.a1, CODES.a2, CODES.b3, CODES.c5, CODES.c6]);
    // The open alert and the held device's alert stay; the handled one about Front desk went.
    expect((await s.store.alerts()).map((a) => a.kind)).toEqual(['fork', 'edit']);

    const after = await fileBytes();
    if (after !== null) {
      for (const seq of [1, 3, 5]) expect(after.includes(s.a.markers.get(seq) as string), `Front desk event ${seq}`).toBe(false);
      for (const seq of [1, 2]) expect(after.includes(s.c.markers.get(seq) as string), `Billing event ${seq}`).toBe(false);
      expect(after.includes(s.a.markers.get(6) as string)).toBe(true);
      expect(after.includes(s.c.markers.get(3) as string)).toBe(true);
      expect(after.includes(s.b.markers.get(1) as string)).toBe(true);
    }
    expect(result.erased).toMatch(s.storage.kind === 'sqlite' ? /rebuilt \(VACUUM\) and its write-ahead log emptied/ : /rewritten \(VACUUM FULL\)/);
  });

  it('leaves every remaining chain verifiable from a signed anchor, and records each disposal in a signed chain', async () => {
    for (const [target, through] of [[s.a, 5], [s.b, 0], [s.c, 2]] as const) {
      expect(await verifyRetainedChain(s.store.database, s.key, target.device.deviceId)).toMatchObject({ intact: true, disposedThrough: through, headSeq: target.device.head.seq, headSigned: true, problem: null });
    }
    const anchor = await readAnchor(s.store.database, deviceChain(s.a.device.deviceId));
    expect(anchor).toMatchObject({ seq: 5, link: s.a.device.chain[4]?.link, keyId: s.key.keyId });
    // The console's timeline of the first kept session chains from the anchor: no gap where event 5 was.
    const timeline = await new ConsoleStore(s.store.database).timeline(s.a.device.deviceId, CODES.a2);
    expect(timeline?.events.map((e) => e.seq)).toEqual([6, 7, 8, 9]);
    expect(timeline?.stretches.map((st) => st.status)).not.toContain('gap');

    expect(await verifyDisposalRecords(s.store.database, s.key)).toMatchObject({ intact: true, entries: 3, problem: null });
    const records = await recentDisposals(s.store.database, 10);
    expect(records.find((r) => r.what === 'events' && r.deviceId === s.a.device.deviceId)).toEqual({
      seq: anchor?.recordSeq,
      at: new Date(NOW).toISOString(),
      by: 'command line (it)',
      what: 'events',
      deviceId: s.a.device.deviceId,
      from: 1,
      to: 5,
      count: 5,
      lastDisposedLink: s.a.device.chain[4]?.link,
      firstKept: { seq: 6, link: s.a.device.chain[5]?.link },
      rule: { period: '6 years', cutoff: new Date(Date.UTC(2020, 1, 9, 9)).toISOString(), basis: 'received' },
    });

    // A forged anchor (moved without the collector's key) is caught.
    await s.store.database.withTables<{ retention_anchors: { chain: string; seq: number } }>().updateTable('retention_anchors').set({ seq: 4 }).where('chain', '=', deviceChain(s.a.device.deviceId)).execute();
    expect(await verifyRetainedChain(s.store.database, s.key, s.a.device.deviceId)).toMatchObject({ intact: false, problem: expect.stringContaining('not signed by this collector') });
    await s.store.database.withTables<{ retention_anchors: { chain: string; seq: number } }>().updateTable('retention_anchors').set({ seq: 5 }).where('chain', '=', deviceChain(s.a.device.deviceId)).execute();
  });

  it('exports an evidence package of the kept events that verifies offline and names the disposed prefix as disposed, by its record', async () => {
    const out = path.join(work, 'evidence-front-desk');
    const exported = await runExport({ storage: s.storage, keyFile: s.keyFile, query: { format: 'evidence', device: s.a.device.deviceId }, out, now: NOW });
    expect(exported.exitCode, exported.lines.join('\n')).toBe(0);
    const record = (await readAnchor(s.store.database, deviceChain(s.a.device.deviceId)))?.recordSeq;
    const verified = await run(process.execPath, [path.join(out, 'verify-evidence.mjs'), '--key', s.key.keyId]);
    expect(verified.stdout).toMatch(/^VERIFIED/);
    expect(verified.stdout).toContain(`events 1..5 were disposed under the practice's retention policy (disposal record ${record}, ${new Date(NOW).toISOString()}); the events kept after them chain from the collector-signed link of event 5`);
    expect(verified.stdout).toContain('events 6..9 are complete and authentic (chained from the disposal anchor at event 5 to the device\'s signed checkpoint at 9; 4 of them selected)');

    // The disposal statement must be the collector key's own: one changed under a re-signed manifest is caught.
    const manifestFile = path.join(out, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { devices: { disposed?: { through: number } }[] };
    (manifest.devices[0]?.disposed as { through: number }).through = 4;
    writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
    writeFileSync(path.join(out, 'manifest.sig'), `${sign(null, readFileSync(manifestFile), s.key.privateKey).toString('base64url')}\n`);
    const rejected = await runVerifyExport(out, { key: s.key.keyId });
    expect(rejected.exitCode).toBe(1);
    expect(rejected.lines.join('\n')).toContain('the statement that events 1..4 were disposed is not signed by the collector key');
  });

  it('lets a device go on delivering after disposal, re-sent kept events included', async () => {
    const previous = s.a.device.events(8, 9);
    await s.deliver(s.a, 2, NOW);
    const resent = await s.a.device.sendBatch([...previous, ...s.a.device.events(10, 11)], {}, { timestamp: new Date(NOW).toISOString() });
    expect(resent.status, resent.text).toBe(200);
    expect(await verifyRetainedChain(s.store.database, s.key, s.a.device.deviceId)).toMatchObject({ intact: true, headSeq: 11 });
    // A batch re-sending disposed events cannot be compared: the device is told where to go on, as after a lost acknowledgement.
    const alerts = await s.collector.alerts(s.a.device.deviceId);
    const stale = await s.a.device.sendBatch(s.a.device.events(4, 11), {}, { timestamp: new Date(NOW).toISOString() });
    expect(stale.status).toBe(409);
    expect(stale.json).toEqual({ error: 'gap', message: 'events from 4 on were acknowledged before, and the oldest of them disposed under the retention policy: continue after event 11', expectedSeq: 12 });
    expect(await s.collector.alerts(s.a.device.deviceId)).toEqual(alerts);
  });

  it('disposes of what the holds kept once they are released, the access log included, which still verifies', async () => {
    for (const id of holds) expect((await releaseHold(s.store.database, id, 'Cora Compliance [demo-cmp-0001]', NOW)).ok).toBe(true);
    const result = await runDisposal(deps(), SIX_YEARS, { now: NOW + DAY, by: 'automatic' });
    expect(result.blocked).toEqual([]);
    expect(result.events.map((e) => [e.deviceId === s.b.device.deviceId ? 'b' : 'c', e.from, e.to])).toEqual(
      [
        ['b', 1, 3],
        ['c', 3, 6],
      ].sort((x, y) => ((x[0] === 'b' ? s.b : s.c).device.deviceId < (y[0] === 'b' ? s.b : s.c).device.deviceId ? -1 : 1)),
    );
    // Exam room keeps its newest event: its chain goes on from a stored event.
    expect(await eventSeqs(s.b.device.deviceId)).toEqual([4]);
    expect(result.accessLog).toEqual({ from: 1, to: 3, count: 3, recordSeq: expect.any(Number) });
    const log = new AccessLog(s.store.database, s.key);
    // Entries 4 and 5 of the scenario, and the export's entry 6, are kept.
    expect(await log.verify()).toEqual({ intact: true, entries: 3, problem: null, disposedThrough: 3 });
    expect((await log.page(null, 10)).items.map((e) => [e.seq, e.action])).toEqual([
      [6, 'export-events'],
      [5, 'view-session'],
      [4, 'view-session'],
    ]);
    await log.append({ actor: 'Cora Compliance [demo-cmp-0001]', action: 'view-access-log', outcome: 'success', target: null }, NOW + DAY);
    expect(await log.verify()).toMatchObject({ intact: true, entries: 4 });
    // Its anchor is the collector key's: moved by someone without it, the log no longer verifies.
    const anchors = s.store.database.withTables<{ retention_anchors: { chain: string; link: string } }>();
    await anchors.updateTable('retention_anchors').set({ link: s.a.device.chain[0]?.link as string }).where('chain', '=', 'access-log').execute();
    expect(await log.verify()).toMatchObject({ intact: false, problem: 'the retention anchor at entry 3 of access-log is not signed by this collector\'s key' });
    for (const target of [s.a, s.b, s.c]) expect((await verifyRetainedChain(s.store.database, s.key, target.device.deviceId)).intact).toBe(true);
    expect(await verifyDisposalRecords(s.store.database, s.key)).toMatchObject({ intact: true, entries: 7 });
  });

  it('disposes of a review by its own period, with the session row whose events are already gone', async () => {
    expect(await sessionCodes()).toEqual([CODES.a1, CODES.a2]);
    const later = Date.UTC(2029, 1, 10, 9);
    const result = await runDisposal(deps(), { ...SIX_YEARS, events: { years: 10 } }, { now: later, by: 'automatic' });
    expect(result.events).toEqual([]);
    expect(result.reviews).toEqual({ removed: 1, cleared: 0, recordSeq: expect.any(Number) });
    expect(await sessionCodes()).toEqual([CODES.a2]);
  });

  it('does nothing the second time, and a dry run changes nothing', async () => {
    const records = (await verifyDisposalRecords(s.store.database, s.key)).entries;
    const dry = await runDisposal(deps(), { ...SIX_YEARS, events: { days: 1 } }, { now: NOW + 2 * DAY, by: 'command line (it)', dryRun: true });
    // Every event of Front desk is a day old by then, but its newest (11) always stays.
    expect(dry.events.find((e) => e.deviceId === s.a.device.deviceId)).toEqual({ deviceId: s.a.device.deviceId, from: 6, to: 10, count: 5, recordSeq: null });
    expect(await eventSeqs(s.a.device.deviceId)).toEqual([6, 7, 8, 9, 10, 11]);
    const again = await runDisposal(deps(), SIX_YEARS, { now: NOW + 2 * DAY, by: 'automatic' });
    expect(again).toMatchObject({ events: [], alerts: null, reviews: null, accessLog: null, erased: null, error: null });
    expect((await verifyDisposalRecords(s.store.database, s.key)).entries).toBe(records);
  });
});
