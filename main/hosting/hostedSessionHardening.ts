// The one function that hardens a session hosting practice apps. Every request,
// permission, capture and download goes through the app's policy (common/hosting); a
// webContents that is not a registered hosted app gets nothing; every service worker runs
// the service-worker guard. Every refusal is audited with the app id and an origin at most.
import { decideNavigation, decidePermission, decideRequest, type HostedAppRules, type Verdict } from '../../common/hosting/hostedAppRules';
import { auditableOrigin, type AuditEventInput, type AuditSink } from '../../common/audit/auditSink';

import type { Session } from 'electron';
import type { HardenableSession } from '../shell/sessionHardening';
import { guardServiceWorkers, type ServiceWorkerGuard, type ServiceWorkerSession } from './serviceWorkerGuard';

/** The parts of an Electron Session this hardening installs handlers on. */
export type HostedSession = HardenableSession & ServiceWorkerSession & { webRequest: Pick<Session['webRequest'], 'onBeforeRequest' | 'onHeadersReceived'> };

/** Frame loads: where a PDF would open in Chromium's viewer (whose Print button no guard sees). */
const DOCUMENT_TYPES = new Set(['mainFrame', 'subFrame', 'object']);

/**
 * A PDF document in an app that may not print becomes a download (Content-Disposition:
 * attachment), so the session's download rule decides it instead of the PDF viewer
 * showing it with a Print button. Returns the new headers, or null to leave the response alone.
 */
export function pdfAsDownload(rules: Pick<HostedAppRules, 'printing'>, resourceType: string, headers: Record<string, string[]> | undefined): Record<string, string[]> | null {
  if (rules.printing !== 'deny' || !DOCUMENT_TYPES.has(resourceType) || headers === undefined) return null;
  const named = (name: string) => Object.keys(headers).filter((key) => key.toLowerCase() === name);
  const contentType = named('content-type').flatMap((key) => headers[key] ?? []);
  if (!contentType.some((value) => /^\s*application\/(x-)?pdf\s*(;|$)/i.test(value))) return null;
  const disposition = named('content-disposition').flatMap((key) => headers[key] ?? [])[0] ?? '';
  // Keep the file name (after the first ';'); only the disposition type changes.
  const parameters = disposition.includes(';') ? disposition.slice(disposition.indexOf(';')) : '';
  const rewritten = Object.fromEntries(Object.entries(headers).filter(([key]) => key.toLowerCase() !== 'content-disposition'));
  return { ...rewritten, 'Content-Disposition': [`attachment${parameters}`] };
}

/** Which hosted app a webContents belongs to; null for anything else (then: deny). */
export type AppLookup = (webContentsId: number | undefined) => HostedAppRules | null;

const unregistered = (url: string): Verdict => ({ allowed: false, reason: 'not-a-hosted-app', origin: auditableOrigin(url) });

function record(audit: AuditSink, type: AuditEventInput['type'], rules: HostedAppRules | null, verdict: Verdict): void {
  if (verdict.allowed) return;
  audit.record({ type, outcome: 'blocked', ...(rules === null ? {} : { appId: rules.appId }), origin: verdict.origin, reason: verdict.reason });
}

/** What the session grants, for those who must know (the idle lock counts live calls). */
export type GrantObserver = (webContentsId: number, permission: string, mediaTypes: readonly string[]) => void;

export function hardenHostedSession(session: HostedSession, appFor: AppLookup, audit: AuditSink, serviceWorkers: ServiceWorkerGuard, onGranted: GrantObserver = () => undefined): void {
  session.setSpellCheckerEnabled(false);
  guardServiceWorkers(session, serviceWorkers);

  session.webRequest.onBeforeRequest((details, callback) => {
    const rules = appFor(details.webContentsId);
    // <object>/<embed> load documents too: they follow the navigation rule, not the looser request rule.
    const isFrame = details.resourceType === 'mainFrame' || details.resourceType === 'subFrame' || details.resourceType === 'object';
    const verdict = rules === null ? unregistered(details.url) : isFrame ? decideNavigation(rules, details.url) : decideRequest(rules, details.url);
    record(audit, isFrame ? 'navigation.blocked' : 'request.blocked', rules, verdict);
    callback({ cancel: !verdict.allowed });
  });

  session.webRequest.onHeadersReceived((details, callback) => {
    const rules = appFor(details.webContentsId);
    const headers = rules === null ? null : pdfAsDownload(rules, details.resourceType, details.responseHeaders);
    if (rules === null || headers === null) {
      callback({});
      return;
    }
    audit.record({ type: 'print.blocked', outcome: 'blocked', appId: rules.appId, origin: auditableOrigin(details.url), reason: 'pdf-viewer' });
    callback({ responseHeaders: headers });
  });

  session.setPermissionRequestHandler((contents, permission, callback, details) => {
    const rules = appFor(contents.id);
    const mediaTypes = 'mediaTypes' in details ? (details.mediaTypes ?? []) : [];
    const decided = rules === null ? unregistered(details.requestingUrl) : decidePermission(rules, permission, mediaTypes);
    // The audit names who asked: the requesting frame's origin.
    const verdict = decided.allowed ? decided : { ...decided, origin: auditableOrigin(details.requestingUrl) };
    record(audit, 'permission.denied', rules, verdict);
    if (verdict.allowed) onGranted(contents.id, permission, mediaTypes);
    callback(verdict.allowed);
  });
  // Checks are synchronous queries (e.g. navigator.permissions.query): same rules, no audit.
  session.setPermissionCheckHandler((contents, permission, _origin, details) => {
    const rules = appFor(contents?.id);
    return rules !== null && decidePermission(rules, permission, details.mediaType === undefined ? [] : [details.mediaType]).allowed;
  });
  session.setDevicePermissionHandler(() => false);
  // Screen capture is never granted to a hosted page, whatever its app.
  session.setDisplayMediaRequestHandler((request, callback) => {
    audit.record({ type: 'permission.denied', outcome: 'blocked', origin: auditableOrigin(request.securityOrigin), reason: 'display-capture' });
    callback(null);
  });
  session.on('will-download', (event, _item, contents) => {
    const rules = appFor(contents.id);
    if (rules?.downloads === 'allow') return;
    event.preventDefault();
    audit.record({ type: 'download.blocked', outcome: 'blocked', ...(rules === null ? {} : { appId: rules.appId }) });
  });
}
