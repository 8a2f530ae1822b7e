// `cordon-policy`: IT's tool to create keys, sign, verify, validate and explain policies.
// Exit codes: 0 success, 1 the policy was refused or is invalid, 2 usage error, 3 I/O error.
import { existsSync } from 'node:fs';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { explainPolicy } from '../../common/policy/explainPolicy';
import { parseJsonText } from '../../common/policy/jsonText';
import { formatPolicyProblem } from '../../common/policy/policyProblem';
import { evaluatePolicyFile, type BuildKind, type SignedPolicyFile } from '../../common/policy/signedPolicy';
import { validatePolicy } from '../../common/policy/validatePolicy';
import { createPolicyVerifier, generatePolicyKeyPair, signPolicyDocument } from './policyKeys';

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  now: () => Date;
}

export const EXIT = { ok: 0, refused: 1, usage: 2, io: 3 } as const;

const USAGE = `usage: cordon-policy <command> [options]

  keygen   --out <dir> [--name <name>]        create an Ed25519 key pair (<name>.private.pem, <name>.public.pem)
  sign     <policy.json> --key <private.pem> --out <signed.json>
                                               validate a policy and sign it
  verify   <signed.json> --trust <public.pem>... [--build production|development]
                                               check signature, version, content and dates as Cordon would
  validate <policy.json|signed.json>           check the content only (no signature check)
  explain  <signed.json> --trust <public.pem>... [--build production|development]
                                               verify, then print the effective policy one control per line`;

class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

async function readInput(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`, EXIT.io);
  }
}

function parseJson(text: string, file: string): unknown {
  const parsed = parseJsonText(text);
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

function validationLines(policy: unknown, file: string): string[] {
  const result = validatePolicy(policy);
  return result.ok ? [] : result.problems.map((problem) => `${file}: field ${problem.field}: ${problem.reason}`);
}

async function trustedVerifier(trustFiles: readonly string[]) {
  if (trustFiles.length === 0) throw new CliError('name at least one trusted public key with --trust <public.pem>', EXIT.usage);
  const pems = await Promise.all(trustFiles.map(readInput));
  try {
    return createPolicyVerifier(pems);
  } catch (error) {
    throw new CliError(`bad public key: ${error instanceof Error ? error.message : String(error)}`, EXIT.usage);
  }
}

function buildKind(value: string | undefined): BuildKind {
  if (value === undefined || value === 'production' || value === 'development') return value ?? 'production';
  throw new CliError(`--build must be production or development, not ${value}`, EXIT.usage);
}

async function verified(file: string, options: { trust: string[]; build: BuildKind }, io: CliIo) {
  const verifier = await trustedVerifier(options.trust);
  const result = evaluatePolicyFile(await readInput(file), { file, verifier, now: io.now(), build: options.build });
  if (!result.ok) throw new CliError(formatPolicyProblem(result.problem), EXIT.refused);
  return result;
}

function requireOne(positionals: string[], what: string): string {
  const [first, ...rest] = positionals;
  if (first === undefined || rest.length > 0) throw new CliError(`expected exactly one ${what}`, EXIT.usage);
  return first;
}

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      name: { type: 'string' },
      key: { type: 'string' },
      trust: { type: 'string', multiple: true },
      build: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help === true || command === undefined || command === 'help') {
    io.out(USAGE);
    return command === undefined ? EXIT.usage : EXIT.ok;
  }

  switch (command) {
    case 'keygen': {
      if (values.out === undefined) throw new CliError('keygen needs --out <dir>', EXIT.usage);
      const name = values.name ?? 'policy-signing';
      if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new CliError('--name may contain letters, digits, dot, dash and underscore only', EXIT.usage);
      const privatePath = path.join(values.out, `${name}.private.pem`);
      const publicPath = path.join(values.out, `${name}.public.pem`);
      for (const file of [privatePath, publicPath]) {
        if (existsSync(file)) throw new CliError(`${file} already exists; refusing to overwrite a key`, EXIT.io);
      }
      const pair = generatePolicyKeyPair();
      await mkdir(values.out, { recursive: true });
      await writeFile(privatePath, pair.privateKeyPem, { mode: 0o600, flag: 'wx' });
      await writeFile(publicPath, pair.publicKeyPem, { mode: 0o644, flag: 'wx' });
      io.out(`key ${pair.keyId}`);
      io.out(`private key: ${privatePath} (keep it offline; whoever holds it can govern every Cordon that trusts it)`);
      io.out(`public key:  ${publicPath} (put it in build/policy-keys/ before building Cordon)`);
      return EXIT.ok;
    }
    case 'sign': {
      const input = requireOne(positionals, 'policy file');
      if (values.key === undefined || values.out === undefined) throw new CliError('sign needs --key <private.pem> and --out <signed.json>', EXIT.usage);
      const policy = policyObjectOf(parseJson(await readInput(input), input));
      const problems = validationLines(policy, input);
      if (problems.length > 0) throw new CliError(['refusing to sign an invalid policy:', ...problems].join('\n'), EXIT.refused);
      let signed: SignedPolicyFile;
      const privateKeyPem = await readInput(values.key);
      try {
        signed = signPolicyDocument(policy, privateKeyPem);
      } catch (error) {
        throw new CliError(`bad private key ${values.key}: ${error instanceof Error ? error.message : String(error)}`, EXIT.usage);
      }
      try {
        await writeFile(values.out, `${JSON.stringify(signed, null, 2)}\n`);
      } catch (error) {
        throw new CliError(`cannot write ${values.out}: ${error instanceof Error ? error.message : String(error)}`, EXIT.io);
      }
      io.out(`signed ${input} with key ${signed.signature.keyId} -> ${values.out}`);
      return EXIT.ok;
    }
    case 'verify': {
      const file = requireOne(positionals, 'signed policy file');
      const result = await verified(file, { trust: values.trust ?? [], build: buildKind(values.build) }, io);
      io.out(`OK ${file}: policy ${result.policy.policyId} serial ${result.policy.serial}, signed by key ${result.keyId}, valid until ${result.policy.expiresAt}`);
      return EXIT.ok;
    }
    case 'validate': {
      const file = requireOne(positionals, 'policy file');
      const problems = validationLines(policyObjectOf(parseJson(await readInput(file), file)), file);
      if (problems.length > 0) throw new CliError(problems.join('\n'), EXIT.refused);
      io.out(`OK ${file}: the policy content is valid (signature not checked; use verify)`);
      return EXIT.ok;
    }
    case 'explain': {
      const file = requireOne(positionals, 'signed policy file');
      const result = await verified(file, { trust: values.trust ?? [], build: buildKind(values.build) }, io);
      for (const line of explainPolicy(result.policy)) io.out(line);
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
