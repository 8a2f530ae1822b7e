// Exports for the compliance role, on SQLite and on PostgreSQL, from the console and the
// command line, against the demo sessions seeded through real ingest: each matches the
// sessions list's filter exactly and is recorded in the access log; the CSV parses back
// to the stored events; the FHIR bundles pass the R4 StructureDefinitions; the evidence
// package verifies with Node alone from a copy, and each kind of tampering is rejected
// with a precise message.
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { inflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StorageConfig } from '../../../collector/collectorConfig';
import { CSV_COLUMNS, csvRows, rowHash, toCsv, type CsvRow } from '../../../collector/export/csvExport';
import { runExport, runVerifyExport } from '../../../collector/export/exportCli';
import { CONSOLE_ROUTES } from '../../../common/console/consoleApi';
import { ConsoleHttpUser } from '../../support/consoleHttpUser';
import { startConsoleStack, type ConsoleStack } from '../../support/consoleStack';
import { FhirStructureValidator } from '../../support/fhirStructureValidator';
import { describeOnEachStorage } from './collectorHarness';

const run = promisify(execFile);

/** Reads toCsv's output back: quoted RFC 4180 fields, one leading ' escape stripped. */
function parseCsv(text: string): CsvRow[] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  const input = text.startsWith('\uFEFF') ? text.slice(1) : text;
  for (let i = 0; i < input.length; i += 1) {
    const ch = input[i] as string;
    if (quoted && ch === '"' && input[i + 1] === '"') {
      field += '"';
      i += 1;
    } else if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === ',') {
      record.push(field);
      field = '';
    } else if (!quoted && ch === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else if (quoted || ch !== '\r') field += ch;
  }
  const [header, ...rows] = records;
  expect(header).toEqual([...CSV_COLUMNS]);
  return rows.map((values) => Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, (values[i] ?? '').replace(/^'(?=[=+\-@\t\r'])/, '')])) as CsvRow);
}

/** The entries of a ZIP (central directory, deflated or stored), as a browser's user would unpack it. */
function unzip(zip: Buffer): Map<string, Buffer> {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const files = new Map<string, Buffer>();
  for (let i = 0; i < count; i += 1) {
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extra = zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    const local = zip.readUInt32LE(at + 42);
    const dataAt = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(dataAt, dataAt + size);
    files.set(name, method === 8 ? inflateRawSync(data) : data);
    at += 46 + nameLength + extra;
  }
  return files;
}

