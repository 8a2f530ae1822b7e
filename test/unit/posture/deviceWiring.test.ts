// main/index.ts with the device checks in its policy, against the stand-in for the
// `electron` module (the Electron binary cannot run here): this computer is checked for
// real at start, and the shell's posture carries every check's result.
import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { IPC_CHANNELS } from '../../../common/ipc/channels';
import type { ShellState } from '../../../common/ipc/contract';
import { demoKeys, signedText, validPolicy } from '../../support/policyFixtures';
import { fakeFrame, fakeInvokeEvent } from '../../support/electronFakes';
import { fakeElectron, type Calls } from '../../support/fakeElectronModule';
import { linuxOs } from '../../../main/posture/linuxReadings';

afterEach(() => {
  vi.unstubAllEnvs();
  vi.doUnmock('electron');
});

describe.runIf(process.platform === 'linux')('main wiring of the device checks', () => {
  it('checks this computer at start and puts each result in the posture the shell gets', async () => {
    const { id, version } = linuxOs(readFileSync('/etc/os-release', 'utf8'));
    const dir = await mkdtemp(path.join(tmpdir(), 'cordon-device-'));
    const devicePosture = { osVersion: { level: 'required', linux: { [id ?? 'linux']: version ?? '1' } }, firewall: { level: 'recommended' } } as const;
    await writeFile(path.join(dir, 'bundled.json'), signedText(validPolicy({ environment: 'demo', issuedAt: '2026-01-01T00:00:00Z', expiresAt: '2099-01-01T00:00:00Z', devicePosture }), demoKeys()));
    vi.resetModules();
    Object.assign(globalThis, { __CORDON_BUILD_KIND__: 'development', __CORDON_POLICY_KEYS__: [demoKeys().publicKeyPem] });
    vi.stubEnv('CORDON_MANAGED_POLICY', path.join(dir, 'managed.json'));
    vi.stubEnv('CORDON_BUNDLED_POLICY', path.join(dir, 'bundled.json'));
    const calls: Calls = { order: [], windows: [], handled: [], menu: 'unset' };
    const fake = fakeElectron(calls);
    vi.doMock('electron', () => fake.electron);
    await import('../../../main/index');
    fake.ready();

    const posture = async () => ((await fake.ipcMain.invoke(IPC_CHANNELS.getShellState, fakeInvokeEvent(41, fakeFrame('cordon://app/index.html')))) as ShellState).posture;
    const row = async (id: string) => (await posture()).find((p) => p.id === id);
    // The first run starts on main's one-second tick.
    await vi.waitFor(async () => expect(await row('device-os-version')).toMatchObject({ state: 'passed', detail: expect.stringContaining(`Required by IT`) }), { timeout: 10_000, interval: 200 });
    expect((await row('device-firewall'))?.detail).toMatch(/^Recommended by IT\./);
    for (const off of ['device-disk-encryption', 'device-screen-lock', 'device-antivirus']) expect((await row(off))?.state).toBe('disabled-by-policy');
  });
});
