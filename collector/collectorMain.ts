// `npm run collector`: runs the practice's audit collector, or with `issue-code` prints a
// one-time enrollment code, with `find-session CODE` shows the session a watermark names,
// with `export` writes an export and with `verify-export DIR` checks an evidence package;
// `dispose`, `legal-hold` and `retention` act on and report the retention of the trail;
// `import-training FILE` imports the compliance officer's training CSV; `access …` revokes and
// reinstates devices and VAs.
// Exit codes: 0 done, 1 could not start or run (export: refused), 2 bad usage; export and
// verify-export add their own (collector/export/exportCli.ts).
import { readFileSync } from 'node:fs';
import { runAccess } from './access/accessCli';
import { isHelpRequest, parseCollectorArgs, UsageError, USAGE, type CollectorCommand } from './collectorArgs';
import { checkRetentionConfig, DEFAULT_ENROLLMENT_CODE_TTL_MS, describePeriod } from './collectorConfig';
import { CollectorStore } from './collectorStore';
import { startCollector } from './collectorServer';
import { issueEnrollmentCode } from './enrollment';
import { runExport, runVerifyExport, type CliAnswer } from './export/exportCli';
import { runDispose, runLegalHold, runRetentionStatus } from './retention/retentionCli';
import { runImportTraining } from './training/trainingCli';
import { describeInterval } from './retention/retentionStatus';
import { DEFAULT_RULES_FILE } from './rules/rulesSchema';
import { loadRulesFile, RulesFileError } from './rules/rulesFile';
import { findSession } from './sessionLookup';
import { storageLocation } from './storageProblem';

function readPem(file: string, what: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new UsageError(`cannot read the TLS ${what} '${file}': ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** A bad rules file is a usage error: the collector does not start with it. */
function readRules(file: string): ReturnType<typeof loadRulesFile> {
  try {
    return loadRulesFile(file, process.env);
  } catch (error) {
    throw error instanceof RulesFileError ? new UsageError(error.message) : error;
  }
}

/** Prints a verb's lines (to stderr when it failed) and ends with its exit code. */
function finish(answer: CliAnswer): void {
  for (const line of answer.lines) (answer.exitCode === 0 ? console.info : console.error)(line);
  process.exitCode = answer.exitCode;
}

async function run(command: CollectorCommand): Promise<void> {
  const { config } = command;
  if (command.export !== undefined) {
    const { query, out, keyFile, issuer } = command.export;
    finish(await runExport({ storage: config.storage, keyFile, query, out, ...(issuer === null ? {} : { issuer }) }));
    return;
  }
  if (command.verifyExport !== undefined) {
    finish(await runVerifyExport(command.verifyExport.dir, command.verifyExport.key === undefined ? {} : { key: command.verifyExport.key }));
    return;
  }
  const retentionVerb = { storage: config.storage, keyFile: command.keyFile, retention: command.retention };
  if (command.command === 'dispose' || command.command === 'retention' || command.command === 'legal-hold') {
    if (command.command === 'dispose') finish(await runDispose({ ...retentionVerb, dryRun: command.dryRun }));
    else if (command.command === 'retention') finish(await runRetentionStatus({ ...retentionVerb, verify: command.verify }));
    else if (command.legalHold !== undefined) finish(await runLegalHold({ storage: config.storage, keyFile: command.keyFile, ...command.legalHold }));
    return;
  }
  if (command.importTraining !== undefined) {
    finish(await runImportTraining({ storage: config.storage, keyFile: command.keyFile, file: command.importTraining.file, policy: command.policy }));
    return;
  }
  if (command.access !== undefined) {
    finish(await runAccess({ storage: config.storage, keyFile: command.keyFile, ...command.access }));
    return;
  }
  const { storage } = config;
  const where = storageLocation(storage);
  if (command.command === 'find-session') {
    const store = await CollectorStore.open(storage);
    try {
      const sessions = await findSession(store, command.sessionCode ?? '');
      if (sessions.length === 0) console.info(`no events carry session code ${command.sessionCode ?? ''} (storage: ${where})`);
      for (const s of sessions) {
        console.info(`device ${s.deviceName} (${s.deviceId})\n  user (IdP subject): ${s.subjects.join(', ') || 'none recorded'}\n  from ${s.firstRecordedAt} to ${s.lastRecordedAt}, ${s.events} events`);
        for (const [type, count] of Object.entries(s.types)) console.info(`    ${type}: ${count}`);
      }
    } catch (error) {
      if (error instanceof RangeError) throw new UsageError(error.message);
      throw error;
    } finally {
      await store.close();
    }
    return;
  }
  if (command.command === 'issue-code') {
    const store = await CollectorStore.open(storage);
    try {
      const { code, expiresAt } = await issueEnrollmentCode(store, DEFAULT_ENROLLMENT_CODE_TTL_MS);
      console.info(`enrollment code: ${code}\nusable once, until ${new Date(expiresAt).toISOString()} (storage: ${where})`);
    } finally {
      await store.close();
    }
    return;
  }
  const tls = command.tlsFiles === null ? undefined : { key: readPem(command.tlsFiles.key, 'key'), cert: readPem(command.tlsFiles.cert, 'certificate') };
  const alerting = command.rulesFile === null ? { rules: DEFAULT_RULES_FILE, channels: {} } : readRules(command.rulesFile);
  for (const note of command.notes) console.info(`note: ${note}`);
  if (config.retention !== undefined) {
    for (const note of checkRetentionConfig(config.retention)) console.info(`note: ${note}`);
    console.info(`retention: events ${describePeriod(config.retention.events)}, alerts ${describePeriod(config.retention.alerts)}, reviews ${describePeriod(config.retention.reviews)}, access log ${describePeriod(config.retention.accessLog)}; ${config.retention.intervalMs === null ? 'no automatic disposal (dispose runs it)' : `disposal every ${describeInterval(config.retention.intervalMs)}`}`);
  }
  console.info(command.rulesFile === null ? 'note: no rules file (--rules-file): the default alert rules run, no notifications are sent' : `alert rules from ${command.rulesFile}; notifications: ${Object.keys(alerting.channels).join(', ') || 'none'}`);
  const collector = await startCollector({ ...config, alerting, ...(tls === undefined ? {} : { tls }) });
  console.info(`collector listening on ${collector.url} (storage: ${where})`);
  if (collector.metricsUrl !== undefined) console.info(`metrics at ${collector.metricsUrl}`);
  if (tls === undefined) console.info('note: plain HTTP; give --tls-key and --tls-cert outside a test setup');
  const stop = (signal: NodeJS.Signals) => {
    console.info(`collector: ${signal === 'SIGINT' ? 'Ctrl+C' : signal} received, stopping`);
    collector.close().then(
      () => {
        console.info('collector stopped');
        process.exit(0);
      },
      (error: unknown) => {
        console.error(`collector: stopped with an error: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

const argv = process.argv.slice(2);
if (isHelpRequest(argv)) {
  console.info(USAGE);
} else {
  let command: CollectorCommand;
  try {
    command = parseCollectorArgs(argv, process.env);
  } catch (error) {
    console.error(`collector: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    process.exit(2);
  }
  run(command).catch((error: unknown) => {
    console.error(`collector: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(error instanceof UsageError ? 2 : 1);
  });
}
