// The updater's wiring: electron-updater is a TEST DOUBLE here (it needs the Electron
// binary) that records what Cordon asks of it and "downloads" real files; the feed is a
// real HTTP server and the signatures real Ed25519. A download installs only when it is
// the signed release's bytes; everything else is refused and audited.
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEventInput } from '../../../common/audit/auditSink';
import { createPolicyVerifier, generatePolicyKeyPair } from '../../../main/policy/policyKeys';
import { signUpdateManifest } from '../../../main/update/updateFeed';
import { UpdateService, type Updater } from '../../../main/update/updateService';

const key = generatePolicyKeyPair();
const dir = mkdtempSync(path.join(tmpdir(), 'cordon-updater-'));
const release = Buffer.from('the 1.5.0 installer');
const releaseFile = path.join(dir, 'Cordon Setup 1.5.0.exe');
writeFileSync(releaseFile, release);
const swappedFile = path.join(dir, 'swapped.exe');
writeFileSync(swappedFile, Buffer.from('something else'));

let server: Server;
let feedUrl = '';
beforeAll(async () => {
  const manifest = signUpdateManifest(
    { product: 'cordon', version: '1.5.0', channel: 'stable', releaseDate: '2026-12-01T09:00:00Z', stagingPercentage: 100, files: [{ url: 'Cordon Setup 1.5.0.exe', sha512: createHash('sha512').update(release).digest('base64'), size: release.length }] },
    key.privateKeyPem,
  );
  server = createServer((request, response) => (request.url?.endsWith('/cordon-update.json') === true ? response.end(manifest) : response.writeHead(404).end()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  feedUrl = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}/feed`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

/** TEST DOUBLE for electron-updater's autoUpdater: records calls; downloadUpdate() "downloads" `file` as `version`; installing is its autoInstallOnAppQuit flag. */
class FakeUpdater implements Updater {
  autoDownload = true;
  autoInstallOnAppQuit = true;
  allowDowngrade = true;
  readonly calls: string[] = [];
  feed: unknown = null;
  private downloadedListener: ((info: { version: string; downloadedFile: string }) => void) | null = null;
  constructor(private readonly download: { version: string; file: string }) {}
  setFeedURL(options: unknown) {
    this.feed = options;
  }
  async checkForUpdates() {
    this.calls.push('check');
  }
  async downloadUpdate() {
    this.calls.push('download');
    this.downloadedListener?.({ version: this.download.version, downloadedFile: this.download.file });
  }
  on(event: 'update-downloaded' | 'error', listener: never) {
    if (event === 'update-downloaded') this.downloadedListener = listener;
    return this;
  }
}

function service(download: { version: string; file: string }, currentVersion = '1.4.2') {
  const updater = new FakeUpdater(download);
  const audit: AuditEventInput[] = [];
  const fetchText = async (url: string) => {
    const response = await fetch(url);
    return { status: response.status, text: await response.text() };
  };
  const updates = new UpdateService({ updater, feedUrl, context: { verifier: createPolicyVerifier([key.publicKeyPem]), currentVersion, channel: 'stable', rolloutBucket: 10 }, fetchText, audit: { record: (e) => audit.push(e) } });
  return { updater, audit, updates };
}

/** The 'update-downloaded' handler checks the file asynchronously. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

describe('the updater under Cordon', () => {
  it('never lets electron-updater install on its own or downgrade, and points it at the policy feed', () => {
    const { updater } = service({ version: '1.5.0', file: releaseFile });
    expect([updater.autoDownload, updater.autoInstallOnAppQuit, updater.allowDowngrade]).toEqual([false, false, false]);
    expect(updater.feed).toEqual({ provider: 'generic', url: feedUrl, channel: 'latest' });
  });

  it('downloads a signed release and lets it install on quit only once its bytes match the manifest, auditing both steps', async () => {
    const { updater, audit, updates } = service({ version: '1.5.0', file: releaseFile });
    await updates.checkNow();
    await settle();
    expect(updates.current).toEqual({ kind: 'ready', version: '1.5.0' });
    expect(updater.autoInstallOnAppQuit).toBe(true);
    expect(updater.calls).toEqual(['check', 'download']);
    expect(audit.map((e) => [e.type, e.reason])).toEqual([
      ['update.available', `1.5.0 signed by key ${key.keyId}`],
      ['update.verified', '1.5.0'],
    ]);
  });

  it('refuses to install a download that is not the signed bytes, or another version than the signed one', async () => {
    for (const download of [
      { version: '1.5.0', file: swappedFile },
      { version: '1.5.1', file: releaseFile },
      { version: '1.5.0', file: path.join(dir, 'missing.exe') },
    ]) {
      const { updater, audit, updates } = service(download);
      await updates.checkNow();
      await settle();
      expect(updates.current.kind, JSON.stringify(download)).toBe('refused');
      expect(updater.autoInstallOnAppQuit).toBe(false);
      expect(audit.at(-1)).toMatchObject({ type: 'update.refused', outcome: 'blocked', reason: 'download-mismatch' });
    }
  });

  it('asks electron-updater for nothing when the feed offers nothing newer', async () => {
    const { updater, audit, updates } = service({ version: '1.5.0', file: releaseFile }, '1.5.0');
    expect(await updates.checkNow()).toEqual({ kind: 'up-to-date', version: '1.5.0' });
    expect(updater.calls).toEqual([]);
    expect(audit).toEqual([]);
  });
});
