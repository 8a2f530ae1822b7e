// Two real servers on 127.0.0.1: the approved app origin, which serves one hostile page
// per scenario, and an unapproved origin that records every request that reaches it.
// "Blocked" is measured there: nothing of the scenario may arrive.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SCENARIOS } from './scenarios';

/** A chart with something worth copying, a field to paste into, and a link to drag. */
const CLIPBOARD_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>chart</title></head><body>
<p id="phone">Phone 555-0100 for synthetic patient SYN-0001</p>
<a id="link" href="/chart/SYN-0001">Chart SYN-0001</a>
<textarea id="note" aria-label="note"></textarea>
<script>
  const tell = (outcome) => fetch('/result/clipboard/' + outcome);
  document.getElementById('note').addEventListener('drop', () => tell('dropped'));
  // The page's own copy handler tries to put its own data on the clipboard.
  window.pageCopyHandler = () => document.addEventListener('copy', (e) => { e.clipboardData.setData('text/plain', 'PAGE-DATA SYN-0001'); e.preventDefault(); });
</script></body></html>`;

/** A one-page PDF (synthetic chart text), valid enough for Chromium's viewer. */
const SYNTHETIC_PDF = (() => {
  const objects = ['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 100] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>', '', '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>'];
  const stream = 'BT /F1 12 Tf 20 50 Td (Synthetic chart SYN-0001) Tj ET';
  objects[3] = `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`;
  let body = '%PDF-1.4\n';
  const offsets = objects.map((object, i) => {
    const offset = body.length;
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
    return offset;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  return `${body}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
})();

export interface HostileServers {
  appOrigin: string;
  evilOrigin: string;
  /** Scenario ids whose traffic reached the unapproved origin. */
  evilHits: Set<string>;
  /** What each scenario's page saw of its own attempt (granted, denied, printed, ...). */
  pageResults: Map<string, string[]>;
  close(): Promise<void>;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export async function startHostileServers(): Promise<HostileServers> {
  const evilHits = new Set<string>();
  const pageResults = new Map<string, string[]>();
  const evil = createServer((req, res) => {
    const id = /^\/hit\/([a-z0-9-]+)/.exec(req.url ?? '')?.[1];
    if (id !== undefined) evilHits.add(id);
    res.writeHead(200, { 'Content-Type': 'text/html' }).end('<h1>exfiltrated</h1>');
  });
  evil.on('upgrade', (req, socket) => {
    const id = /^\/hit\/([a-z0-9-]+)/.exec(req.url ?? '')?.[1];
    if (id !== undefined) evilHits.add(id);
    socket.destroy();
  });
  const evilOrigin = await listen(evil);
  const app = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const redirect = /^\/redirect\/([a-z0-9-]+)$/.exec(url.pathname);
    if (redirect !== null) {
      res.writeHead(302, { Location: `${evilOrigin}/hit/${redirect[1]}` }).end();
      return;
    }
    const result = /^\/result\/([a-z0-9-]+)\/([a-z0-9-]+)$/.exec(url.pathname);
    if (result?.[1] !== undefined && result[2] !== undefined) {
      pageResults.set(result[1], [...(pageResults.get(result[1]) ?? []), result[2]]);
      res.writeHead(204).end();
      return;
    }
    if (url.pathname === '/download/chart.pdf') {
      // Headers first, body later: the download exists before any byte could be saved.
      res.writeHead(200, { 'Content-Type': 'application/pdf', 'Content-Disposition': 'attachment; filename="chart-SYN-0001.pdf"' });
      setTimeout(() => res.end('%PDF-1.4 synthetic chart SYN-0001'), 1_000);
      return;
    }
    if (url.pathname === '/document/chart.pdf') {
      // Shown inline: in a browser it opens in the PDF viewer, whose Print button no page guard sees.
      res.writeHead(200, { 'Content-Type': 'application/pdf', 'Content-Disposition': 'inline; filename="chart-SYN-0001.pdf"' }).end(SYNTHETIC_PDF);
      return;
    }
    if (url.pathname === '/clipboard') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(CLIPBOARD_PAGE);
      return;
    }
    const scenario = SCENARIOS.find((s) => url.pathname === `/scenario/${s.id}`);
    if (scenario === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(scenario.page({ evil: `${evilOrigin}/hit/${scenario.id}`, evilOrigin, appOrigin: `http://127.0.0.1:${(app.address() as AddressInfo).port}` }));
  });
  const appOrigin = await listen(app);
  return {
    appOrigin,
    evilOrigin,
    evilHits,
    pageResults,
    close: async () => {
      await Promise.all([evil, app].map((s) => new Promise<void>((resolve) => { s.closeAllConnections(); s.close(() => resolve()); })));
    },
  };
}
