// The watermark over every hosted page, drawn from the guard's isolated world: who is
// looking, in which session, when (updated each minute), tiled diagonally. The page's
// script can reach the host element but not its closed shadow root, and every attempt to
// remove, restyle or cover it is undone before the next frame is painted: mutation
// observers run before rendering, inline !important styles beat every page stylesheet,
// and the layer sits in the top layer (a manual popover), re-promoted above anything
// the page puts there later (its own popovers, modal dialogs, fullscreen elements).
import { watermarkTextAt } from '../../common/watermark/watermarkText';
import type { GuardWatermark } from '../../common/hosting/guardProtocol';
import type { Report } from './isolatedGuard';

const HOST_STYLE = [
  'all: initial',
  'display: block',
  'position: fixed',
  'inset: 0',
  'width: 100vw',
  'height: 100vh',
  'max-width: none',
  'max-height: none',
  'margin: 0',
  'padding: 0',
  'border: 0',
  'background: transparent',
  'pointer-events: none',
  'user-select: none',
  'z-index: 2147483647',
  'visibility: visible',
  'opacity: 1',
  'overflow: hidden',
  'transform: none',
  'filter: none',
  'clip-path: none',
  'mask: none',
  'contain: strict',
]
  .map((declaration) => `${declaration} !important`)
  .join('; ');

const escapeXml = (text: string) => text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * One tile of the pattern, as an SVG data URL: the text twice, on staggered rows, tilted,
 * so that wherever a photo is cropped it holds a complete line.
 */
export function watermarkTile(text: string, opacity: number): string {
  const width = Math.round(Math.max(320, Math.min(1000, text.length * 7.2 + 60)));
  // Tall enough for a whole tilted line (sin 12° ≈ 0.21 of its width): no line is cut.
  const row = Math.round(width * 0.21) + 30;
  const line = (x: number, y: number) =>
    `<text x="${x}" y="${y}" text-anchor="middle" dominant-baseline="middle" transform="rotate(-12 ${x} ${y})" ` +
    `font-family="DejaVu Sans, Arial, sans-serif" font-size="14" fill="#1a1a1a" fill-opacity="${opacity}" stroke="#ffffff" stroke-opacity="${opacity * 0.6}" stroke-width="0.6">${escapeXml(text)}</text>`;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${row * 2}">${line(width / 2, row / 2)}${line(0, row * 1.5)}${line(width, row * 1.5)}</svg>`;
  return `url("data:image/svg+xml,${encodeURIComponent(svg)}")`;
}

export interface InstalledWatermark {
  /** The text currently drawn (for the posture panel and tests inside the guard). */
  text(): string;
}

export function installWatermark(win: Window, spec: GuardWatermark, report: Report, now: () => Date = () => new Date()): InstalledWatermark {
  const doc = win.document;
  const host = doc.createElement('cordon-watermark');
  const layer = doc.createElement('div');
  host.attachShadow({ mode: 'closed' }).append(layer);
  let text = '';
  const reported = new Set<string>();
  const tampered = (reason: string) => {
    if (reported.has(reason)) return;
    reported.add(reason);
    report({ block: 'watermark', reason });
  };

  const draw = () => {
    text = watermarkTextAt(spec.text, now());
    layer.setAttribute('style', `position: absolute; inset: 0; background-image: ${watermarkTile(text, spec.opacity)}; background-repeat: repeat;`);
  };
  const intact = () => host.getAttributeNames().length === 2 && host.getAttribute('style') === HOST_STYLE && host.getAttribute('popover') === 'manual';
  const restyle = () => {
    for (const name of host.getAttributeNames()) if (name !== 'style' && name !== 'popover') host.removeAttribute(name);
    if (host.getAttribute('style') !== HOST_STYLE) host.setAttribute('style', HOST_STYLE);
    if (host.getAttribute('popover') !== 'manual') host.setAttribute('popover', 'manual');
  };
  /** Shown last is shown on top: hide and show again after the page adds to the top layer. */
  const promote = () => {
    if (!host.isConnected) return;
    if (host.matches(':popover-open')) host.hidePopover();
    host.showPopover();
  };
  // Watches <html>'s children (removal of the watermark) and the document's (a replaced
  // <html>); not the whole tree, so the page's own DOM work costs nothing here.
  let attached = false;
  const rootWatch = new MutationObserver(() => attach());
  const attach = () => {
    const root = doc.documentElement;
    if (root === null || host.parentNode === root) return;
    if (attached) tampered('watermark-removed');
    root.append(host);
    attached = true;
    restyle();
    promote();
    rootWatch.disconnect();
    rootWatch.observe(doc, { childList: true });
    rootWatch.observe(root, { childList: true });
  };

  draw();
  restyle();
  win.setInterval(draw, 60_000);
  rootWatch.observe(doc, { childList: true });
  new MutationObserver(() => {
    // Our own restyling lands here too, already intact.
    if (intact()) return;
    tampered('watermark-restyled');
    restyle();
    promote();
  }).observe(host, { attributes: true });
  // The page opened something in the top layer: a modal dialog (its `open` attribute),
  // a popover (toggle), or fullscreen.
  new MutationObserver(() => promote()).observe(doc, { attributes: true, attributeFilter: ['open'], subtree: true });
  win.addEventListener(
    'toggle',
    (event) => {
      if (event.target === host) {
        if (!host.matches(':popover-open')) {
          tampered('watermark-hidden');
          queueMicrotask(promote);
        }
        return;
      }
      promote();
    },
    true,
  );
  doc.addEventListener('fullscreenchange', promote, true);
  attach();
  return { text: () => text };
}
