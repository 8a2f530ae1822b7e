// The workspace clipboard in main: in memory, expiring, wipeable; reachable only by
// hosted apps in workspace mode, and never audited with its content.
import { describe, expect, it } from 'vitest';
import { WORKSPACE_CLIPBOARD_READ_CHANNEL, WORKSPACE_CLIPBOARD_WRITE_CHANNEL } from '../../../common/hosting/guardProtocol';
import type { ClipboardMode, HostedAppRules } from '../../../common/hosting/hostedAppRules';
import { WorkspaceClipboard } from '../../../main/clipboard/workspaceClipboard';
import { CLIPBOARD_WRITE_WINDOW_MS, CLIPBOARD_WRITES_PER_WINDOW, registerWorkspaceClipboard, type WorkspaceClipboardOptions } from '../../../main/hosting/guardClipboard';
import { GESTURE_WINDOW_MS, UserGestures } from '../../../main/clipboard/userGestures';
import { EventEmitter } from 'node:events';
import { FakeIpcMain, RecordingAuditSink } from '../../support/electronFakes';

describe('workspace clipboard', () => {
  it('keeps the last copy until it expires', () => {
    let now = 1_000;
    const clipboard = new WorkspaceClipboard(300_000, () => now);
    expect(clipboard.read()).toBeNull();
    clipboard.write('first');
    clipboard.write('555-0100');
    now += 299_999;
    expect(clipboard.read()).toBe('555-0100');
    now += 1;
    expect(clipboard.read()).toBeNull();
  });

  it('is empty after a wipe (lock, sign-out)', () => {
    const clipboard = new WorkspaceClipboard(300_000);
    clipboard.write('555-0100');
    clipboard.wipe();
    expect(clipboard.read()).toBeNull();
  });
});

const rules = (appId: string, clipboard: ClipboardMode): HostedAppRules => ({ appId, navigationOrigins: [`https://${appId}.example.com`], requestOrigins: [], permissions: [], downloads: 'deny', printing: 'deny', uploads: 'deny', clipboard, allowLoopbackHttp: false });

function setup(options: WorkspaceClipboardOptions = {}) {
  const ipc = new FakeIpcMain();
  const audit = new RecordingAuditSink();
  const clipboard = new WorkspaceClipboard(300_000);
  const apps = new Map<number, HostedAppRules>([
    [1, rules('ehr', 'workspace')],
    [2, rules('messages', 'workspace')],
    [3, rules('billing', 'blocked')],
  ]);
  const copied: number[] = [];
  registerWorkspaceClipboard(ipc, (id) => apps.get(id) ?? null, clipboard, audit, () => copied.push(1), options);
  const frameOf = (id: number) => ({ origin: `https://${apps.get(id)?.appId ?? 'unknown'}.example.com` });
  const write = (id: number, text: unknown, senderFrame: { origin: string } | null = frameOf(id)) => ipc.listeners.get(WORKSPACE_CLIPBOARD_WRITE_CHANNEL)?.({ sender: { id }, senderFrame } as never, text);
  const read = (id: number, senderFrame: { origin: string } | null = frameOf(id)) => ipc.invoke(WORKSPACE_CLIPBOARD_READ_CHANNEL, { sender: { id }, senderFrame });
  return { audit, clipboard, write, read, copied };
}

