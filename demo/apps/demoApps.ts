// The demo EHR and messaging apps: real web apps on 127.0.0.1 that sign their users in
// through the demo IdP (OpenID Connect, server side), so inside Cordon they open already
// signed in: the IdP cookie from Cordon's sign-in sits in the same practice session.
// Every patient is synthetic. Each feature gives one of Cordon's controls something to
// stop: a PDF download, a print button, links and a popup to outside sites. They look
// like plain practice software, labelled as a demo, with a stylesheet from their own origin.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import * as oidc from 'openid-client';
import { escapeHtml, readForm } from '../httpHelpers';

export type DemoAppKind = 'ehr' | 'messages';

export const DEMO_APP_CLIENTS: Record<DemoAppKind, { clientId: string; clientSecret: string; name: string }> = {
  ehr: { clientId: 'demo-ehr', clientSecret: 'demo-ehr-secret', name: 'Sunrise EHR' },
  messages: { clientId: 'demo-messages', clientSecret: 'demo-messages-secret', name: 'Front Desk Messages' },
};

/** Where each app serves its stylesheet, on its own origin and without sign-in. */
export const DEMO_APP_STYLESHEET_PATH = '/demo-app.css';

/** An origin no demo policy approves: links and popups to it must be blocked by Cordon. */
export const OUTSIDE_URL = 'https://outside.example.org/';

const PATIENTS = [
  { mrn: 'SYN-0001', name: 'Testpatient, Alpha', dob: '1970-01-01', phone: '555-0101' },
  { mrn: 'SYN-0002', name: 'Testpatient, Bravo', dob: '1985-06-15', phone: '555-0102' },
  { mrn: 'SYN-0003', name: 'Testpatient, Charlie', dob: '2001-11-30', phone: '555-0103' },
];

/** One page of an app: `body` holds the page's one h1; `user` is empty before sign-in. */
function page(app: string, title: string, user: string, body: string): string {
  const signedIn = user === '' ? '' : `<span class="signed-in">Signed in as <span id="user">${escapeHtml(user)}</span></span>`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)} · ${escapeHtml(app)} (demo)</title><link rel="stylesheet" href="${DEMO_APP_STYLESHEET_PATH}"></head>
<body><header class="topbar"><span class="brand">${escapeHtml(app)}</span><span class="demo-badge">Demo</span>${signedIn}</header>
<main>${body}</main>
<footer><p>Demo practice software for trying Cordon: every patient, MRN and phone number here is synthetic. Never enter real patient data.</p></footer></body></html>`;
}

/** A one-page PDF holding only synthetic text. */
function syntheticPdf(text: string): Buffer {
  const stream = `BT /F1 12 Tf 72 720 Td (${text.replace(/[()\\]/g, '')}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let pdf = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(pdf.length);
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}

function cookie(req: IncomingMessage, name: string): string | undefined {
  return (req.headers.cookie ?? '')
    .split(';')
    .map((c) => c.trim().split('='))
    .find(([key]) => key === name)?.[1];
}

interface Login {
  codeVerifier: string;
  nonce: string;
  returnTo: string;
}

