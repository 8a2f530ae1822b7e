// HTTPS: the collector serves TLS with a given key and certificate, and a device that
// trusts that certificate enrolls and syncs through it (no plain HTTP on that port).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SYNC_PATHS } from '../../../common/audit/syncProtocol';
import { describeOnEachStorage, startTestCollector, type TestCollector } from './collectorHarness';
import { TestDevice } from './collectorTestDevice';

function selfSignedCertificate(): { key: string; cert: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'cordon-tls-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
    return { key: readFileSync(path.join(dir, 'key.pem'), 'utf8'), cert: readFileSync(path.join(dir, 'cert.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** node:https with the test CA pinned (fetch cannot take a CA without undici's Agent). */
function httpsRequest(url: string, ca: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; json: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers, ca }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown> }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

// Node has no API that creates an X.509 certificate; without the openssl CLI this is a skip.
const opensslMissing = !hasOpenssl();
if (opensslMissing) console.log('SKIPPED collector-tls: the openssl CLI is not installed (apt-get install openssl)');

describeOnEachStorage('collector TLS', (storage) => {
  if (opensslMissing) {
    it.skip('needs the openssl CLI for a test certificate', () => undefined);
    return;
  }
  const tls = selfSignedCertificate();
  let server: TestCollector;
  beforeAll(async () => {
    server = await startTestCollector(storage, { tls });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('serves HTTPS with the configured certificate; a device enrolls and syncs over it', async () => {
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(await httpsRequest(`${server.url}/health`, tls.cert)).toMatchObject({ status: 200, json: { status: 'ok' } });
    const device = new TestDevice(server.url);
    const enrollment = JSON.stringify(device.enrollmentRequest({ kind: 'enrollment-code', code: await server.collector.issueEnrollmentCode() }));
    expect((await httpsRequest(server.url + SYNC_PATHS.enroll, tls.cert, { method: 'POST', headers: { 'content-type': 'application/json' }, body: enrollment })).status).toBe(201);
    const body = device.batchBody(device.record(4));
    const reply = await httpsRequest(server.url + SYNC_PATHS.events, tls.cert, { method: 'POST', headers: { 'content-type': 'application/json', ...device.signedHeaders('POST', SYNC_PATHS.events, body) }, body });
    expect(reply).toMatchObject({ status: 200, json: { acknowledgedSeq: 4 } });
  });

  it('a client that does not trust the certificate cannot connect, and plain HTTP gets no answer', async () => {
    await expect(fetch(`${server.url}/health`)).rejects.toThrow();
    await expect(fetch(`${server.url.replace('https:', 'http:')}/health`)).rejects.toThrow();
  });
});
