// The one function that hardens a session hosting practice apps. Every request,
// permission, capture and download goes through the app's policy (common/hosting); a
// webContents that is not a registered hosted app gets nothing. Every refusal is audited
// with the app id and an origin at most.
import { decideNavigation, decidePermission, decideRequest, type HostedAppRules, type Verdict } from '../../common/hosting/hostedAppRules';
import { auditableOrigin, type AuditEventInput, type AuditSink } from '../../common/audit/auditSink';

import type { HardenableSession } from '../shell/sessionHardening';

/** The parts of an Electron Session this hardening installs handlers on. */
export type HostedSession = HardenableSession;

/** Which hosted app a webContents belongs to; null for anything else (then: deny). */
export type AppLookup = (webContentsId: number | undefined) => HostedAppRules | null;

const unregistered = (url: string): Verdict => ({ allowed: false, reason: 'not-a-hosted-app', origin: auditableOrigin(url) });

function record(audit: AuditSink, type: AuditEventInput['type'], rules: HostedAppRules | null, verdict: Verdict): void {
  if (verdict.allowed) return;
  audit.record({ type, outcome: 'blocked', ...(rules === null ? {} : { appId: rules.appId }), origin: verdict.origin, reason: verdict.reason });
}

/** What the session grants, for those who must know (the idle lock counts live calls). */
export type GrantObserver = (webContentsId: number, permission: string, mediaTypes: readonly string[]) => void;

export function hardenHostedSession(session: HostedSession, appFor: AppLookup, audit: AuditSink, onGranted: GrantObserver = () => undefined): void {
  session.setSpellCheckerEnabled(false);

  session.webRequest.onBeforeRequest((details, callback) => {
    const rules = appFor(details.webContentsId);
    // <object>/<embed> load documents too: they follow the navigation rule, not the looser request rule.
    const isFrame = details.resourceType === 'mainFrame' || details.resourceType === 'subFrame' || details.resourceType === 'object';
    const verdict = rules === null ? unregistered(details.url) : isFrame ? decideNavigation(rules, details.url) : decideRequest(rules, details.url);
    record(audit, isFrame ? 'navigation.blocked' : 'request.blocked', rules, verdict);
    callback({ cancel: !verdict.allowed });
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
