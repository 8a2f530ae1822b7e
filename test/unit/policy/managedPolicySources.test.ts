// The policy where MDM puts it: the Windows registry through reg.exe (a named stand-in
// for reg.exe, fed with its output format), macOS managed preferences (XML and binary
// property lists written by independent tools: the `plist` package and Python's
// plistlib), and Linux's /etc/cordon/policy.json with its owner and mode checked on real
// files. One precedence: OS-managed first, then the bundled policy; a present but bad
// managed policy never falls back; user-scope values are ignored and reported.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import plist from 'plist';
import { describe, expect, it } from 'vitest';
import { parseBinaryPlist, PlistError } from '../../../main/policy/binaryPlist';
import { firstManaged, macManagedPreferences, parseRegQuery, policyFile, windowsRegistryPolicy, type FileAccess, type RunCommand } from '../../../main/policy/managedPolicySources';
import { createPolicyVerifier } from '../../../main/policy/policyKeys';
import { loadPolicy } from '../../../main/policy/policyLoader';
import { generatePolicyKeyPair, NOW, signedText, validPolicy } from '../../support/policyFixtures';
import { regQueryOutput, REG_NOT_FOUND } from '../../support/regExeStandIn';

const keys = generatePolicyKeyPair();
const verifier = createPolicyVerifier([keys.publicKeyPem]);
const signed = signedText(validPolicy({ policyId: 'managed', serial: 7 }), keys);

/** Python's plistlib (an independent writer) turns a JSON dictionary into a plist file. */
function pythonPlist(dictionary: Record<string, unknown>, format: 'FMT_BINARY' | 'FMT_XML'): Buffer {
  return execFileSync('python3', ['-c', `import json, plistlib, sys; sys.stdout.buffer.write(plistlib.dumps(json.load(sys.stdin), fmt=plistlib.${format}))`], { input: JSON.stringify(dictionary) });
}

describe('binary property lists', () => {
  it('reads what Python writes: nested dictionaries, arrays, numbers, booleans, data, dates and non-ASCII text', () => {
    const bytes = execFileSync('python3', ['-c', "import plistlib, sys, datetime; sys.stdout.buffer.write(plistlib.dumps({'SignedPolicy': 'é✓ policy', 'n': 7, 'big': 2**40, 'huge': 2**62, 'neg': -3, 'on': True, 'off': False, 'list': [1, 'two', {'x': 1.5}], 'blob': b'\\x00\\x01', 'when': datetime.datetime(2026, 12, 3, 4, 5, 6)}, fmt=plistlib.FMT_BINARY))"]);
    const value = parseBinaryPlist(bytes) as Record<string, unknown>;
    expect(value).toMatchObject({ SignedPolicy: 'é✓ policy', n: 7, big: 2 ** 40, neg: -3, on: true, off: false, list: [1, 'two', { x: 1.5 }] });
    expect(value.huge).toBe(2n ** 62n);
    expect(value.blob).toEqual(Buffer.from([0, 1]));
    expect((value.when as Date).toISOString()).toBe('2026-12-03T04:05:06.000Z');
  });

  it('refuses a truncated or forged file instead of returning part of it', () => {
    const bytes = pythonPlist({ SignedPolicy: signed }, 'FMT_BINARY');
    expect(() => parseBinaryPlist(bytes.subarray(0, bytes.length - 40))).toThrow(PlistError);
    const forged = Buffer.from(bytes);
    forged.writeBigUInt64BE(10n ** 6n, forged.length - 8); // offset table far past the end
    expect(() => parseBinaryPlist(forged)).toThrow(PlistError);
  });
});

