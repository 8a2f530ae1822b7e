// The few pages the collector renders itself (no script at all): the end of a sign-in,
// and every way a sign-in can be refused. Plain words for a supervisor, never a token.

export const PAGE_STYLESHEET_PATH = '/console/auth/page.css';

export const PAGE_CSS = `body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1c2733;background:#f4f6f8}
main{max-width:34rem;margin:10vh auto;background:#fff;border:1px solid #d5dde5;border-radius:8px;padding:2rem 2.25rem}
h1{font-size:1.4rem;margin:0 0 .75rem}p{margin:.5rem 0 1rem}a.button{display:inline-block;background:#1d5fa7;color:#fff;padding:.55rem 1rem;border-radius:6px;text-decoration:none;margin-right:.75rem}
a.button.secondary{background:#fff;color:#1d5fa7;border:1px solid #1d5fa7}a:focus-visible{outline:3px solid #f2a900;outline-offset:2px}.product{color:#5a6b7b;font-size:.85rem;margin-top:1.5rem}`;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export interface PageLink {
  href: string;
  label: string;
  secondary?: boolean;
}

/** A complete page; `refreshTo` sends the browser on (a same-site step, so SameSite=Strict cookies go with it). */
export function consolePage(title: string, paragraphs: readonly string[], links: readonly PageLink[] = [], refreshTo?: string): string {
  const refresh = refreshTo === undefined ? '' : `<meta http-equiv="refresh" content="0;url=${escapeHtml(refreshTo)}">`;
  const body = paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('');
  const actions = links.map((l) => `<a class="button${l.secondary === true ? ' secondary' : ''}" href="${escapeHtml(l.href)}">${escapeHtml(l.label)}</a>`).join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">${refresh}<title>${escapeHtml(title)} · Cordon console</title><link rel="stylesheet" href="${PAGE_STYLESHEET_PATH}"></head><body><main><h1>${escapeHtml(title)}</h1>${body}<p>${actions}</p><p class="product">Cordon · practice audit console</p></main></body></html>`;
}