describe('CSV export', () => {
  it('is spreadsheet-safe: no cell starts a formula, and every value reads back exactly', () => {
    const hostile = ['=HYPERLINK("http://evil.example","x")', '+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1', "'=already escaped", 'line\nbreak, "quoted"'];
    const events = hostile.map((reason, i) => {
      const event = { type: 'clipboard.blocked', outcome: 'blocked' as const, recordedAt: '2027-03-01T12:00:00.000Z', reason, origin: reason, appId: reason };
      return { deviceId: 'a'.repeat(32), seq: i + 1, body: JSON.stringify(event), link: 'b'.repeat(64), receivedAt: 0, event };
    });
    const selection = { filters: {}, sessions: 1, devices: [{ deviceId: 'a'.repeat(32), deviceName: '=cmd|calc', publicKeyPem: '', software: null }], events };
    const text = toCsv(csvRows(selection));
    const cells = text.slice(1).split('\r\n').flatMap((line) => line.match(/"(?:[^"]|"")*"/g) ?? []);
    for (const cell of cells) expect(cell, cell).not.toMatch(/^"[=+\-@\t\r]/);
    const rows = parseCsv(text);
    expect(rows.map((r) => r.reason)).toEqual(hostile);
    expect(rows.map((r) => r.origin)).toEqual(hostile);
    expect(rows[0]?.device_name).toBe('=cmd|calc');
  });
});

describeOnEachStorage('exports', (storage) => {
  let stack: ConsoleStack;
  let storageConfig: StorageConfig;
  let removeStorage: () => Promise<void>;
  let cora: ConsoleHttpUser;
  const work = mkdtempSync(path.join(tmpdir(), 'cordon-export-'));
  const structure = new FhirStructureValidator();

  beforeAll(async () => {
    const created = await storage.create();
    removeStorage = created.remove;
    storageConfig = created.storage;
    stack = await startConsoleStack({ storage: created.storage });
    cora = await ConsoleHttpUser.signedIn(stack, 'cora');
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
    await removeStorage?.();
    rmSync(work, { recursive: true, force: true });
  });

  const download = async (query: string) => {
    const response = await fetch(`${stack.collector.url}${CONSOLE_ROUTES.exportEvents.path}?${query}`, { headers: { cookie: [...cora.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
    return { status: response.status, headers: response.headers, body: Buffer.from(await response.arrayBuffer()) };
  };
  const lastLogEntry = async () => ((await cora.request('GET', `${CONSOLE_ROUTES.accessLog.path}?limit=1`)).json.items as { action: string; outcome: string; target: string; actor: string }[])[0];
  /** The events of every session the sessions list shows for `query`, all pages, from the database. */
  const listedEvents = async (query: string) => {
    const sessions: { deviceId: string; code: string; events: number }[] = [];
    let cursor: string | null = null;
    do {
      const page = await cora.request('GET', `${CONSOLE_ROUTES.sessions.path}?${query}&limit=2${cursor === null ? '' : `&cursor=${cursor}`}`);
      sessions.push(...(page.json.items as typeof sessions));
      cursor = page.json.nextCursor as string | null;
    } while (cursor !== null);
    const rows: { device_id: string; seq: number; body: string; link: string }[] = [];
    for (const s of sessions) rows.push(...((await stack.sql('select device_id, seq, body, link from events where device_id = ? and session_code = ? order by seq', s.deviceId, s.code)) as typeof rows));
    return { sessions, rows: rows.map((r) => ({ ...r, seq: Number(r.seq) })).sort((a, b) => (a.device_id < b.device_id ? -1 : a.device_id > b.device_id ? 1 : a.seq - b.seq)) };
  };

  it('exports CSV matching the sessions list for the same filter, parses back to the stored events, and logs the export', async () => {
    const subject = stack.seeded?.late.subject as string;
    for (const query of ['', `user=${subject}`, `hasAlerts=true`, `device=${stack.seeded?.late.deviceId}&code=${stack.seeded?.late.code}`]) {
      const answer = await download(`format=csv&${query}`);
      expect(answer.status, query).toBe(200);
      expect(answer.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(answer.headers.get('content-disposition')).toMatch(/^attachment; filename="cordon-audit-\d{8}T\d{6}Z\.csv"$/);
      const rows = parseCsv(answer.body.toString('utf8'));
      const entry = await lastLogEntry();
      expect(entry).toMatchObject({ action: 'export-events', outcome: 'success', actor: 'Cora Compliance [demo-cmp-0001]' });
      expect(entry?.target).toMatch(new RegExp(`^csv of .*\\(${rows.length} events in \\d+ sessions\\)$`));
      const listed = await listedEvents(query === '' || query.includes('code=') ? query.replace(/&?code=[^&]*/, '') : query);
      const expected = query.includes('code=') ? listed.rows.filter((r) => JSON.parse(r.body).session === stack.seeded?.late.code) : listed.rows;
      expect(rows.map((r) => [r.device_id, Number(r.seq), r.body, r.link])).toEqual(expected.map((r) => [r.device_id, r.seq, r.body, r.link]));
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) {
        const { row_hash: hash, ...rest } = row;
        expect(rowHash(rest)).toBe(hash);
        expect(row.type).toBe(JSON.parse(row.body).type);
      }
    }
  });

  it('refuses exports to supervisors and bad filters with a clear 4xx, each in the access log', async () => {
    const sam = await ConsoleHttpUser.signedIn(stack, 'sam');
    expect((await sam.request('GET', `${CONSOLE_ROUTES.exportEvents.path}?format=csv`)).status).toBe(403);
    for (const [query, message] of [['format=xml', /format/], ['', /format/], ['format=csv&from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z', /to: must not be before from/], ['format=csv&code=nope', /code/]] as const) {
      const answer = await cora.request('GET', `${CONSOLE_ROUTES.exportEvents.path}?${query}`);
      expect(answer.status, query).toBe(400);
      expect(String(answer.json.message)).toMatch(message);
      expect(await lastLogEntry()).toMatchObject({ action: 'export-events', outcome: 'refused' });
    }
  });

  it('exports FHIR R4 collection and transaction Bundles that pass the StructureDefinitions, opening with the export as Audit Log Used', async () => {
    const rows = (await listedEvents('')).rows;
    for (const kind of ['collection', 'transaction'] as const) {
      const answer = await download(`format=fhir-${kind}`);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toBe('application/fhir+json');
      const bundle = JSON.parse(answer.body.toString('utf8')) as { type: string; entry: { fullUrl: string; resource: { id?: string; type: { code: string }; agent: { who: { identifier?: { value: string } } }[] }; request?: unknown }[] };
      expect(structure.validate(bundle)).toEqual([]);
      expect(bundle.type).toBe(kind);
      expect(bundle.entry).toHaveLength(rows.length + 1);
      expect(bundle.entry[0]?.resource.type.code).toBe('110101');
      expect(bundle.entry[0]?.resource.agent[0]?.who.identifier?.value).toBe('demo-cmp-0001');
      expect(bundle.entry.slice(1).every((e) => e.resource.type.code !== '110101')).toBe(true);
      if (kind === 'transaction') expect(bundle.entry.every((e) => JSON.stringify(e.request) === '{"method":"POST","url":"AuditEvent"}')).toBe(true);
      else expect(bundle.entry.slice(1).map((e) => e.resource.id)).toEqual(rows.map((r) => `${r.device_id}-${r.seq}`));
    }
    // The validator is not a rubber stamp: a broken bundle fails it.
    expect(structure.validate({ resourceType: 'Bundle', type: 'transaction', entry: [{ fullUrl: 'urn:uuid:1', resource: { resourceType: 'AuditEvent' } }] })).toEqual(
      expect.arrayContaining([expect.stringContaining('bdl-3'), expect.stringContaining('Bundle.entry[0].resource.recorded: at least 1 required')]),
    );
  });

  let evidenceDir = '';
  let keyId = '';

  it('exports an evidence package that verifies offline from a copy, with Node alone, and says which ranges it covers', async () => {
    const answer = await download('format=evidence');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/zip');
    const files = unzip(answer.body);
    const folder = [...files.keys()][0]?.split('/')[0] as string;
    expect(folder).toMatch(/^cordon-evidence-\d{8}T\d{6}Z$/);
    evidenceDir = path.join(work, folder);
    for (const [name, bytes] of files) {
      mkdirSync(path.dirname(path.join(work, name)), { recursive: true });
      writeFileSync(path.join(work, name), bytes);
    }
    expect(readdirSync(evidenceDir).sort()).toEqual(['README.txt', 'checkpoints.json', 'collector-key.pem', 'devices.json', 'events.jsonl', 'manifest.json', 'manifest.sig', 'verify-evidence.mjs']);
    const entry = await lastLogEntry();
    expect(entry).toMatchObject({ action: 'export-events', outcome: 'success' });
    keyId = /signed by collector key ([0-9a-f]{16})/.exec(entry?.target ?? '')?.[1] as string;
    expect(keyId).toMatch(/^[0-9a-f]{16}$/);

    // A copy far from the repository: no node_modules, nothing but Node.
    const copy = mkdtempSync(path.join(tmpdir(), 'auditor-'));
    cpSync(evidenceDir, copy, { recursive: true });
    try {
      const verified = await run(process.execPath, ['verify-evidence.mjs', '--key', keyId], { cwd: copy });
      expect(verified.stdout).toMatch(/^VERIFIED: every selected event is authentic/);
      expect(verified.stdout).toMatch(/events \d+\.\.\d+ are complete and authentic \(chained from event \d+ to the device's signed checkpoint at \d+; \d+ of them selected\)/);
      expect(verified.stdout).toContain(`signed by the practice's collector key ${keyId}`);
      const unconfirmed = await run(process.execPath, [path.join(copy, 'verify-evidence.mjs')]).catch((error: { code: number; stdout: string }) => error);
      expect(unconfirmed).toMatchObject({ code: 4, stdout: expect.stringContaining('NOT CONFIRMED who made it') });
      writeFileSync(path.join(copy, 'events.jsonl'), readFileSync(path.join(copy, 'events.jsonl'), 'utf8').replace(String.raw`\"outcome\":\"blocked\"`, String.raw`\"outcome\":\"success\"`));
      const rejected = await run(process.execPath, ['verify-evidence.mjs', '--key', keyId], { cwd: copy }).catch((error: { code: number; stdout: string }) => error);
      expect(rejected).toMatchObject({ code: 1, stdout: expect.stringMatching(/^REJECTED/) });
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
    const same = await runVerifyExport(evidenceDir, { key: keyId });
    expect(same.exitCode).toBe(0);
  });

  /** A fresh copy of the package, changed by `tamper`, verified as `npm run collector -- verify-export` would. */
  const tampered = async (tamper: (dir: string) => void) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tampered-'));
    cpSync(evidenceDir, dir, { recursive: true });
    try {
      tamper(dir);
      return await runVerifyExport(dir, { key: keyId });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  const lines = (dir: string) => readFileSync(path.join(dir, 'events.jsonl'), 'utf8').trimEnd().split('\n');
  const writeLines = (dir: string, list: string[]) => writeFileSync(path.join(dir, 'events.jsonl'), `${list.join('\n')}\n`);
  const selectedLine = (list: string[]) => list.findIndex((l, i) => i > 0 && l.includes('"selected":true') && list[i + 1]?.includes('"selected":true') === true && JSON.parse(l).deviceId === JSON.parse(list[i + 1] as string).deviceId);

  it('rejects an edited event, even with its chain links recomputed', async () => {
    const edited = await tampered((dir) => {
      const list = lines(dir);
      const i = selectedLine(list);
      const event = JSON.parse(list[i] as string) as { body: string };
      list[i] = JSON.stringify({ ...event, body: event.body.replace(/"recordedAt":"[^"]+"/, '"recordedAt":"2020-01-01T00:00:00.000Z"') });
      writeLines(dir, list);
    });
    expect(edited.exitCode).toBe(1);
    expect(edited.lines.join('\n')).toMatch(/events \d+\.\.\d+: event \d+ does not match its chain link/);
    expect(edited.lines.join('\n')).toMatch(/events\.jsonl was changed after the package was made/);

    const relinked = await tampered((dir) => {
      const list = lines(dir).map((l) => JSON.parse(l) as { deviceId: string; seq: number; link: string; body: string });
      const i = selectedLine(lines(dir));
      const device = list[i]?.deviceId;
      (list[i] as { body: string }).body = (list[i] as { body: string }).body.replace(/"recordedAt":"[^"]+"/, '"recordedAt":"2020-01-01T00:00:00.000Z"');
      for (let j = i; j < list.length && list[j]?.deviceId === device; j += 1) {
        const previous = list[j - 1] as { link: string };
        (list[j] as { link: string }).link = createHash('sha256').update(Buffer.from(previous.link, 'hex')).update((list[j] as { body: string }).body, 'utf8').digest('hex');
      }
      writeLines(dir, list.map((e) => JSON.stringify(e)));
    });
    expect(relinked.exitCode).toBe(1);
    expect(relinked.lines.join('\n')).toMatch(/the checkpoint at event \d+ signs another chain link than the events lead to/);
  });

  it('rejects a removed event and reordered events, naming the event', async () => {
    const removed = await tampered((dir) => {
      const list = lines(dir);
      const i = selectedLine(list);
      list.splice(i, 1);
      writeLines(dir, list);
    });
    expect(removed.exitCode).toBe(1);
    expect(removed.lines.join('\n')).toMatch(/event (\d+) is missing \(the next stored event is \d+\)/);
    expect(removed.lines.join('\n')).toMatch(/selected event \d+ is listed in the manifest but missing from events\.jsonl/);

    const reordered = await tampered((dir) => {
      const list = lines(dir);
      const i = selectedLine(list);
      [list[i], list[i + 1]] = [list[i + 1] as string, list[i] as string];
      writeLines(dir, list);
    });
    expect(reordered.exitCode).toBe(1);
    expect(reordered.lines.join('\n')).toMatch(/events\.jsonl line \d+: event \d+ of device [0-9a-f]{32} comes after event \d+ of device [0-9a-f]{32} \(events were reordered\)/);
  });

  it('rejects a swapped checkpoint', async () => {
    const swapped = await tampered((dir) => {
      const checkpoints = JSON.parse(readFileSync(path.join(dir, 'checkpoints.json'), 'utf8')) as { deviceId: string; seq: number; link: string; signature: string }[];
      expect(checkpoints.length).toBeGreaterThan(1);
      const [a, b] = checkpoints as [(typeof checkpoints)[0], (typeof checkpoints)[0]];
      [a.signature, b.signature] = [b.signature, a.signature];
      writeFileSync(path.join(dir, 'checkpoints.json'), JSON.stringify(checkpoints));
    });
    expect(swapped.exitCode).toBe(1);
    expect(swapped.lines.join('\n')).toMatch(/the checkpoint at event \d+ is not signed by this device's key/);
  });

  it('rejects a manifest re-signed by another key, and a manifest edited under the old signature', async () => {
    const resigned = await tampered((dir) => {
      const other = generateKeyPairSync('ed25519');
      const manifest = readFileSync(path.join(dir, 'manifest.json'));
      writeFileSync(path.join(dir, 'manifest.sig'), sign(null, manifest, other.privateKey).toString('base64url'));
      writeFileSync(path.join(dir, 'collector-key.pem'), other.publicKey.export({ type: 'spki', format: 'pem' }));
    });
    expect(resigned.exitCode).toBe(1);
    expect(resigned.lines.join('\n')).toMatch(new RegExp(`the manifest is signed by collector key [0-9a-f]{16}, not by the practice's collector key ${keyId} that you trust`));
    const edited = await tampered((dir) => writeFileSync(path.join(dir, 'manifest.json'), readFileSync(path.join(dir, 'manifest.json'), 'utf8').replace(/"events": \d+/, '"events": 1')));
    expect(edited.exitCode).toBe(1);
    expect(edited.lines.join('\n')).toMatch(/manifest\.sig is not a signature of manifest\.json/);
    const unreadable = await runVerifyExport(path.join(work, 'nowhere'));
    expect(unreadable).toMatchObject({ exitCode: 3, lines: [expect.stringContaining('cannot be read')] });
  });

  it('exports from the command line with the same filters and schema, logged as the command line', async () => {
    const out = path.join(work, 'cli-evidence');
    const done = await runExport({ storage: storageConfig, keyFile: stack.keyFile, query: { format: 'evidence', user: stack.seeded?.late.subject as string }, out });
    expect(done.exitCode, done.lines.join('\n')).toBe(0);
    expect(done.lines.join('\n')).toContain(`--key ${keyId}`);
    expect((await runVerifyExport(out, { key: keyId })).exitCode).toBe(0);
    expect(await lastLogEntry()).toMatchObject({ action: 'export-events', outcome: 'success', actor: expect.stringMatching(/^command line \(/), target: expect.stringContaining('evidence of user=') });
    expect((await runExport({ storage: storageConfig, keyFile: stack.keyFile, query: { format: 'evidence' }, out })).exitCode).toBe(3);
    expect(await runExport({ storage: storageConfig, keyFile: stack.keyFile, query: { format: 'pdf' }, out: path.join(work, 'x') })).toMatchObject({ exitCode: 2, lines: [expect.stringContaining('format')] });
    expect((await runExport({ storage: storageConfig, keyFile: path.join(work, 'no-key.pem'), query: { format: 'csv' }, out: path.join(work, 'x.csv') })).exitCode).toBe(3);
    // The console's own access log still verifies: the command line signed with the same key.
    expect((await cora.request('GET', `${CONSOLE_ROUTES.accessLog.path}?limit=1`)).json.chain).toMatchObject({ intact: true });
  });

  it('does not claim events are authentic when no device checkpoint covers them (stored before checkpoints were kept)', async () => {
    await stack.sql('delete from checkpoints');
    const out = path.join(work, 'no-checkpoints');
    expect((await runExport({ storage: storageConfig, keyFile: stack.keyFile, query: { format: 'evidence' }, out })).exitCode).toBe(0);
    const verdict = await runVerifyExport(out, { key: keyId });
    expect(verdict.exitCode).toBe(1);
    expect(verdict.lines.join('\n')).toMatch(/no checkpoint signed by the device covers these events .* so they are not proven authentic/);
  });
});
