// The production start refusal: switches, stray arguments and environment variables.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decideLaunch, describeRefusal, userArguments, type LaunchInput } from '../../../main/launch/launchGuard';
import { markerPath, takeRefusedLaunchMarker } from '../../../main/launch/refusedLaunchMarker';
import { refuseLaunch } from '../../../main/launch/refuseLaunch';

const production = (args: string[], env: Record<string, string> = {}, platform: NodeJS.Platform = 'linux'): LaunchInput => ({ build: 'production', platform, args, env });

describe('decideLaunch', () => {
  it('starts a production build with no arguments and an ordinary environment', () => {
    expect(decideLaunch(production([], { PATH: '/usr/bin', HOME: '/home/va', LANG: 'en_US.UTF-8', no_proxy: 'localhost', GTK_MODULES: 'gail:atk-bridge', NODE_OPTIONS: '--inspect' }))).toEqual({ ok: true });
  });

  it.each([
    ['--remote-debugging-port=9222', '--remote-debugging-port'],
    ['--remote-debugging-pipe', '--remote-debugging-pipe'],
    ['-remote-debugging-port=9222', '--remote-debugging-port'],
    ['--ignore-certificate-errors', '--ignore-certificate-errors'],
    ['--proxy-server=http://10.0.0.1:8080', '--proxy-server'],
    ['--host-resolver-rules=MAP * 10.0.0.1', '--host-resolver-rules'],
    ['--log-net-log=/tmp/net.json', '--log-net-log'],
    ['--js-flags=--allow-natives-syntax', '--js-flags'],
    ['--inspect=9229', '--inspect'],
    ['--inspect-brk', '--inspect-brk'],
    ['--no-sandbox', '--no-sandbox'],
    ['--enable-logging', '--enable-logging'],
    ['--user-data-dir=/tmp/x', '--user-data-dir'],
    ['--lang=en-US; rm', '--lang'],
  ])('refuses %s by name only', (arg, name) => {
    const decision = decideLaunch(production([arg]));
    expect(decision).toEqual({ ok: false, refused: [{ kind: 'switch', name }] });
    expect(JSON.stringify(decision)).not.toContain('10.0.0.1');
  });

  it('refuses positional arguments (URLs, files) without repeating them', () => {
    const decision = decideLaunch(production(['https://ehr.example/patient/123', '--', '/tmp/file']));
    expect(decision).toEqual({ ok: false, refused: [{ kind: 'argument', name: '(argument)' }, { kind: 'switch', name: '--(empty)' }] });
    expect(JSON.stringify(decision)).not.toContain('patient');
  });

  it('accepts only the allowlisted switches, with checked values', () => {
    expect(decideLaunch(production(['--force-device-scale-factor=1.5', '--ozone-platform-hint=auto', '--ozone-platform=wayland', '--lang=de-DE']))).toEqual({ ok: true });
    expect(decideLaunch(production(['-psn_0_12345'], {}, 'darwin'))).toEqual({ ok: true });
    expect(decideLaunch(production(['-psn_0_12345'], {}, 'linux')).ok).toBe(false);
    expect(decideLaunch(production(['--force-device-scale-factor=1;x'])).ok).toBe(false);
  });

  it('treats /switch as a switch on Windows', () => {
    expect(decideLaunch(production(['/remote-debugging-port=9222'], {}, 'win32'))).toEqual({ ok: false, refused: [{ kind: 'switch', name: '--remote-debugging-port' }] });
  });

  it.each(['SSLKEYLOGFILE', 'http_proxy', 'HTTPS_PROXY', 'all_proxy', 'ELECTRON_DISABLE_SANDBOX', 'ELECTRON_ENABLE_LOGGING', 'ELECTRON_RUN_AS_NODE', 'ELECTRON_DEFAULT_ERROR_MODE', 'ELECTRON_SOMETHING_NEW', 'CHROME_DEVEL_SANDBOX', 'NODE_TLS_REJECT_UNAUTHORIZED', 'BREAKPAD_DUMP_LOCATION', 'LD_PRELOAD'])('refuses the environment variable %s', (name) => {
    expect(decideLaunch(production([], { [name]: '1' }))).toEqual({ ok: false, refused: [{ kind: 'environment', name: name.toUpperCase() }] });
  });

  it('ignores empty variables and allows the harmless ones', () => {
    expect(decideLaunch(production([], { http_proxy: '', ELECTRON_NO_ATTACH_CONSOLE: '1', CHROME_DESKTOP: 'cordon.desktop', GOOGLE_API_KEY: 'k' }))).toEqual({ ok: true });
  });

  it('lets a development build start with anything (developers need the inspector)', () => {
    expect(decideLaunch({ build: 'development', platform: 'linux', args: ['--inspect', '--remote-debugging-port=1'], env: { SSLKEYLOGFILE: '/tmp/k' } })).toEqual({ ok: true });
  });

  it('names what was refused for the VA, without values', () => {
    const decision = decideLaunch(production(['--proxy-server=http://10.0.0.1:3128'], { SSLKEYLOGFILE: '/tmp/keys' }));
    if (decision.ok) throw new Error('expected a refusal');
    const text = describeRefusal(decision.refused);
    expect(text).toContain('--proxy-server');
    expect(text).toContain('SSLKEYLOGFILE');
    expect(text).not.toContain('/tmp/keys');
  });

  it('skips the app path when started as `electron <app>`', () => {
    expect(userArguments(['/usr/bin/electron', '/opt/app', '--x'], true)).toEqual(['--x']);
    expect(userArguments(['/opt/Cordon/cordon', '--x'], undefined)).toEqual(['--x']);
  });
});

describe('refused start', () => {
  it('leaves a marker, tells the VA and exits; the next start audits it once', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cordon-launch-'));
    const file = markerPath(dir, 'Cordon');
    const calls: string[] = [];
    refuseLaunch([{ kind: 'switch', name: '--remote-debugging-port' }, { kind: 'environment', name: 'SSLKEYLOGFILE' }], {
      app: { exit: (code) => calls.push(`exit ${code}`) },
      dialog: { showErrorBox: (title) => calls.push(`dialog ${title}`) },
      markerFile: file,
      now: () => new Date('2026-12-02T10:00:00Z'),
    });
    expect(calls).toEqual(['dialog Cordon did not start', 'exit 1']);
    expect(takeRefusedLaunchMarker(file)).toEqual({
      event: { type: 'app.launch-refused', outcome: 'blocked', reason: 'switch:--remote-debugging-port,env:SSLKEYLOGFILE' },
      notice: expect.stringMatching(/^The last time: Cordon did not start because it was started with the switch --remote-debugging-port, the environment variable SSLKEYLOGFILE/),
    });
    expect(existsSync(file)).toBe(false);
    expect(takeRefusedLaunchMarker(file)).toBeNull();
  });

  it('reports a damaged or edited marker as such, never its content', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cordon-launch-'));
    const file = path.join(dir, 'refused-launch.json');
    writeFileSync(file, JSON.stringify({ refused: [{ kind: 'switch', name: 'https://ehr.example/patient/1' }] }));
    expect(takeRefusedLaunchMarker(file)).toEqual({ event: { type: 'app.launch-refused', outcome: 'blocked', reason: 'marker-damaged' }, notice: expect.not.stringContaining('patient/1') });
  });
});
