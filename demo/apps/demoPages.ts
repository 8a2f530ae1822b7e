// Minimal demo EHR and messaging apps with clearly synthetic data, served on 127.0.0.1.
// They give the demo policy's approved apps something real to load; the hostile-page
// features (downloads, popups, outside links) come with the hosted-app controls.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const SYNTHETIC_PATIENTS = [
  { mrn: 'SYN-0001', name: 'Testpatient, Alpha', dob: '1970-01-01' },
  { mrn: 'SYN-0002', name: 'Testpatient, Bravo', dob: '1985-06-15' },
  { mrn: 'SYN-0003', name: 'Testpatient, Charlie', dob: '2001-11-30' },
];

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><main>${body}<p><small>Demo data: every patient here is synthetic.</small></p></main></body></html>`;
}

export const DEMO_PAGES: Record<'ehr' | 'messages', (path: string) => { status: number; html: string }> = {
  ehr: (path) => {
    if (path === '/') {
      const rows = SYNTHETIC_PATIENTS.map((p) => `<li><a href="/chart/${p.mrn}">${p.name}</a> (DOB ${p.dob})</li>`).join('');
      return { status: 200, html: page('Sunrise EHR (demo)', `<h1>Sunrise EHR (demo)</h1><h2>Patients</h2><ul>${rows}</ul>`) };
    }
    const patient = SYNTHETIC_PATIENTS.find((p) => path === `/chart/${p.mrn}`);
    if (patient !== undefined) {
      return { status: 200, html: page(`Chart ${patient.mrn}`, `<h1>${patient.name}</h1><p>MRN ${patient.mrn}, DOB ${patient.dob}</p><p>Phone: 555-0100 (synthetic)</p><p><a href="/">Back to patients</a></p>`) };
    }
    return { status: 404, html: page('Not found', '<h1>Not found</h1>') };
  },
  messages: (path) =>
    path === '/'
      ? { status: 200, html: page('Front Desk Messages (demo)', '<h1>Front Desk Messages (demo)</h1><h2>Threads</h2><ul><li>Front desk: refill request for SYN-0002</li></ul><form><label>Message <textarea name="body"></textarea></label><button type="button">Send</button></form>') }
      : { status: 404, html: page('Not found', '<h1>Not found</h1>') },
};

export async function serveDemoPages(app: keyof typeof DEMO_PAGES, port: number): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const { status, html } = DEMO_PAGES[app](new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
    res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(html);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}
