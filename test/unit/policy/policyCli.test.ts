import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeEach, describe, expect, it } from 'vitest';
import { DOMParser } from '@xmldom/xmldom';
import plist from 'plist';
import { macManagedPreferences, policyRegistryStrings, windowsRegistryPolicy, type FileAccess, type ManagedPolicySource, type RunCommand } from '../../../main/policy/managedPolicySources';
import { EXIT, runPolicyCli } from '../../../main/policy/policyCli';
import { createPolicyVerifier } from '../../../main/policy/policyKeys';
import { loadPolicy } from '../../../main/policy/policyLoader';
import { MAC_PREFERENCE_DOMAIN } from '../../../main/policy/policyLocations';
import { importRegFile, regQueryOutput, REG_NOT_FOUND } from '../../support/regExeStandIn';
import { NOW, REPO_ROOT, validPolicy } from '../../support/policyFixtures';

let dir: string;

/** Runs the CLI as if typed in `cwd` (the temp folder unless said otherwise), at NOW unless said otherwise. */
async function cliIn(options: { cwd?: string; now?: Date }, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runPolicyCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l), now: () => options.now ?? NOW, cwd: options.cwd ?? dir });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const cli = (...argv: string[]) => cliIn({}, ...argv);

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'cordon-cli-'));
});

async function keygenAndSign(policy: unknown = validPolicy()) {
  expect((await cli('keygen', '--out', dir, '--name', 'practice')).code).toBe(EXIT.ok);
  await writeFile(path.join(dir, 'policy.json'), JSON.stringify(policy, null, 2));
  const signed = await cli('sign', path.join(dir, 'policy.json'), '--key', path.join(dir, 'practice.private.pem'), '--out', path.join(dir, 'signed.json'));
  expect(signed.code, signed.err).toBe(EXIT.ok);
  return { signed: path.join(dir, 'signed.json'), pub: path.join(dir, 'practice.public.pem'), priv: path.join(dir, 'practice.private.pem') };
}