describe('the guard\'s workspace clipboard channels', () => {
  it('carries a copy from one hosted app to another, and says so to the VA', async () => {
    const { write, read, audit, copied } = setup();
    write(1, 'Phone 555-0100');
    expect(await read(2)).toBe('Phone 555-0100');
    expect(audit.events).toEqual([]);
    expect(copied).toHaveLength(1);
  });

  it('refuses senders that are not hosted apps in workspace mode, without their text in the audit', async () => {
    const { write, read, audit, clipboard, copied } = setup();
    write(3, 'SYN-0001');
    write(99, 'SYN-0001');
    expect(clipboard.read()).toBeNull();
    clipboard.write('555-0100');
    expect(await read(3)).toBeNull();
    expect(audit.events.map((e) => [e.type, e.appId])).toEqual([
      ['ipc.refused', 'billing'],
      ['ipc.refused', undefined],
      ['ipc.refused', 'billing'],
    ]);
    expect(JSON.stringify(audit.events)).not.toMatch(/SYN-0001|555-0100/);
    expect(copied).toEqual([]);
  });

  it('refuses frames that are not the app\'s own origin: an embedded third party, a data: frame, a gone frame', async () => {
    const { write, read, audit, clipboard } = setup();
    clipboard.write('555-0100');
    expect(await read(2, { origin: 'https://ads.example.net' })).toBeNull();
    expect(await read(2, { origin: 'null' })).toBeNull();
    expect(await read(2, null)).toBeNull();
    write(1, 'SYN-0001', { origin: 'https://ads.example.net' });
    expect(clipboard.read()).toBe('555-0100');
    expect(audit.events.map((e) => [e.type, e.appId])).toEqual(Array(4).fill(['ipc.refused', undefined]).map((_, i) => ['ipc.refused', i < 3 ? 'messages' : 'ehr']));
  });

  it('refuses a write that is not text or is too large', () => {
    const { write, audit, clipboard } = setup();
    write(1, { text: 'x' });
    write(1, 'x'.repeat(1_000_001));
    expect(clipboard.read()).toBeNull();
    expect(audit.events).toEqual([
      { type: 'clipboard.blocked', outcome: 'blocked', appId: 'ehr', reason: 'copy-too-large-or-invalid' },
      { type: 'clipboard.blocked', outcome: 'blocked', appId: 'ehr', reason: 'copy-too-large-or-invalid' },
    ]);
  });

  it('refuses a write without a recent key press or click in the sender (a page copying by script)', () => {
    const gestures = new Set<number>([2]);
    const { write, audit, clipboard } = setup({ hadGesture: (id) => gestures.has(id) });
    write(1, 'x'.repeat(1_000_000));
    expect(clipboard.read()).toBeNull();
    expect(audit.events).toEqual([{ type: 'clipboard.blocked', outcome: 'blocked', appId: 'ehr', reason: 'copy-without-user-gesture' }]);
    write(2, 'Phone 555-0100');
    expect(clipboard.read()).toBe('Phone 555-0100');
  });

  it('limits writes per sender per window', () => {
    let now = 0;
    const { write, audit, clipboard } = setup({ now: () => now });
    for (let i = 0; i < CLIPBOARD_WRITES_PER_WINDOW + 5; i += 1) write(1, `copy ${i}`);
    expect(clipboard.read()).toBe(`copy ${CLIPBOARD_WRITES_PER_WINDOW - 1}`);
    expect(audit.events).toHaveLength(5);
    expect(audit.events[0]).toEqual({ type: 'clipboard.blocked', outcome: 'blocked', appId: 'ehr', reason: 'copy-rate-limited' });
    now = CLIPBOARD_WRITE_WINDOW_MS;
    write(1, 'later');
    expect(clipboard.read()).toBe('later');
  });
});

describe('main\'s record of user gestures', () => {
  const input = (contents: EventEmitter, type: string, key?: string) => contents.emit('input-event', {}, { type, ...(key === undefined ? {} : { key }) });

  it('counts key presses and clicks for a few seconds, not pointer moves, wheel or Escape', () => {
    let now = 0;
    const gestures = new UserGestures(() => now);
    const contents = Object.assign(new EventEmitter(), { id: 5 });
    gestures.watch(contents as never);
    input(contents, 'mouseMove');
    input(contents, 'mouseWheel');
    input(contents, 'rawKeyDown', 'Escape');
    expect(gestures.recent(5)).toBe(false);
    input(contents, 'rawKeyDown', 'c');
    expect(gestures.recent(5)).toBe(true);
    now = GESTURE_WINDOW_MS;
    expect(gestures.recent(5)).toBe(false);
    input(contents, 'mouseDown');
    expect(gestures.recent(5)).toBe(true);
    expect(gestures.recent(6)).toBe(false);
    contents.emit('destroyed');
    expect(gestures.recent(5)).toBe(false);
  });
});
