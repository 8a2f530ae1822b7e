// What the VA is told when Cordon stops or contains something, and for how long.
import { describe, expect, it } from 'vitest';
import { COPIED_INSIDE_NOTICE, noticeForEvent, signedOutNoticeFor } from '../../../common/ui/notices';
import { ShellNotices } from '../../../main/shell/shellNotices';

describe('notices for blocked events', () => {
  it.each([
    [{ type: 'navigation.blocked', reason: 'origin-not-approved' }, /outside the practice.s approved sites/],
    [{ type: 'window-open.blocked' }, /outside the practice.s approved sites/],
    [{ type: 'navigation.blocked', reason: 'external-protocol' }, /another program/],
    [{ type: 'download.blocked' }, /Downloads are turned off/],
    [{ type: 'print.blocked', reason: 'window-print' }, /Printing is turned off/],
    [{ type: 'clipboard.blocked', reason: 'copy' }, /Copying out/],
    [{ type: 'clipboard.blocked', reason: 'paste-from-os' }, /Only text copied inside Cordon/],
    [{ type: 'clipboard.blocked', reason: 'drag-out' }, /Dragging out/],
    [{ type: 'permission.denied', reason: 'permission-camera' }, /use the camera/],
    [{ type: 'permission.denied', reason: 'display-capture' }, /use your screen/],
  ] as const)('%o gets a notice', (event, text) => {
    expect(noticeForEvent({ ...event, outcome: 'blocked', appId: 'ehr' })).toMatch(text);
  });

  it('says nothing for the shell itself, for successes, or for what the VA cannot act on', () => {
    expect(noticeForEvent({ type: 'navigation.blocked', outcome: 'blocked' })).toBeNull();
    expect(noticeForEvent({ type: 'app.opened', outcome: 'success', appId: 'ehr' })).toBeNull();
    expect(noticeForEvent({ type: 'watermark.tampered', outcome: 'blocked', appId: 'ehr', reason: 'watermark-removed' })).toBeNull();
    expect(noticeForEvent({ type: 'request.blocked', outcome: 'blocked', appId: 'ehr', origin: 'https://cdn.example' })).toBeNull();
  });
});

describe('shell notices', () => {
  it('shows the latest notice for eight seconds, each with a new id', () => {
    let now = 0;
    const notices = new ShellNotices(() => now);
    expect(notices.current()).toBeUndefined();
    notices.push(COPIED_INSIDE_NOTICE);
    notices.push(COPIED_INSIDE_NOTICE);
    expect(notices.current()).toEqual({ id: 2, text: COPIED_INSIDE_NOTICE });
    now = 7_999;
    expect(notices.current()?.id).toBe(2);
    now = 8_000;
    expect(notices.current()).toBeUndefined();
  });
});

describe('the sign-in screen after an automatic logoff', () => {
  it('says why Cordon signed the VA out, and says nothing for anything else', () => {
    expect(signedOutNoticeFor({ type: 'session.logoff', outcome: 'success', reason: 'idle' }, 30)).toMatch(/after 30 minutes away/);
    expect(signedOutNoticeFor({ type: 'session.logoff', outcome: 'success', reason: 'wrong-user' }, 30)).toMatch(/Someone else tried to unlock/);
    expect(signedOutNoticeFor({ type: 'session.logoff', outcome: 'failure', reason: 'idle' }, 30)).toBeNull();
    expect(signedOutNoticeFor({ type: 'sign-out', outcome: 'success' }, 30)).toBeNull();
  });
});
