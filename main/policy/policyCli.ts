// `cordon-policy`: IT's tool to create keys, sign, verify, validate and explain policies.
// Exit codes: 0 success, 1 the policy was refused or is invalid, 2 usage error, 3 I/O error.
import { existsSync } from 'node:fs';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { explainPolicy } from '../../common/policy/explainPolicy';
import { parseJsonText } from '../../common/policy/jsonText';
import { formatPolicyProblem } from '../../common/policy/policyProblem';
import type { Policy } from '../../common/policy/policySchema';
import { evaluatePolicyFile, unusableHere, type BuildKind, type SignedPolicyFile } from '../../common/policy/signedPolicy';
import { validatePolicy } from '../../common/policy/validatePolicy';
import { createPolicyVerifier, generatePolicyKeyPair, signPolicyDocument } from './policyKeys';
import { MAC_PREFERENCE_DOMAIN } from './policyLocations';
import { ADML_FILE, ADMX_FILE, admxTemplate } from './templates/admxTemplate';
import { jamfSchema, mobileconfig } from './templates/macProfile';
import { regFile } from './templates/regFile';
import { parse as parseYaml } from 'yaml';
import { releaseManifest } from '../update/releaseManifest';
import { signUpdateManifest } from '../update/updateFeed';

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  now: () => Date;
  /** The folder the user ran the command in; relative paths resolve here. */
  cwd: string;
}

export const EXIT = { ok: 0, refused: 1, usage: 2, io: 3 } as const;

const USAGE = `usage: cordon-policy <command> [options]       (from the Cordon folder: npm run policy -- <command> [options])

  keygen   --out <dir> [--name <name>]         create an Ed25519 key pair (<name>.private.pem, <name>.public.pem)
  validate <policy.json|signed.json>            check the content only (no signature check)
  sign     <policy.json> --key <private.pem> --out <signed.json> [--build <kind>] [--ignore-dates]
                                                validate a policy and sign it for that kind of build
  verify   <signed.json> --trust <public.pem>... [--build <kind>]
                                                check signature, version, content and dates as Cordon would
  explain  <signed.json> --trust <public.pem>... [--build <kind>]
                                                verify, then print the effective policy one control per line
  admx     --out <dir>                          the Group Policy / Intune template: <dir>/Cordon.admx and
                                                <dir>/en-US/Cordon.adml (one machine setting holding the signed policy)
  reg      <signed.json> --trust <public.pem>... --out <file.reg> [--build <kind>]
                                                a .reg file setting HKLM\\SOFTWARE\\Policies\\Cordon to this policy
  mobileconfig <signed.json> --trust <public.pem>... --out <file.mobileconfig> [--jamf-schema <file.json>] [--build <kind>]
                                                a macOS configuration profile with the policy as managed
                                                preferences; --jamf-schema also writes Jamf Pro's custom-settings schema
  sign-update <latest.yml> --key <private.pem> --out <cordon-update.json> [--channel stable|beta] [--staging <0-100>]
                                                sign a release for the update feed: the version and files of
                                                electron-builder's latest.yml, with the channel and rollout share
  help                                          this text (also --help or -h after any command)

  --build <kind>   the Cordon the policy is for: production (the default; what a practice
                   installs) refuses demo policies; development (npm start) accepts them
  --ignore-dates   sign even though the policy is expired or not yet valid, e.g. one issued
                   for a later date
Relative paths are taken from the folder you ran the command in.`;

class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Node's error, minus the path it repeats (the caller names the path). */
function fileError(error: unknown): string {
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  if (code === 'ENOENT') return 'no such file or folder';
  if (code === 'EISDIR') return 'it is a folder, not a file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return describe(error);
}