describe('cordon-policy CLI', () => {
  it('keygen writes a private key only its owner can read, and refuses to overwrite', async () => {
    const first = await cli('keygen', '--out', dir, '--name', 'practice');
    expect(first.code).toBe(EXIT.ok);
    expect(first.out).toMatch(/^key [0-9a-f]{16}$/m);
    expect((await stat(path.join(dir, 'practice.private.pem'))).mode & 0o777).toBe(0o600);
    const again = await cli('keygen', '--out', dir, '--name', 'practice');
    expect(again.code).toBe(EXIT.io);
    expect(again.err).toContain('refusing to overwrite');
  });

  it('signs, verifies and explains a policy one control per line', async () => {
    const { signed, pub } = await keygenAndSign();
    const verified = await cli('verify', signed, '--trust', pub);
    expect(verified.code).toBe(EXIT.ok);
    expect(verified.out).toContain('OK');
    const explained = await cli('explain', signed, '--trust', pub);
    expect(explained.code).toBe(EXIT.ok);
    const lines = explained.out.split('\n');
    expect(lines).toContain('practice: Test Family Practice');
    expect(lines.some((l) => l.startsWith('clipboard: workspace:'))).toBe(true);
    expect(lines.some((l) => l.startsWith('idle lock: after 5 min'))).toBe(true);
    expect(lines.some((l) => l.startsWith('multi-factor authentication: required; accepted proof: amr otp'))).toBe(true);
    expect(lines.some((l) => l.includes('downloads blocked, printing blocked, uploads blocked'))).toBe(true);
    expect(lines).toContain('client certificates: never sent');
    expect(lines).toContain('sign-in page assets (never navigated to): none beyond the sign-in origins');
  });

  it('refuses a tampered policy with the cause and exit code 1', async () => {
    const { signed, pub } = await keygenAndSign();
    const document = JSON.parse(await readFile(signed, 'utf8'));
    document.policy.clipboard.mode = 'inbound-only';
    await writeFile(signed, JSON.stringify(document));
    for (const command of ['verify', 'explain']) {
      const result = await cli(command, signed, '--trust', pub);
      expect(result.code).toBe(EXIT.refused);
      expect(result.err).toContain('bad-signature');
      expect(result.err).toContain('altered after signing');
    }
  });

  it('refuses a policy signed by another key, naming the key ids it trusted', async () => {
    const { signed } = await keygenAndSign();
    const other = (await cli('keygen', '--out', dir, '--name', 'other')).out.replace(/^key ([0-9a-f]{16})[^]*$/, '$1');
    const signer = JSON.parse(await readFile(signed, 'utf8')).signature.keyId;
    const result = await cli('verify', signed, '--trust', path.join(dir, 'other.public.pem'));
    expect(result.code).toBe(EXIT.refused);
    expect(result.err).toContain('untrusted-key');
    expect(result.err).toContain(`signed with key ${signer}, which this production build does not trust (it trusts only ${other})`);
  });

  it('says so plainly when sign is given the public key', async () => {
    const { pub } = await keygenAndSign();
    const result = await cli('sign', 'policy.json', '--key', 'practice.public.pem', '--out', 'x.json');
    expect(result.code).toBe(EXIT.usage);
    expect(result.err).toBe(`cannot sign with ${pub}: this is a public key; signing needs the private key (the <name>.private.pem that keygen wrote beside it)`);
  });

  it('names the line and column of a JSON mistake', async () => {
    await writeFile(path.join(dir, 'policy.json'), '{\n  "schemaVersion": 1,\n  "policyId": "x"\n  "serial": 2\n}\n');
    const result = await cli('validate', 'policy.json');
    expect(result.code).toBe(EXIT.refused);
    expect(result.err).toBe(`${path.join(dir, 'policy.json')} is not valid JSON: line 4, column 3: expected ',' or '}'`);
  });

  it('suggests the known field an unknown one most likely meant, naming apps by id', async () => {
    const policy = validPolicy();
    await writeFile(path.join(dir, 'policy.json'), JSON.stringify({ ...policy, apps: [...policy.apps, { ...policy.apps[0], id: 'fax', printng: 'allow' }], sesion: {} }));
    const result = await cli('validate', 'policy.json');
    expect(result.code).toBe(EXIT.refused);
    const file = path.join(dir, 'policy.json');
    expect(result.err.split('\n')).toEqual(expect.arrayContaining([`${file}: field policy.apps[fax].printng: unknown field; did you mean "printing"?`, `${file}: field policy.sesion: unknown field; did you mean "session"?`]));
  });

  it('refuses to sign what Cordon would refuse: expired, not yet valid, or a demo policy for production', async () => {
    const { priv } = await keygenAndSign();
    const sign = (policy: string, ...more: string[]) => cli('sign', policy, '--key', priv, '--out', 'signed-now.json', ...more);
    await writeFile(path.join(dir, 'expired.json'), JSON.stringify(validPolicy({ issuedAt: '2026-01-01T00:00:00Z', expiresAt: '2027-02-01T00:00:00Z' })));
    const expired = await sign('expired.json');
    expect(expired.code).toBe(EXIT.refused);
    expect(expired.err).toBe(`refusing to sign: the policy expired at 2027-02-01T00:00:00Z (it is now ${NOW.toISOString()}), so Cordon would refuse it. Change the dates, or add --ignore-dates to sign it anyway.`);
    await writeFile(path.join(dir, 'later.json'), JSON.stringify(validPolicy({ issuedAt: '2027-04-01T00:00:00Z' })));
    expect((await sign('later.json')).err).toMatch(/^refusing to sign: the policy is issued for 2027-04-01T00:00:00Z, in the future .* add --ignore-dates/);
    const ahead = await sign('later.json', '--ignore-dates');
    expect(ahead.code, ahead.err).toBe(EXIT.ok);
    expect(ahead.err).toMatch(/^WARNING \(--ignore-dates\): the policy is issued for 2027-04-01T00:00:00Z, in the future/);
    await writeFile(path.join(dir, 'demo.json'), JSON.stringify(validPolicy({ environment: 'demo' })));
    for (const more of [[], ['--ignore-dates'], ['--build', 'production']]) {
      const demo = await sign('demo.json', ...more);
      expect(demo.code).toBe(EXIT.refused);
      expect(demo.err).toMatch(/^refusing to sign a demo policy .* for a production build.* add --build development/);
    }
    expect((await sign('demo.json', '--build', 'development')).code).toBe(EXIT.ok);
  });

  it('says how to check a demo policy when verify refuses it for production', async () => {
    const { pub, priv } = await keygenAndSign();
    await writeFile(path.join(dir, 'demo.json'), JSON.stringify(validPolicy({ environment: 'demo' })));
    expect((await cli('sign', 'demo.json', '--key', priv, '--out', 'demo-signed.json', '--build', 'development')).code).toBe(EXIT.ok);
    const refused = await cli('verify', 'demo-signed.json', '--trust', pub);
    expect(refused.code).toBe(EXIT.refused);
    expect(refused.err).toContain('demo-policy-in-production');
    expect(refused.err).toContain('This checked it as a production build, the default. To check it as a development build (npm start) would, add --build development');
    expect((await cli('verify', 'demo-signed.json', '--trust', pub, '--build', 'development')).code).toBe(EXIT.ok);
  });

  it('prints its usage for --help, -h and help, with or without a command', async () => {
    for (const argv of [['--help'], ['-h'], ['help'], ['sign', '--help'], ['verify', 'x.json', '-h']]) {
      const result = await cli(...argv);
      expect(result.code, argv.join(' ')).toBe(EXIT.ok);
      expect(result.out).toMatch(/^usage: cordon-policy <command>/);
      expect(result.out).toContain('--ignore-dates');
    }
  });

  it('takes relative paths from the folder the command was run in, and names the full path in errors', async () => {
    await mkdir(path.join(dir, 'work'));
    expect((await cliIn({ cwd: path.join(dir, 'work') }, 'keygen', '--out', '../keys', '--name', 'practice')).code).toBe(EXIT.ok);
    expect((await stat(path.join(dir, 'keys', 'practice.public.pem'))).isFile()).toBe(true);
    const missing = await cliIn({ cwd: path.join(dir, 'work') }, 'verify', 'signed.json', '--trust', '../keys/practice.public.pem');
    expect(missing.code).toBe(EXIT.io);
    expect(missing.err).toBe(`cannot read ${path.join(dir, 'work', 'signed.json')}: no such file or folder`);
  });

  it('refuses to sign an invalid policy and names the field', async () => {
    expect((await cli('keygen', '--out', dir, '--name', 'practice')).code).toBe(EXIT.ok);
    const bad = { ...validPolicy(), session: { idleLockMinutes: 30, logoffMinutes: 10 } };
    await writeFile(path.join(dir, 'bad.json'), JSON.stringify(bad));
    const result = await cli('sign', path.join(dir, 'bad.json'), '--key', path.join(dir, 'practice.private.pem'), '--out', path.join(dir, 'x.json'));
    expect(result.code).toBe(EXIT.refused);
    expect(result.err).toContain('policy.session.logoffMinutes');
  });

  it('validate checks content only and reports every problem', async () => {
    await writeFile(path.join(dir, 'bad.json'), JSON.stringify({ ...validPolicy(), clipboard: { mode: 'open' }, watermark: { template: '{user}' } }));
    const result = await cli('validate', path.join(dir, 'bad.json'));
    expect(result.code).toBe(EXIT.refused);
    expect(result.err).toContain('policy.clipboard.mode');
    expect(result.err).toContain('policy.watermark.template');
    await writeFile(path.join(dir, 'good.json'), JSON.stringify(validPolicy()));
    expect((await cli('validate', path.join(dir, 'good.json'))).code).toBe(EXIT.ok);
  });

  it('gives clear usage errors', async () => {
    expect((await cli()).code).toBe(EXIT.usage);
    const unknown = await cli('frobnicate');
    expect(unknown.code).toBe(EXIT.usage);
    expect(unknown.err).toContain("unknown command 'frobnicate'");
    const noTrust = await cli('verify', path.join(dir, 'x.json'));
    expect(noTrust.code).toBe(EXIT.usage);
    expect(noTrust.err).toContain('--trust');
    expect((await cli('verify', 'x.json', '--bogus')).code).toBe(EXIT.usage);
    const missing = await cli('validate', path.join(dir, 'nope.json'));
    expect(missing.code).toBe(EXIT.io);
    expect(missing.err).toContain('cannot read');
    expect((await cli('verify', 'x.json', '--trust', 'k.pem', '--build', 'staging')).err).toBe('--build must be production or development, not staging');
    await writeFile(path.join(dir, 'junk.json'), 'not json');
    expect((await cli('validate', path.join(dir, 'junk.json'))).code).toBe(EXIT.refused);
  });

  it('runs as `npm run policy` with real exit codes', async () => {
    const { signed, pub } = await keygenAndSign({ ...validPolicy(), issuedAt: '2026-01-01T00:00:00Z', expiresAt: '2099-01-01T00:00:00Z' });
    const run = promisify(execFile);
    const ok = await run('npm', ['run', '-s', 'policy', '--', 'verify', signed, '--trust', pub], { cwd: REPO_ROOT });
    expect(ok.stdout).toContain('OK');
    const document = JSON.parse(await readFile(signed, 'utf8'));
    document.policy.practice.name = 'Someone Else';
    await writeFile(signed, JSON.stringify(document));
    const refused = await run('npm', ['run', '-s', 'policy', '--', 'verify', signed, '--trust', pub], { cwd: REPO_ROOT }).catch((error: unknown) => error as { code: number; stderr: string });
    expect('code' in refused && refused.code).toBe(1);
    expect('stderr' in refused && refused.stderr).toContain('bad-signature');
  });

  it('under npm run policy, takes relative paths from where npm was run (INIT_CWD), not the package folder', async () => {
    await keygenAndSign({ ...validPolicy(), issuedAt: '2026-01-01T00:00:00Z', expiresAt: '2099-01-01T00:00:00Z' });
    const { stdout } = await promisify(execFile)('npm', ['--prefix', REPO_ROOT, 'run', '-s', 'policy', '--', 'verify', 'signed.json', '--trust', 'practice.public.pem'], { cwd: dir });
    expect(stdout).toContain(`OK ${path.join(dir, 'signed.json')}: policy test-practice`);
  });
});