describe('Windows: HKLM\\SOFTWARE\\Policies\\Cordon through reg.exe', () => {
  const lines = signed.split('\n');
  /** Stand-in for reg.exe: answers from a table of hive → value, in reg query's format. */
  const regExe =
    (values: Partial<Record<'HKLM' | 'HKCU', { type: string; strings: string[] }>>): RunCommand =>
    (_file, args) => {
      const hive = (args[1] ?? '').split('\\')[0] as 'HKLM' | 'HKCU';
      const value = values[hive];
      return value === undefined ? REG_NOT_FOUND : { status: 0, stdout: regQueryOutput(args[1] ?? '', 'SignedPolicy', value.type, value.strings), stderr: '' };
    };

  it('parses reg query output: a REG_SZ, and a REG_MULTI_SZ whose strings reg.exe joins with \\0', () => {
    const values = parseRegQuery(regQueryOutput('HKLM\\SOFTWARE\\Policies\\Cordon', 'SignedPolicy', 'REG_MULTI_SZ', ['{', '  "a": 1', '}']));
    expect(values.get('SignedPolicy')).toEqual({ type: 'REG_MULTI_SZ', strings: ['{', '  "a": 1', '}'] });
    expect(parseRegQuery(regQueryOutput('HKLM\\SOFTWARE\\Policies\\Cordon', 'Other Name', 'REG_SZ', ['a b  c'])).get('Other Name')).toEqual({ type: 'REG_SZ', strings: ['a b  c'] });
  });

  it('reads the machine-scope multi-line value (what the ADMX template writes) and ignores, reporting it, a user-scope one', () => {
    const read = windowsRegistryPolicy(regExe({ HKLM: { type: 'REG_MULTI_SZ', strings: lines }, HKCU: { type: 'REG_SZ', strings: ['{}'] } })).read();
    // Lines as pasted by hand join to the same JSON without their line breaks.
    expect(read).toMatchObject({ kind: 'found', text: lines.join(''), where: 'HKLM\\SOFTWARE\\Policies\\Cordon\\SignedPolicy' });
    expect(JSON.parse(read.kind === 'found' ? read.text : '')).toEqual(JSON.parse(signed));
    expect(read.ignored).toEqual([{ code: 'user-scope-registry-value', where: 'HKCU\\SOFTWARE\\Policies\\Cordon\\SignedPolicy', why: expect.stringContaining('user-scope') }]);
  });

  it('takes nothing from a user-scope value alone; a value of the wrong type is refused, not skipped', () => {
    expect(windowsRegistryPolicy(regExe({ HKCU: { type: 'REG_SZ', strings: [signed.replace(/\n/g, '')] } })).read()).toMatchObject({ kind: 'absent', ignored: [{ where: expect.stringContaining('HKCU') }] });
    expect(windowsRegistryPolicy(regExe({})).read()).toEqual({ kind: 'absent', ignored: [] });
    expect(windowsRegistryPolicy(regExe({ HKLM: { type: 'REG_DWORD', strings: ['0x1'] } })).read()).toMatchObject({ kind: 'refused', reason: expect.stringContaining('REG_DWORD') });
    const broken: RunCommand = () => ({ status: 5, stdout: '', stderr: 'ERROR: Access is denied.' });
    expect(windowsRegistryPolicy(broken).read()).toMatchObject({ kind: 'refused', reason: expect.stringContaining('Access is denied') });
  });
});

describe('macOS: managed preferences for com.cordon.workspace', () => {
  /** The real files under a temporary root, owned as the test says (root here, so chown works). */
  function macRoot(): { root: string; files: FileAccess; put(file: string, bytes: Buffer, uid?: number): void } {
    const root = mkdtempSync(path.join(tmpdir(), 'cordon-macprefs-'));
    const at = (file: string) => path.join(root, file);
    return {
      root,
      files: { stat: (file) => statSync(at(file)), read: (file) => readFileSync(at(file)) },
      put: (file, bytes, uid = 0) => {
        mkdirSync(path.dirname(at(file)), { recursive: true });
        writeFileSync(at(file), bytes);
        chownSync(at(file), uid, 0);
      },
    };
  }
  const domain = 'com.cordon.workspace';
  const source = (files: FileAccess) => macManagedPreferences(domain, { user: 'valerie', home: '/Users/valerie', files });

  it('reads the computer-scope preferences a profile installed, XML or binary', () => {
    for (const bytes of [Buffer.from(plist.build({ SignedPolicy: signed })), pythonPlist({ SignedPolicy: signed, PayloadUUID: 'x' }, 'FMT_BINARY')]) {
      const mac = macRoot();
      mac.put(`/Library/Managed Preferences/${domain}.plist`, bytes);
      expect(source(mac.files).read()).toMatchObject({ kind: 'found', text: signed });
    }
  });

  it('falls to the user-scope managed file, and ignores, reporting it, what the user set in ~/Library/Preferences', () => {
    const mac = macRoot();
    mac.put(`/Library/Managed Preferences/valerie/${domain}.plist`, pythonPlist({ SignedPolicy: signed }, 'FMT_XML'));
    mac.put(`/Users/valerie/Library/Preferences/${domain}.plist`, pythonPlist({ SignedPolicy: '{}' }, 'FMT_BINARY'), 501);
    const read = source(mac.files).read();
    expect(read).toMatchObject({ kind: 'found', text: signed, where: expect.stringContaining('/valerie/') });
    expect(read.ignored).toEqual([{ code: 'user-preference', where: `/Users/valerie/Library/Preferences/${domain}.plist`, why: expect.stringContaining('the user set') }]);
  });

  it('refuses managed preferences root does not own, and a SignedPolicy that is not a string', () => {
    const mac = macRoot();
    mac.put(`/Library/Managed Preferences/${domain}.plist`, pythonPlist({ SignedPolicy: signed }, 'FMT_BINARY'), 501);
    expect(source(mac.files).read()).toMatchObject({ kind: 'refused', reason: expect.stringContaining('owned by user id 501') });
    const other = macRoot();
    other.put(`/Library/Managed Preferences/${domain}.plist`, pythonPlist({ SignedPolicy: 12 }, 'FMT_BINARY'));
    expect(source(other.files).read()).toMatchObject({ kind: 'refused', reason: expect.stringContaining('must be a string') });
  });
});

