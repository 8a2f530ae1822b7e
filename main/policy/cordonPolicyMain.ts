#!/usr/bin/env tsx
// Entry point of the `cordon-policy` command (`npm run policy -- <cmd>` or the package bin).
import { runPolicyCli } from './policyCli';

process.exitCode = await runPolicyCli(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  now: () => new Date(),
  // `npm run` runs in the package folder and names the user's folder in INIT_CWD.
  cwd: process.env.INIT_CWD ?? process.cwd(),
});
