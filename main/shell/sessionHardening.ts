// The shell's session: the shell UI needs no permission, no download, no screen capture
// and no network, so everything is refused and only cordon:// (and devtools:// in
// development builds) may be requested. Hosted sessions are hardened by
// main/hosting/hostedSessionHardening.ts instead, per their apps' policy.
import type { Session } from 'electron';
import { auditableOrigin, type AuditSink } from '../../common/audit/auditSink';

/** The parts of an Electron Session Cordon installs its handlers on. */
export type HardenableSession = Pick<
  Session,
  'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler' | 'setDisplayMediaRequestHandler' | 'setSpellCheckerEnabled' | 'on'
> & {
  webRequest: Pick<Session['webRequest'], 'onBeforeRequest'>;
};

export function shellRequestAllowed(url: string, allowDevTools: boolean): boolean {
  const scheme = url.slice(0, url.indexOf(':') + 1);
  return scheme === 'cordon:' || (allowDevTools && scheme === 'devtools:');
}

/** Deny-all permissions, screen capture and downloads. */
function denySessionCapabilities(session: Omit<HardenableSession, 'webRequest'>, audit: AuditSink): void {
  // Per-window `spellcheck: false` does not stop the session fetching dictionaries.
  session.setSpellCheckerEnabled(false);
  session.setPermissionRequestHandler((_contents, permission, callback) => {
    audit.record({ type: 'permission.denied', outcome: 'blocked', reason: permission });
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.setDisplayMediaRequestHandler((_request, callback) => {
    audit.record({ type: 'permission.denied', outcome: 'blocked', reason: 'display-capture' });
    callback(null);
  });
  session.on('will-download', (event) => {
    event.preventDefault();
    audit.record({ type: 'download.blocked', outcome: 'blocked' });
  });
}

export function hardenShellSession(session: HardenableSession, { allowDevTools, audit }: { allowDevTools: boolean; audit: AuditSink }): void {
  denySessionCapabilities(session, audit);
  session.webRequest.onBeforeRequest((details, callback) => {
    const allowed = shellRequestAllowed(details.url, allowDevTools);
    if (!allowed) audit.record({ type: 'request.blocked', outcome: 'blocked', origin: auditableOrigin(details.url) });
    callback({ cancel: !allowed });
  });
}