describe('Linux: /etc/cordon/policy.json, root-owned and writable only by root', () => {
  function fileIn(mode: number, owner: { uid: number; gid: number } = { uid: 0, gid: 0 }, dirMode = 0o755): string {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'cordon-etc-')), 'cordon');
    mkdirSync(dir);
    chmodSync(dir, dirMode);
    const file = path.join(dir, 'policy.json');
    writeFileSync(file, signed);
    chmodSync(file, mode);
    chownSync(file, owner.uid, owner.gid);
    return file;
  }

  it('reads a file only root can change', () => {
    expect(policyFile(fileIn(0o644), { rootControlled: true }).read()).toMatchObject({ kind: 'found', text: signed });
    expect(policyFile(fileIn(0o664, { uid: 0, gid: 0 }), { rootControlled: true }).read().kind).toBe('found');
  });

  it('refuses, with the reason, a file or folder another user could have written', () => {
    const cases: [string, RegExp][] = [
      [fileIn(0o666), /writable by every user/],
      [fileIn(0o644, { uid: 1000, gid: 0 }), /owned by user id 1000, not root/],
      [fileIn(0o664, { uid: 0, gid: 1000 }), /writable by group id 1000/],
      [fileIn(0o644, { uid: 0, gid: 0 }, 0o777), /its folder .* is writable by every user/],
    ];
    for (const [file, reason] of cases) expect(policyFile(file, { rootControlled: true }).read(), file).toMatchObject({ kind: 'refused', reason: expect.stringMatching(reason) });
    // A development build's override is the developer's own file: no owner check.
    expect(policyFile(cases[0]?.[0] as string, { rootControlled: false }).read().kind).toBe('found');
    expect(policyFile('/nonexistent/cordon/policy.json', { rootControlled: true }).read()).toEqual({ kind: 'absent', ignored: [] });
  });
});

describe('one precedence: OS-managed, then bundled; a bad managed policy never falls back', () => {
  const bundledPath = path.join(mkdtempSync(path.join(tmpdir(), 'cordon-bundled-')), 'policy.json');
  writeFileSync(bundledPath, signedText(validPolicy({ policyId: 'bundled' }), keys));
  const source = (read: ReturnType<ReturnType<typeof windowsRegistryPolicy>['read']>) => ({ where: 'a test source', read: () => read });
  const load = (managed: ReturnType<typeof source>) => loadPolicy({ sources: { managed, bundledPath }, verifier, build: 'production', now: NOW });

  it('takes the managed policy, with the SHA-256 of the document as read and what was ignored', () => {
    const ignored = [{ code: 'user-scope-registry-value' as const, where: 'HKCU\\…', why: 'a user-scope value' }];
    const result = load(source({ kind: 'found', text: signed, where: 'HKLM\\SOFTWARE\\Policies\\Cordon\\SignedPolicy', ignored }));
    expect(result).toMatchObject({ ok: true, file: 'HKLM\\SOFTWARE\\Policies\\Cordon\\SignedPolicy', sha256: createHash('sha256').update(signed).digest('hex'), ignored });
    expect(result.ok && result.policy.policyId).toBe('managed');
  });

  it('uses the bundled policy only when no managed one exists', () => {
    expect(load(source({ kind: 'absent', ignored: [] }))).toMatchObject({ ok: true, file: bundledPath });
  });

  it('refuses (never the bundled one) when the managed policy is unprotected, unreadable or altered', () => {
    expect(load(source({ kind: 'refused', where: '/etc/cordon/policy.json', reason: 'the file is writable by every user', ignored: [] }))).toMatchObject({ ok: false, problem: { code: 'unreadable', file: '/etc/cordon/policy.json' }, sha256: null });
    const altered = signed.replace('"serial": 7', '"serial": 8');
    expect(altered).not.toBe(signed);
    expect(load(source({ kind: 'found', text: altered, where: 'HKLM', ignored: [] }))).toMatchObject({ ok: false, problem: { code: 'bad-signature' } });
  });

  it('searches the registry before the ProgramData file, and stops at the first that holds a policy', () => {
    const registry = source({ kind: 'refused', where: 'HKLM', reason: 'wrong type', ignored: [{ code: 'user-scope-registry-value', where: 'HKCU', why: 'user' }] });
    const file = source({ kind: 'found', text: signed, where: 'C:\\ProgramData\\Cordon\\policy.json', ignored: [] });
    expect(firstManaged([registry, file]).read()).toMatchObject({ kind: 'refused', where: 'HKLM', ignored: [{ where: 'HKCU' }] });
    expect(firstManaged([source({ kind: 'absent', ignored: [{ code: 'user-scope-registry-value', where: 'HKCU', why: 'user' }] }), file]).read()).toMatchObject({ kind: 'found', where: 'C:\\ProgramData\\Cordon\\policy.json', ignored: [{ where: 'HKCU' }] });
  });
});
