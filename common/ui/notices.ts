// The small, calm notices the VA sees when Cordon stops or contains something in a
// hosted app: what happened and that it was on purpose, in words a VA can act on. Only
// events about a hosted app lead to a notice; the shell's own refusals do not.
import type { AuditEventInput } from '../audit/auditSink';

const PERMISSION_WORDS: Record<string, string> = {
  'permission-camera': 'the camera',
  'permission-microphone': 'the microphone',
  'permission-geolocation': 'your location',
  'permission-notifications': 'notifications',
  'permission-clipboard-read': 'your clipboard',
  'display-capture': 'your screen',
};

export const DELIVERY_BEHIND_NOTICE = 'Cordon\u2019s activity log has not reached the practice for a while. Keep working; if this stays, tell IT.';

export const COPIED_INSIDE_NOTICE = 'Copied. You can paste it into the practice\u2019s apps here in Cordon, not outside it.';

export function noticeForEvent(event: AuditEventInput): string | null {
  if (event.appId === undefined || event.outcome !== 'blocked') return null;
  switch (event.type) {
    case 'navigation.blocked':
    case 'window-open.blocked':
      return event.reason === 'external-protocol'
        ? 'Cordon kept that link from opening another program.'
        : 'That link leads outside the practice\u2019s approved sites, so Cordon blocked it.';
    case 'download.blocked':
      return 'Downloads are turned off by your practice.';
    case 'print.blocked':
      return 'Printing is turned off by your practice.';
    case 'clipboard.blocked':
      if (event.reason === 'paste-from-os' || event.reason === 'paste') return 'Only text copied inside Cordon can be pasted here.';
      if (event.reason === 'drag-out') return 'Dragging out of the practice\u2019s apps is turned off.';
      return 'Copying out of the practice\u2019s apps is turned off by your practice.';
    case 'permission.denied': {
      const what = PERMISSION_WORDS[event.reason ?? ''];
      return what === undefined ? null : `Cordon did not let this app use ${what}; your practice has not allowed it.`;
    }
    default:
      return null;
  }
}

/** What the sign-in screen says after Cordon signed the VA out by itself. */
export function signedOutNoticeFor(event: AuditEventInput, logoffMinutes: number): string | null {
  if (event.type !== 'session.logoff' || event.outcome !== 'success') return null;
  if (event.reason === 'wrong-user') return 'Someone else tried to unlock Cordon, so it signed you out. Sign in again to go on.';
  return `Cordon signed you out after ${logoffMinutes} minutes away, to keep patient information safe. Sign in again to go on.`;
}