export async function startDemoApp(kind: DemoAppKind, { port = 0, issuer }: { port?: number; issuer: string }): Promise<{ url: string; close: () => Promise<void> }> {
  const client = DEMO_APP_CLIENTS[kind];
  const stylesheet = await readFile(path.join(import.meta.dirname, 'demoApps.css'));
  const server: Server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const redirectUri = `${origin}/callback`;
  let config: oidc.Configuration | null = null;
  const oidcConfig = async () => {
    config ??= await oidc.discovery(new URL(issuer), client.clientId, client.clientSecret, undefined, { execute: [oidc.allowInsecureRequests] });
    return config;
  };
  // Named per app: cookies ignore ports, and both apps run on 127.0.0.1.
  const sessionCookie = `${client.clientId}-sid`;
  const sessions = new Map<string, string>();
  const logins = new Map<string, Login>();
  const notes = new Map<string, string[]>();
  const messages: { from: string; body: string }[] = [{ from: 'Front desk', body: 'Refill request for SYN-0002: please call the patient back.' }];

  const startLogin = async (req: IncomingMessage, res: ServerResponse) => {
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    logins.set(state, { codeVerifier, nonce, returnTo: req.url ?? '/' });
    const url = oidc.buildAuthorizationUrl(await oidcConfig(), {
      redirect_uri: redirectUri,
      scope: 'openid profile',
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    res.writeHead(302, { Location: url.href }).end();
  };

  const finishLogin = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const login = logins.get(url.searchParams.get('state') ?? '');
    if (login === undefined) {
      res.writeHead(400).end('unknown sign-in attempt');
      return;
    }
    logins.delete(url.searchParams.get('state') ?? '');
    const tokens = await oidc.authorizationCodeGrant(await oidcConfig(), url, { pkceCodeVerifier: login.codeVerifier, expectedState: url.searchParams.get('state') ?? '', expectedNonce: login.nonce });
    const claims = tokens.claims();
    const sid = randomBytes(16).toString('hex');
    sessions.set(sid, String(claims?.name ?? claims?.sub ?? 'unknown'));
    res.writeHead(302, { Location: login.returnTo, 'Set-Cookie': `${sessionCookie}=${sid}; HttpOnly; SameSite=Lax; Path=/` }).end();
  };

  const html = (res: ServerResponse, body: string, status = 200) => res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' }).end(body);
  const notFound = (res: ServerResponse, user: string) => html(res, page(client.name, 'Not found', user, '<h1>Not found</h1><p><a href="/">Back to the start page</a></p>'), 404);

  const ehr = async (req: IncomingMessage, res: ServerResponse, url: URL, user: string) => {
    if (url.pathname === '/') {
      const rows = PATIENTS.map((p) => `<tr><td><a href="/chart/${p.mrn}">${escapeHtml(p.name)}</a></td><td>${p.mrn}</td><td>${p.dob}</td></tr>`).join('');
      return html(
        res,
        page(
          client.name,
          'Patients',
          user,
          `<h1>Patients</h1>
<div class="card"><table><thead><tr><th scope="col">Patient</th><th scope="col">MRN</th><th scope="col">Date of birth</th></tr></thead><tbody>${rows}</tbody></table></div>
<section class="card" aria-labelledby="references"><h2 id="references">References</h2><p><a id="outside-link" href="${OUTSIDE_URL}">Drug reference (outside site)</a></p></section>`,
        ),
      );
    }
    const chart = /^\/chart\/(SYN-\d{4})(\/notes)?$/.exec(url.pathname);
    const patient = PATIENTS.find((p) => p.mrn === chart?.[1]);
    if (chart !== null && patient !== undefined) {
      if (chart[2] !== undefined && req.method === 'POST') {
        const note = (await readForm(req)).get('note') ?? '';
        notes.set(patient.mrn, [...(notes.get(patient.mrn) ?? []), note]);
        res.writeHead(303, { Location: `/chart/${patient.mrn}` }).end();
        return undefined;
      }
      const saved = notes.get(patient.mrn) ?? [];
      const list = saved.map((n) => `<li class="note">${escapeHtml(n)}</li>`).join('');
      return html(
        res,
        page(
          client.name,
          patient.name,
          user,
          `<nav class="breadcrumb" aria-label="Breadcrumb"><a href="/">Patients</a> › <span aria-current="page">${escapeHtml(patient.name)}</span></nav>
<h1>${escapeHtml(patient.name)}</h1>
<section class="card" aria-labelledby="details"><h2 id="details">Details</h2><dl class="facts"><dt>MRN</dt><dd>${patient.mrn}</dd><dt>Date of birth</dt><dd>${patient.dob}</dd><dt>Phone</dt><dd id="phone">${patient.phone}</dd></dl></section>
<section class="card" aria-labelledby="notes-heading"><h2 id="notes-heading">Notes</h2><ul id="notes" class="entries">${list}</ul>${saved.length === 0 ? '<p class="empty">No notes yet.</p>' : ''}
<form method="post" action="/chart/${patient.mrn}/notes"><label>New note <textarea name="note"></textarea></label><button type="submit">Save note</button></form></section>
<section class="card" aria-labelledby="documents"><h2 id="documents">Chart actions</h2><div class="actions">
<a id="download" class="button" href="/documents/${patient.mrn}.pdf">Download visit summary (PDF)</a>
<button id="print" class="secondary" type="button" onclick="window.print()">Print chart</button>
<button id="popup" class="secondary" type="button" onclick="window.open('/chart/${patient.mrn}?view=popup')">Open in new window</button>
<button id="outside-popup" class="secondary" type="button" onclick="window.open('${OUTSIDE_URL}')">Open drug reference</button></div></section>`,
        ),
      );
    }
    const document = /^\/documents\/(SYN-\d{4})\.pdf$/.exec(url.pathname);
    if (document !== null) {
      res.writeHead(200, { 'Content-Type': 'application/pdf', 'Content-Disposition': `attachment; filename="${document[1]}-summary.pdf"` });
      res.end(syntheticPdf(`Visit summary for synthetic patient ${document[1]}`));
      return undefined;
    }
    return notFound(res, user);
  };

  const messaging = async (req: IncomingMessage, res: ServerResponse, url: URL, user: string) => {
    if (url.pathname === '/send' && req.method === 'POST') {
      messages.push({ from: user, body: (await readForm(req)).get('body') ?? '' });
      res.writeHead(303, { Location: '/' }).end();
      return undefined;
    }
    if (url.pathname !== '/') return notFound(res, user);
    const thread = messages.map((m) => `<li class="message"><strong>${escapeHtml(m.from)}</strong> ${escapeHtml(m.body)}</li>`).join('');
    return html(
      res,
      page(
        client.name,
        'Front desk thread',
        user,
        `<h1>Front desk thread</h1>
<div class="card"><ul id="thread" class="entries">${thread}</ul>
<form method="post" action="/send"><label>Message <textarea name="body"></textarea></label><button type="submit">Send</button></form></div>`,
      ),
    );
  };

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', origin);
    const run = async () => {
      if (url.pathname === DEMO_APP_STYLESHEET_PATH) return res.writeHead(200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'no-store' }).end(stylesheet);
      if (url.pathname === '/callback') return finishLogin(req, res, url);
      const user = sessions.get(cookie(req, sessionCookie) ?? '');
      if (user === undefined) return startLogin(req, res);
      return kind === 'ehr' ? ehr(req, res, url, user) : messaging(req, res, url, user);
    };
    run().catch((error: unknown) => {
      if (!res.headersSent) html(res, page(client.name, 'Sign-in failed', '', `<h1>Sign-in failed</h1><p>${escapeHtml(error instanceof Error ? error.message : 'error')}</p>`), 502);
    });
  });

  return {
    url: `${origin}/`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