async function readInput(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${fileError(error)}`, EXIT.io);
  }
}

async function readJson(file: string): Promise<unknown> {
  const parsed = parseJsonText(await readInput(file));
  if (!parsed.ok) throw new CliError(`${file} is not valid JSON: ${parsed.reason}`, EXIT.refused);
  return parsed.value;
}

/** Accepts a bare policy or a signed file, and returns the policy object inside. */
function policyObjectOf(document: unknown): unknown {
  if (typeof document === 'object' && document !== null && 'format' in document && 'policy' in document) {
    return (document as { policy: unknown }).policy;
  }
  return document;
}

/**
 * The policy in `file` as written (`document`: what is signed, defaults left implicit) and
 * as Cordon reads it (`policy`), when its content is valid; otherwise every problem.
 */
async function writeOut(file: string, text: string | Buffer): Promise<void> {
  try {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, text);
  } catch (error) {
    throw new CliError(`cannot write ${file}: ${fileError(error)}`, EXIT.io);
  }
}

async function validPolicyIn(file: string, heading: string[]): Promise<{ document: unknown; policy: Policy }> {
  const document = policyObjectOf(await readJson(file));
  const result = validatePolicy(document);
  if (result.ok) return { document, policy: result.policy };
  throw new CliError([...heading, ...result.problems.map((p) => `${file}: field ${p.field}: ${p.reason}`)].join('\n'), EXIT.refused);
}

async function trustedVerifier(trustFiles: readonly string[]) {
  if (trustFiles.length === 0) throw new CliError('name at least one trusted public key with --trust <public.pem>', EXIT.usage);
  const pems = await Promise.all(trustFiles.map(readInput));
  try {
    return createPolicyVerifier(pems);
  } catch (error) {
    throw new CliError(`bad public key: ${describe(error)}`, EXIT.usage);
  }
}

function buildKind(value: string | undefined): BuildKind {
  if (value === undefined || value === 'production' || value === 'development') return value ?? 'production';
  throw new CliError(`--build must be production or development, not ${value}`, EXIT.usage);
}

const FOR_A_PRACTICE = 'for a practice, make it a production policy: "environment": "production" and https URLs';

async function verified(file: string, options: { trust: string[]; build: BuildKind }, io: CliIo) {
  const verifier = await trustedVerifier(options.trust);
  const result = evaluatePolicyFile(await readInput(file), { file, verifier, now: io.now(), build: options.build });
  if (!result.ok) {
    const hint = result.problem.code === 'demo-policy-in-production' ? `\nThis checked it as a production build, the default. To check it as a development build (npm start) would, add --build development; ${FOR_A_PRACTICE}.` : '';
    throw new CliError(formatPolicyProblem(result.problem) + hint, EXIT.refused);
  }
  return result;
}

/**
 * What a device would refuse about this policy, said before it is signed. A demo policy for
 * a production build is refused outright; dates only without --ignore-dates, because a
 * policy may rightly be signed ahead of its issuedAt (or expired, to test the refusal).
 */
function checkSignable(policy: Policy, options: { now: Date; build: BuildKind; ignoreDates: boolean }, io: CliIo): void {
  const problems = unusableHere(policy, options);
  if (problems.some((problem) => problem.code === 'demo-policy-in-production')) {
    throw new CliError(`refusing to sign a demo policy (environment "demo") for a production build, which would refuse it. To sign it for a development build (npm start), add --build development; ${FOR_A_PRACTICE}.`, EXIT.refused);
  }
  const now = options.now.toISOString();
  for (const problem of problems) {
    const dates =
      problem.code === 'expired'
        ? `the policy expired at ${policy.expiresAt} (it is now ${now}), so Cordon would refuse it`
        : `the policy is issued for ${policy.issuedAt}, in the future (it is now ${now}), so Cordon refuses it until then`;
    if (!options.ignoreDates) throw new CliError(`refusing to sign: ${dates}. Change the dates, or add --ignore-dates to sign it anyway.`, EXIT.refused);
    io.err(`WARNING (--ignore-dates): ${dates}.`);
  }
}

function requireOne(positionals: string[], what: string): string {
  const [first, ...rest] = positionals;
  if (first === undefined || rest.length > 0) throw new CliError(`expected exactly one ${what}`, EXIT.usage);
  return first;
}

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      name: { type: 'string' },
      key: { type: 'string' },
      trust: { type: 'string', multiple: true },
      build: { type: 'string' },
      'ignore-dates': { type: 'boolean' },
      'jamf-schema': { type: 'string' },
      channel: { type: 'string' },
      staging: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, ...files] = positionals;
  if (values.help === true || command === 'help') {
    io.out(USAGE);
    return EXIT.ok;
  }
  if (command === undefined) throw new CliError(USAGE, EXIT.usage);
  const resolve = (file: string): string => path.resolve(io.cwd, file);
  const inputs = files.map(resolve);

  switch (command) {
    case 'keygen': {
      if (values.out === undefined) throw new CliError('keygen needs --out <dir>', EXIT.usage);
      const name = values.name ?? 'policy-signing';
      if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new CliError('--name may contain letters, digits, dot, dash and underscore only', EXIT.usage);
      const dir = resolve(values.out);
      const privatePath = path.join(dir, `${name}.private.pem`);
      const publicPath = path.join(dir, `${name}.public.pem`);
      for (const file of [privatePath, publicPath]) {
        if (existsSync(file)) throw new CliError(`${file} already exists; refusing to overwrite a key`, EXIT.io);
      }
      const pair = generatePolicyKeyPair();
      await mkdir(dir, { recursive: true });
      await writeFile(privatePath, pair.privateKeyPem, { mode: 0o600, flag: 'wx' });
      await writeFile(publicPath, pair.publicKeyPem, { mode: 0o644, flag: 'wx' });
      io.out(`key ${pair.keyId}`);
      io.out(`private key: ${privatePath} (keep it offline; whoever holds it can govern every Cordon that trusts it)`);
      io.out(`public key:  ${publicPath} (put it in build/policy-keys/ before building Cordon)`);
      return EXIT.ok;
    }
    case 'sign': {
      const input = requireOne(inputs, 'policy file');
      if (values.key === undefined || values.out === undefined) throw new CliError('sign needs --key <private.pem> and --out <signed.json>', EXIT.usage);
      const [keyFile, outFile] = [resolve(values.key), resolve(values.out)];
      const build = buildKind(values.build);
      const { document, policy } = await validPolicyIn(input, ['refusing to sign an invalid policy:']);
      checkSignable(policy, { now: io.now(), build, ignoreDates: values['ignore-dates'] === true }, io);
      let signed: SignedPolicyFile;
      const privateKeyPem = await readInput(keyFile);
      try {
        signed = signPolicyDocument(document, privateKeyPem);
      } catch (error) {
        throw new CliError(`cannot sign with ${keyFile}: ${describe(error)}`, EXIT.usage);
      }
      try {
        await writeFile(outFile, `${JSON.stringify(signed, null, 2)}\n`);
      } catch (error) {
        throw new CliError(`cannot write ${outFile}: ${fileError(error)}`, EXIT.io);
      }
      io.out(`signed ${input} for a ${build} build with key ${signed.signature.keyId} -> ${outFile}`);
      return EXIT.ok;
    }
    case 'verify': {
      const file = requireOne(inputs, 'signed policy file');
      const result = await verified(file, { trust: (values.trust ?? []).map(resolve), build: buildKind(values.build) }, io);
      io.out(`OK ${file}: policy ${result.policy.policyId} serial ${result.policy.serial}, signed by key ${result.keyId}, valid until ${result.policy.expiresAt}`);
      return EXIT.ok;
    }
    case 'validate': {
      const file = requireOne(inputs, 'policy file');
      await validPolicyIn(file, []);
      io.out(`OK ${file}: the policy content is valid (signature not checked; use verify)`);
      return EXIT.ok;
    }
    case 'explain': {
      const file = requireOne(inputs, 'signed policy file');
      const result = await verified(file, { trust: (values.trust ?? []).map(resolve), build: buildKind(values.build) }, io);
      for (const line of explainPolicy(result.policy)) io.out(line);
      return EXIT.ok;
    }
    case 'admx': {
      if (values.out === undefined) throw new CliError('admx needs --out <dir>', EXIT.usage);
      const dir = resolve(values.out);
      const { admx, adml } = admxTemplate();
      await writeOut(path.join(dir, ADMX_FILE), admx);
      await writeOut(path.join(dir, ADML_FILE), adml);
      io.out(`wrote ${path.join(dir, ADMX_FILE)} and ${path.join(dir, ADML_FILE)}: copy both to the PolicyDefinitions folder (or upload them to Intune), then set "Cordon signed policy" to the signed file's content`);
      return EXIT.ok;
    }
    case 'reg':
    case 'mobileconfig': {
      const file = requireOne(inputs, 'signed policy file');
      if (values.out === undefined) throw new CliError(`${command} needs --out <file>`, EXIT.usage);
      // Only a policy Cordon would accept goes into a template IT pushes to every machine.
      const result = await verified(file, { trust: (values.trust ?? []).map(resolve), build: buildKind(values.build) }, io);
      const text = await readInput(file);
      const outFile = resolve(values.out);
      const who = `policy ${result.policy.policyId} serial ${result.policy.serial}`;
      if (command === 'reg') {
        // As regedit exports: UTF-16LE with a byte-order mark.
        await writeOut(outFile, Buffer.from(`\uFEFF${regFile(text)}`, 'utf16le'));
        io.out(`wrote ${outFile}: ${who} as HKLM\\SOFTWARE\\Policies\\Cordon\\SignedPolicy (import it as an administrator: reg import ${path.basename(outFile)})`);
        return EXIT.ok;
      }
      await writeOut(outFile, mobileconfig(text, { policyId: result.policy.policyId, serial: result.policy.serial, practice: result.policy.practice.name }));
      io.out(`wrote ${outFile}: ${who} as managed preferences for ${MAC_PREFERENCE_DOMAIN} (upload it to your MDM as a custom profile; sign it with your MDM's certificate if it asks)`);
      if (values['jamf-schema'] !== undefined) {
        const schemaFile = resolve(values['jamf-schema']);
        await writeOut(schemaFile, jamfSchema());
        io.out(`wrote ${schemaFile}: Jamf Pro > Configuration Profiles > Application & Custom Settings > External Applications, source "Custom Schema", preference domain ${MAC_PREFERENCE_DOMAIN}`);
      }
      return EXIT.ok;
    }
    case 'sign-update': {
      const input = requireOne(inputs, 'latest.yml');
      if (values.key === undefined || values.out === undefined) throw new CliError('sign-update needs --key <private.pem> and --out <cordon-update.json>', EXIT.usage);
      const channel = values.channel ?? 'stable';
      if (channel !== 'stable' && channel !== 'beta') throw new CliError(`--channel must be stable or beta, not ${channel}`, EXIT.usage);
      const staging = values.staging === undefined ? undefined : /^\d{1,3}$/.test(values.staging) && Number(values.staging) <= 100 ? Number(values.staging) : NaN;
      if (Number.isNaN(staging)) throw new CliError(`--staging must be a whole percentage from 0 to 100, not ${values.staging ?? ''}`, EXIT.usage);
      const manifest = releaseManifest(parseYaml(await readInput(input)), { channel, ...(staging === undefined ? {} : { stagingPercentage: staging }) });
      if (!manifest.ok) throw new CliError(`${input}: ${manifest.reason}`, EXIT.refused);
      const signed = signUpdateManifest(manifest.manifest, await readInput(resolve(values.key)));
      await writeOut(resolve(values.out), signed);
      io.out(`signed Cordon ${manifest.manifest.version} (${channel}, ${manifest.manifest.stagingPercentage}% of devices, ${manifest.manifest.files.length} file${manifest.manifest.files.length === 1 ? '' : 's'}) -> ${resolve(values.out)}: put it beside latest.yml on the feed`);
      return EXIT.ok;
    }
    default:
      throw new CliError(`unknown command '${command}'\n${USAGE}`, EXIT.usage);
  }
}

export async function runPolicyCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    return await run(argv, io);
  } catch (error) {
    if (error instanceof CliError) {
      io.err(error.message);
      return error.exitCode;
    }
    // parseArgs rejects unknown options with a TypeError carrying a code.
    if (error instanceof Error && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
      io.err(`${error.message}\n${USAGE}`);
      return EXIT.usage;
    }
    throw error;
  }
}