/** The sh block under the README's "Managed policy (for IT)" heading, one command a line. */
async function readmePolicySteps(): Promise<string[]> {
  const readme = await readFile(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const section = readme.split(/^## /m).find((part) => part.startsWith('Managed policy (for IT)')) ?? '';
  const block = /```sh\n([^]*?)```/.exec(section)?.[1] ?? '';
  return block.split('\n').map((line) => line.replace(/\s+#.*$/, '').trim()).filter((line) => line !== '');
}

describe("the README's policy steps", () => {
  it('work exactly as printed, run in order from a fresh clone on a copy of the demo policy', async () => {
    const clone = path.join(dir, 'cordon');
    await mkdir(path.join(clone, 'demo', 'policy'), { recursive: true });
    await copyFile(path.join(REPO_ROOT, 'demo/policy/demo-policy.json'), path.join(clone, 'demo/policy/demo-policy.json'));
    const steps = await readmePolicySteps();
    const commands = steps.filter((line) => line.startsWith('npm run policy -- ')).map((line) => line.split(/\s+/).slice(4));
    expect(commands.map(([command]) => command)).toEqual(['keygen', 'validate', 'sign', 'verify', 'explain']);
    let last = { code: -1, out: '', err: '' };
    for (const step of steps) {
      if (!step.startsWith('npm run policy -- ')) {
        execFileSync('sh', ['-c', step], { cwd: clone });
        continue;
      }
      // The real clock: the steps must work on the day someone follows them.
      last = await cliIn({ cwd: clone, now: new Date() }, ...step.split(/\s+/).slice(4));
      expect(last.code, `${step}\n${last.err}`).toBe(EXIT.ok);
      expect(last.err, step).toBe('');
    }
    expect(last.out.split('\n')).toContain('practice: Sunrise Family Medicine (demo)');
  });
});

// The templates IT pushes, each parsed with a real parser and loaded back through Cordon's
// own readers: the .reg through the reg.exe stand-in, the profile and the Jamf settings as
// the managed-preferences file macOS writes (binary, by Python's plistlib).
describe('cordon-policy templates for MDM', () => {
  const parseXml = (text: string) =>
    new DOMParser({
      errorHandler: (level: string, message: string) => {
        throw new Error(`XML ${level}: ${message}`);
      },
    }).parseFromString(text, 'text/xml');

  /** What macOS writes to /Library/Managed Preferences when a profile or Jamf sets `dictionary`, under a temporary root. */
  function installManagedPreferences(dictionary: Record<string, unknown>): FileAccess {
    const root = mkdtempSync(path.join(tmpdir(), 'cordon-managed-'));
    const file = path.join(root, 'Library/Managed Preferences', `${MAC_PREFERENCE_DOMAIN}.plist`);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, execFileSync('python3', ['-c', 'import json, plistlib, sys; sys.stdout.buffer.write(plistlib.dumps(json.load(sys.stdin), fmt=plistlib.FMT_BINARY))'], { input: JSON.stringify(dictionary) }));
    return { stat: (f) => statSync(path.join(root, f)), read: (f) => readFileSync(path.join(root, f)) };
  }
  const loadFrom = async (managed: ManagedPolicySource, pub: string) =>
    loadPolicy({ sources: { managed, bundledPath: path.join(dir, 'none.json') }, verifier: createPolicyVerifier([await readFile(pub, 'utf8')]), build: 'production', now: NOW });

  it('admx writes an ADMX and its en-US ADML whose every reference resolves, for one machine setting at the key Cordon reads', async () => {
    const result = await cli('admx', '--out', 'templates');
    expect(result.code, result.err).toBe(EXIT.ok);
    const admx = parseXml(await readFile(path.join(dir, 'templates/Cordon.admx'), 'utf8'));
    const adml = parseXml(await readFile(path.join(dir, 'templates/en-US/Cordon.adml'), 'utf8'));
    const policy = admx.getElementsByTagName('policy')[0];
    expect(policy?.getAttribute('class')).toBe('Machine');
    expect(policy?.getAttribute('key')).toBe('SOFTWARE\\Policies\\Cordon');
    const box = admx.getElementsByTagName('multiText')[0];
    expect([box?.getAttribute('valueName'), Number(box?.getAttribute('maxLength'))]).toEqual(['SignedPolicy', 1023]);
    const strings = new Set(Array.from(adml.getElementsByTagName('string')).map((s) => s.getAttribute('id')));
    const presentations = new Set(Array.from(adml.getElementsByTagName('presentation')).map((p) => p.getAttribute('id')));
    const text = await readFile(path.join(dir, 'templates/Cordon.admx'), 'utf8');
    for (const [, kind, id] of text.matchAll(/\$\((string|presentation)\.([A-Za-z0-9_]+)\)/g)) expect((kind === 'string' ? strings : presentations).has(id as string), `${kind}.${id}`).toBe(true);
    // The explanation lists the policy's sections from the schema, so it cannot drift.
    expect(adml.getElementsByTagName('string')[3]?.textContent).toContain('clipboard, screenCapture, watermark');
  });

  it('reg writes HKLM\\SOFTWARE\\Policies\\Cordon that reg.exe would import and Cordon reads back as the same policy', async () => {
    const { signed, pub } = await keygenAndSign(validPolicy({ policyId: 'from-reg', serial: 4 }));
    const result = await cli('reg', signed, '--trust', pub, '--out', 'cordon.reg');
    expect(result.code, result.err).toBe(EXIT.ok);
    const bytes = await readFile(path.join(dir, 'cordon.reg'));
    expect([...bytes.subarray(0, 2)]).toEqual([0xff, 0xfe]);
    const values = importRegFile(bytes.toString('utf16le'));
    const value = values.get('HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Cordon\\SignedPolicy');
    expect(value?.type).toBe('REG_MULTI_SZ');
    for (const s of value?.strings ?? []) expect(s.length).toBeLessThanOrEqual(1000);
    const regExe: RunCommand = (_file, args) => ((args[1] ?? '').startsWith('HKLM') && value !== undefined ? { status: 0, stdout: regQueryOutput(args[1] ?? '', 'SignedPolicy', value.type, value.strings), stderr: '' } : REG_NOT_FOUND);
    const loaded = await loadFrom(windowsRegistryPolicy(regExe), pub);
    expect(loaded.ok && [loaded.policy.policyId, loaded.policy.serial]).toEqual(['from-reg', 4]);
  });

  it('mobileconfig writes a profile whose payload, installed as managed preferences, Cordon reads back; --jamf-schema describes the same key', async () => {
    const { signed, pub } = await keygenAndSign(validPolicy({ policyId: 'from-profile', serial: 6 }));
    const result = await cli('mobileconfig', signed, '--trust', pub, '--out', 'cordon.mobileconfig', '--jamf-schema', 'cordon-jamf.json');
    expect(result.code, result.err).toBe(EXIT.ok);
    const profile = plist.parse(await readFile(path.join(dir, 'cordon.mobileconfig'), 'utf8')) as { PayloadType: string; PayloadScope: string; PayloadUUID: string; PayloadContent: Record<string, unknown>[] };
    expect([profile.PayloadType, profile.PayloadScope]).toEqual(['Configuration', 'System']);
    const payload = profile.PayloadContent.find((p) => p.PayloadType === MAC_PREFERENCE_DOMAIN) ?? {};
    const settings = Object.fromEntries(Object.entries(payload).filter(([key]) => !key.startsWith('Payload')));
    expect(Object.keys(settings)).toEqual(['SignedPolicy']);
    const loaded = await loadFrom(macManagedPreferences(MAC_PREFERENCE_DOMAIN, { user: 'va', home: '/Users/va', files: installManagedPreferences(settings) }), pub);
    expect(loaded.ok && [loaded.policy.policyId, loaded.policy.serial]).toEqual(['from-profile', 6]);
    // The same policy makes the same profile; IT can tell versions apart by UUID.
    expect((await cli('mobileconfig', signed, '--trust', pub, '--out', 'again.mobileconfig')).code).toBe(EXIT.ok);
    expect((plist.parse(await readFile(path.join(dir, 'again.mobileconfig'), 'utf8')) as { PayloadUUID: string }).PayloadUUID).toBe(profile.PayloadUUID);

    const schema = JSON.parse(await readFile(path.join(dir, 'cordon-jamf.json'), 'utf8')) as { properties: Record<string, { type: string }>; required: string[] };
    expect(schema.required).toEqual(['SignedPolicy']);
    expect(schema.properties.SignedPolicy?.type).toBe('string');
    // What Jamf writes from that form: the pasted file as the key's string.
    const jamf = await loadFrom(macManagedPreferences(MAC_PREFERENCE_DOMAIN, { user: 'va', home: '/Users/va', files: installManagedPreferences({ SignedPolicy: await readFile(signed, 'utf8') }) }), pub);
    expect(jamf.ok).toBe(true);
  });

  it('refuses to put a policy Cordon would refuse into a template, and says what each verb needs', async () => {
    const { signed } = await keygenAndSign();
    const other = await cli('keygen', '--out', path.join(dir, 'other'), '--name', 'other');
    expect(other.code).toBe(EXIT.ok);
    const wrongKey = await cli('reg', signed, '--trust', path.join(dir, 'other/other.public.pem'), '--out', 'x.reg');
    expect(wrongKey.code).toBe(EXIT.refused);
    expect(wrongKey.err).toContain('untrusted-key');
    expect((await cli('mobileconfig', signed)).err).toContain('mobileconfig needs --out');
    expect((await cli('admx')).err).toContain('admx needs --out');
    expect((await cli('help')).out).toMatch(/admx[\s\S]*reg[\s\S]*mobileconfig/);
  });

  it('cuts a long policy into registry strings Group Policy can hold, which join back to the same JSON', () => {
    const text = JSON.stringify({ format: 'x', long: 'é'.repeat(4321), more: ['a', 'b'] }, null, 2);
    const strings = policyRegistryStrings(text);
    expect(strings.length).toBeGreaterThan(4);
    for (const s of strings) expect(s.length).toBeLessThanOrEqual(1000);
    expect(JSON.parse(strings.join(''))).toEqual(JSON.parse(text));
  });
});
