// The policy's update settings: the feed must be https (plain http only to this machine
// in a demo policy), the minimum a version; explained in one line; and a build below the
// minimum runs under a refusal that says to update (issue 13 item 4).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { explainPolicy } from '../../../common/policy/explainPolicy';
import { validatePolicy } from '../../../common/policy/validatePolicy';
import type { PolicyResult } from '../../../common/policy/signedPolicy';
import { enforceMinimumVersion } from '../../../common/update/updateDecision';
import { installId, startUpdates } from '../../../main/update/startUpdates';
import type { Updater } from '../../../main/update/updateService';
import { validPolicy } from '../../support/policyFixtures';

const updates = (value: unknown, environment = 'production') => validatePolicy({ ...validPolicy(), environment, updates: value });

describe('update settings in the policy', () => {
  it('takes an https feed and a minimum version, and says so in plain words', () => {
    const result = updates({ channel: 'stable', feedUrl: 'https://updates.practice.example/cordon/', minimumVersion: '1.5.0' });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(explainPolicy(result.policy)).toContain('updates: stable channel from https://updates.practice.example/cordon/, each release checked against a manifest signed by a trusted policy key; builds older than 1.5.0 lock and ask to update');
    const off = updates({ channel: 'stable' });
    expect(off.ok && explainPolicy(off.policy)).toContainEqual('updates: automatic updates off (IT deploys new builds)');
  });

  it('refuses a plain-http feed outside a demo, and a minimum that is not a version', () => {
    expect(updates({ channel: 'stable', feedUrl: 'http://updates.practice.example/' })).toMatchObject({ ok: false, problems: [{ field: 'policy.updates.feedUrl', reason: 'must use https' }] });
    expect(updates({ channel: 'stable', feedUrl: 'http://127.0.0.1:4500/feed' }, 'demo').ok).toBe(true);
    expect(updates({ channel: 'stable', minimumVersion: 'latest' })).toMatchObject({ ok: false, problems: [{ field: 'policy.updates.minimumVersion' }] });
  });

  it('locks a build older than the minimum with the reason, and leaves newer builds and refusals alone', () => {
    const parsed = updates({ channel: 'stable', minimumVersion: '1.5.0' });
    if (!parsed.ok) throw new Error('invalid');
    const loaded: PolicyResult = { ok: true, policy: parsed.policy, file: '/etc/cordon/policy.json', keyId: '0123456789abcdef' };
    expect(enforceMinimumVersion(loaded, '1.4.9')).toMatchObject({ ok: false, problem: { code: 'below-minimum-version', file: '/etc/cordon/policy.json', field: 'updates.minimumVersion', reason: expect.stringContaining('requires 1.5.0 or later') } });
    expect(enforceMinimumVersion(loaded, '1.5.0')).toBe(loaded);
    const refused: PolicyResult = { ok: false, problem: { code: 'expired', file: 'x', reason: 'expired' } };
    expect(enforceMinimumVersion(refused, '0.0.1')).toBe(refused);
  });
});

describe('starting updates', () => {
  /** TEST DOUBLE for electron-updater's autoUpdater, as far as starting touches it. */
  const fakeUpdater = (): Updater & { feed: unknown } => ({
    autoDownload: true,
    autoInstallOnAppQuit: true,
    allowDowngrade: true,
    feed: null,
    setFeedURL(options) {
      this.feed = options;
    },
    checkForUpdates: async () => null,
    downloadUpdate: async () => null,
    on() {
      return this;
    },
  });

  it('starts nothing without a channel and a feed, and otherwise checks at once and every six hours', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cordon-start-updates-'));
    const asked: string[] = [];
    const intervals: number[] = [];
    const base = { appVersion: '1.4.2', userDataDir: dir, verifier: { keyIds: [], verify: () => false }, audit: { record: () => undefined }, setInterval: (_: () => void, ms: number) => (intervals.push(ms), {}) };
    const fetchText = async (url: string) => (asked.push(url), { status: 404, text: '' });
    let loads = 0;
    const loadUpdater = async () => (loads++, fakeUpdater());
    expect(await startUpdates({ ...base, updates: { channel: 'none', feedUrl: 'https://u.example/' }, fetchText, loadUpdater })).toBeNull();
    expect(await startUpdates({ ...base, updates: { channel: 'stable' }, fetchText, loadUpdater })).toBeNull();
    expect(loads).toBe(0);
    const service = await startUpdates({ ...base, updates: { channel: 'stable', feedUrl: 'https://u.example/feed' }, fetchText, loadUpdater });
    expect(service).not.toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(asked).toEqual(['https://u.example/feed/cordon-update.json']);
    expect(intervals).toEqual([6 * 3600 * 1000]);
    // No signed manifest on that feed: refused, not installed.
    expect(service?.current).toMatchObject({ kind: 'refused' });
  });

  it('keeps one install id per installation, and replaces one that is unreadable', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cordon-install-id-'));
    const first = installId(dir);
    expect(first).toMatch(/^[0-9a-f]{32}$/);
    expect(installId(dir)).toBe(first);
    writeFileSync(path.join(dir, 'install-id'), 'not an id');
    const next = installId(dir);
    expect(next).not.toBe(first);
    expect(readFileSync(path.join(dir, 'install-id'), 'utf8')).toBe(next);
  });
});
