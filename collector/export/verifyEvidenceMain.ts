// The evidence package's own verifier, bundled into verify-evidence.mjs (verifierScript.ts):
// `node verify-evidence.mjs [FOLDER] [--key KEY_ID_OR_PEM]`, the folder defaulting to the
// script's own. The same checks as `npm run collector -- verify-export`.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { VERIFY_EXIT, verifyAndDescribe } from './evidenceVerifier';

const USAGE = 'usage: node verify-evidence.mjs [FOLDER] [--key COLLECTOR_KEY_ID | --key collector.public.pem]';

async function main(args: readonly string[]): Promise<number> {
  let dir: string | undefined;
  let key: string | undefined;
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] as string;
    if (arg === '--key' && args[i + 1] !== undefined) key = args[(i += 1)];
    else if (!arg.startsWith('-') && dir === undefined) dir = arg;
    else {
      process.stderr.write(`${USAGE}\n`);
      return VERIFY_EXIT.usage;
    }
  }
  const { exitCode, lines } = await verifyAndDescribe(dir ?? path.dirname(fileURLToPath(import.meta.url)), key === undefined ? {} : { trustedKey: key });
  process.stdout.write(lines.map((line) => `${line}\n`).join(''));
  return exitCode;
}

process.exitCode = await main(process.argv.slice(2));
