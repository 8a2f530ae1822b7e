// Agreement texts as the gate shows them: inline text at once; a URL document fetched by
// main through its app's hosted session (a stand-in session, with Node's network stack
// for Chromium's) from a real HTTP server on this machine, shown only with exactly the
// policy's SHA-256. Every way it can fail keeps the gate closed, says why, and is audited
// by origin only.
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { policyV1Schema, type AgreementPolicy, type Policy } from '../../../common/policy/policySchema';
import { AgreementDocuments } from '../../../main/gates/agreementDocuments';
import { HostedApps } from '../../../main/hosting/hostedApps';
import { type FakeSession, hostedAppsOptions, RecordingAuditSink } from '../../support/electronFakes';
import { validPolicy } from '../../support/policyFixtures';

const TEXT = 'Acceptable use of practice computers.\n\nI use them only for practice work.';
const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');
const NOT_UTF8 = Buffer.from([0x49, 0x20, 0xff, 0xfe, 0x0a]);

/** The practice's site; and the billing app's, down until a test brings it up. */
let server: Server;
let origin = '';
let billingPort = 0;
let billingOrigin = '';
beforeAll(async () => {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  billingPort = (probe.address() as AddressInfo).port;
  billingOrigin = `http://127.0.0.1:${billingPort}`;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  server = createServer((req, res) => {
    if (req.url === '/agreement.txt') res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' }).end(TEXT);
    else if (req.url === '/moved.txt') res.writeHead(302, { Location: '/agreement.txt' }).end();
    else if (req.url === '/huge.txt') res.writeHead(200).end('x'.repeat(500_000));
    else if (req.url === '/binary.txt') res.writeHead(200).end(NOT_UTF8);
    else res.writeHead(404).end('not here');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function practice(): Policy {
  return policyV1Schema.parse(
    validPolicy({
      environment: 'demo',
      apps: [
        { id: 'ehr', name: 'EHR', startUrl: `${origin}/`, navigationOrigins: [origin] },
        { id: 'billing', name: 'Billing', startUrl: `${billingOrigin}/`, navigationOrigins: [billingOrigin], session: 'isolated' },
      ],
    }),
  );
}

function setup(agreements: AgreementPolicy[]) {
  const audit = new RecordingAuditSink();
  const sessions = new Map<string, FakeSession>();
  const hosting = new HostedApps(hostedAppsOptions(practice(), audit, sessions));
  let changes = 0;
  const documents = new AgreementDocuments({ agreements, fetch: (url, limits) => hosting.fetchApproved(url, limits), audit, onChange: () => (changes += 1) });
  /** Asks for the document, and waits until its fetch has finished. */
  const fetched = async (id: string) => {
    const before = changes;
    documents.need(id);
    await expect.poll(() => changes, { timeout: 10_000 }).toBeGreaterThan(before);
    return documents.list().find((doc) => doc.id === id);
  };
  return { audit, sessions, documents, fetched, hosting };
}

const fromUrl = (url: string, digest = sha256(TEXT)): AgreementPolicy => ({ id: 'acceptable-use', title: 'Acceptable use', version: '4', url, sha256: digest, reaccept: 'new-version' });

describe('agreement documents', () => {
  it('shows inline text at once, with the SHA-256 of its UTF-8 bytes', () => {
    const { documents, sessions } = setup([{ id: 'confidentiality', title: 'Confidentiality agreement', version: '2027-1', text: 'Ich schütze Patientendaten.', reaccept: 'yearly' }]);
    documents.need('confidentiality');
    expect(documents.list()).toEqual([{ id: 'confidentiality', title: 'Confidentiality agreement', version: '2027-1', reaccept: 'yearly', sha256: sha256(Buffer.from('Ich schütze Patientendaten.', 'utf8')), content: { state: 'ready', text: 'Ich schütze Patientendaten.' } }]);
    expect(sessions.size).toBe(0);
  });

  it("fetches a URL document on first need, through its app's session, without cookies or redirects, and shows it when its SHA-256 matches", async () => {
    const { documents, fetched, sessions, audit } = setup([fromUrl(`${origin}/agreement.txt`)]);
    expect(documents.list()[0]?.content).toEqual({ state: 'loading' });
    expect(sessions.size).toBe(0);
    expect(await fetched('acceptable-use')).toMatchObject({ sha256: sha256(TEXT), content: { state: 'ready', text: TEXT } });
    const practiceSession = sessions.get('cordon-practice');
    expect(practiceSession?.fetched).toEqual([{ url: `${origin}/agreement.txt`, init: expect.objectContaining({ redirect: 'error', credentials: 'omit' }) }]);
    // Its network allowlist was put in place before the fetch.
    expect(practiceSession?.proxies).toHaveLength(1);
    // Fetched once: a later need does not fetch again.
    documents.need('acceptable-use');
    expect(practiceSession?.fetched).toHaveLength(1);
    expect(audit.events).toEqual([]);
  });

  it('keeps the gate closed and says so when the text is not the approved one; audited by origin only', async () => {
    const { fetched, audit } = setup([fromUrl(`${origin}/agreement.txt`, sha256('the approved text'))]);
    const doc = await fetched('acceptable-use');
    expect(doc?.content).toEqual({ state: 'unavailable', problem: `The copy of \u201cAcceptable use\u201d at ${origin} is not the text your practice approved, so practice apps stay closed. Tell IT: it does not match the SHA-256 in the policy.` });
    expect(audit.events).toEqual([{ type: 'agreement.unavailable', outcome: 'blocked', origin, reason: 'acceptable-use@4:hash-mismatch' }]);
  });

  const failures: [string, string, string, RegExp][] = [
    ['a missing page', '/missing.txt', 'http-404', /^Cordon could not fetch “Acceptable use” from http:\/\/127\.0\.0\.1:\d+ \(the site answered 404\), so practice apps stay closed\. Try again/],
    ['a redirect', '/moved.txt', 'unreachable', /^Cordon could not fetch “Acceptable use” from http:\/\/127\.0\.0\.1:\d+, so practice apps stay closed\./],
    ['a document longer than any agreement', '/huge.txt', 'too-large', /is not a plain-text document Cordon can show/],
  ];
  for (const [what, file, code, sentence] of failures) {
    it(`refuses ${what}, with the reason in the audit trail`, async () => {
      const { fetched, audit } = setup([fromUrl(`${origin}${file}`, 'e'.repeat(64))]);
      const doc = await fetched('acceptable-use');
      expect(doc?.content.state === 'unavailable' ? doc.content.problem : '').toMatch(sentence);
      expect(audit.events).toEqual([{ type: 'agreement.unavailable', outcome: code === 'too-large' ? 'blocked' : 'failure', origin, reason: `acceptable-use@4:${code}` }]);
    });
  }

  it('refuses bytes that match the SHA-256 but are not UTF-8 text', async () => {
    const { fetched, audit } = setup([fromUrl(`${origin}/binary.txt`, sha256(NOT_UTF8))]);
    expect((await fetched('acceptable-use'))?.content.state).toBe('unavailable');
    expect(audit.events.map((e) => e.reason)).toEqual(['acceptable-use@4:not-text']);
  });

  it('an unreachable site is refused, and another try fetches again once the site is back', async () => {
    const { documents, fetched, audit, sessions } = setup([fromUrl(`${billingOrigin}/agreement.txt`)]);
    expect((await fetched('acceptable-use'))?.content.state).toBe('unavailable');
    expect(audit.events).toEqual([{ type: 'agreement.unavailable', outcome: 'failure', origin: billingOrigin, reason: 'acceptable-use@4:unreachable' }]);
    // An isolated app's document comes through that app's own session.
    expect([...sessions.keys()]).toEqual(['cordon-app-billing']);
    // Without another try, a need does not hammer the site.
    documents.need('acceptable-use');
    expect(sessions.get('cordon-app-billing')?.fetched).toHaveLength(1);
    const billing = createServer((_req, res) => res.writeHead(200).end(TEXT));
    await new Promise<void>((resolve) => billing.listen(billingPort, '127.0.0.1', resolve));
    try {
      documents.retry();
      expect(documents.list()[0]?.content).toEqual({ state: 'loading' });
      expect((await fetched('acceptable-use'))?.content).toEqual({ state: 'ready', text: TEXT });
    } finally {
      await new Promise<void>((resolve) => billing.close(() => resolve()));
    }
  });

  it('fetches from nowhere outside the approved origins', async () => {
    const { hosting, sessions } = setup([]);
    for (const url of ['https://intranet.example.org/agreement.txt', `${origin.replace('http:', 'https:')}/agreement.txt`, 'file:///etc/passwd']) {
      await expect(hosting.fetchApproved(url, { maxBytes: 1000, timeoutMs: 1000 })).rejects.toMatchObject({ code: 'not-approved' });
    }
    expect(sessions.size).toBe(0);
  });
});
