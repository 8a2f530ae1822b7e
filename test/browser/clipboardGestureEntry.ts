// Bundled into the page by clipboardGesture.spec.ts: the guard's clipboard half, with a
// port that records what would reach main instead of sending it.
import { installClipboardGuard } from '../../preload/guard/clipboardGuard';

const log = { writes: [] as string[], reports: [] as string[] };
Object.assign(window, { __cordonClipboardLog: log });
installClipboardGuard('workspace', window, (report) => log.reports.push(report.reason), {
  write: (text) => log.writes.push(text),
  read: () => Promise.resolve(null),
});
