// Checks an evidence package offline, trusting nothing in it but the mathematics: the
// manifest's signature (and, given --key, that the practice's collector key made it),
// every file's hash, and per covered range that the events chain without a gap from the
// anchor to a checkpoint the device's own key signed; a prefix disposed under retention is
// reported as disposed once the collector key's signature over its anchor holds. Reports every problem it finds,
// each naming the file, device and event. Runs in the collector (verify-export) and,
// bundled by verifierScript.ts, alone under Node from the package folder.
import { createHash, type KeyObject } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import { firstChainBreak } from '../../common/audit/hashChain';
import { checkpointMessage } from '../../common/audit/syncProtocol';
import { sha256Link } from '../chainDigest';
import { collectorKeyIdOf, deviceIdOf, parseDevicePublicKey, verifyDeviceSignature } from '../deviceIdentity';
import { deviceChain, retentionAnchorMessage } from '../retention/anchorMessage';
import { describeIssues } from '../validationMessage';
import { EVIDENCE_FILES, evidenceCheckpointsSchema, evidenceDevicesSchema, evidenceEventSchema, evidenceManifestSchema, type EvidenceEvent, type EvidenceManifest } from './evidenceFormat';

export interface VerificationReport {
  /** What is proven: one line per covered range. */
  coverage: string[];
  /** Everything wrong; empty when the package verifies. */
  problems: string[];
  /** The key id that signed the manifest, when the signature holds. */
  signedBy: string | null;
  /** Whether the signer is the key the caller trusts (null: the caller named none). */
  keyConfirmed: boolean | null;
}

export const VERIFY_EXIT = { verified: 0, rejected: 1, usage: 2, unreadable: 3, unconfirmedKey: 4 } as const;

class Unreadable extends Error {}

async function readText(dir: string, name: string): Promise<string> {
  try {
    return await readFile(path.join(dir, name), 'utf8');
  } catch (error) {
    throw new Unreadable(`${name} cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

function parseJson<S extends z.ZodType>(name: string, text: string, schema: S, problems: string[]): z.output<S> | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    problems.push(`${name} is not JSON`);
    return null;
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) problems.push(`${name} is not in the package's format: ${describeIssues(parsed.error, 'messages')}`);
  return parsed.success ? parsed.data : null;
}

/** The trusted key: a 16-hex-digit key id, or a PEM file of the collector's public key. */
async function trustedKeyId(trusted: string): Promise<string> {
  if (/^[0-9a-f]{16}$/i.test(trusted)) return trusted.toLowerCase();
  const key = parseDevicePublicKey(await readFile(trusted, 'utf8').catch(() => ''));
  if (key === null) throw new Unreadable(`--key ${trusted} is neither a 16-hex-digit collector key id nor a readable Ed25519 public key (PEM)`);
  return collectorKeyIdOf(key);
}

function checkFiles(manifest: EvidenceManifest, present: ReadonlySet<string>, contents: ReadonlyMap<string, Buffer>, problems: string[]): void {
  for (const file of manifest.files) {
    const bytes = contents.get(file.name);
    if (bytes === undefined) problems.push(`${file.name} is listed in the manifest but missing from the package`);
    else if (createHash('sha256').update(bytes).digest('hex') !== file.sha256) problems.push(`${file.name} was changed after the package was made (its SHA-256 differs from the manifest's)`);
  }
  const listed = new Set([EVIDENCE_FILES.manifest, EVIDENCE_FILES.signature, ...manifest.files.map((f) => f.name)]);
  for (const name of present) if (!listed.has(name)) problems.push(`${name} is not part of the package (the manifest does not list it)`);
}

function parseEvents(text: string, problems: string[]): EvidenceEvent[] {
  const events: EvidenceEvent[] = [];
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((line, i) => {
    const event = parseJson(`${EVIDENCE_FILES.events} line ${i + 1}`, line, evidenceEventSchema, problems);
    if (event === null) return;
    const previous = events.at(-1);
    if (previous !== undefined && (event.deviceId < previous.deviceId || (event.deviceId === previous.deviceId && event.seq <= previous.seq))) {
      problems.push(`${EVIDENCE_FILES.events} line ${i + 1}: event ${event.seq} of device ${event.deviceId} comes after event ${previous.seq} of device ${previous.deviceId} (events were reordered)`);
    }
    events.push(event);
  });
  return events;
}

/** A disposed prefix is reported as disposed (by its signed record), never as missing: once the collector key's signature over its anchor holds. */
function checkDisposed(device: EvidenceManifest['devices'][number], who: string, collectorKey: KeyObject | null, problems: string[], coverage: string[]): void {
  const { disposed } = device;
  if (disposed === undefined) return;
  if (collectorKey === null || !verifyDeviceSignature(collectorKey, retentionAnchorMessage(deviceChain(device.deviceId), disposed.through, disposed.link), disposed.signature)) {
    problems.push(`${who}: the statement that events 1..${disposed.through} were disposed is not signed by the collector key`);
    return;
  }
  coverage.push(`${who}: events 1..${disposed.through} were disposed under the practice's retention policy (disposal record ${disposed.record}, ${disposed.at}); the events kept after them chain from the collector-signed link of event ${disposed.through}`);
  for (const range of device.ranges) {
    const label = `${who}, events ${range.from}..${range.to}`;
    if (range.from <= disposed.through) problems.push(`${label}: events up to ${disposed.through} were disposed, yet the range claims some of them`);
    else if (range.anchor?.seq === disposed.through && range.anchor.link !== disposed.link) problems.push(`${label}: the anchor is not the signed link of disposed event ${disposed.through}`);
  }
}

function checkDevice(
  device: EvidenceManifest['devices'][number],
  keys: { device: KeyObject | null; collector: KeyObject | null },
  events: readonly EvidenceEvent[],
  checkpoints: ReadonlyMap<number, { link: string; signature: string }>,
  problems: string[],
  coverage: string[],
): void {
  const who = `device ${device.deviceName} (${device.deviceId})`;
  const key = keys.device;
  if (key === null) problems.push(`${EVIDENCE_FILES.devices} has no valid Ed25519 public key for ${who}`);
  else if (deviceIdOf(key) !== device.deviceId) problems.push(`${EVIDENCE_FILES.devices}: the public key given for ${who} is another device's (its id would be ${deviceIdOf(key)})`);
  checkDisposed(device, who, keys.collector, problems, coverage);
  const claimed = new Set<number>();
  for (const range of device.ranges) {
    const label = `${who}, events ${range.from}..${range.to}`;
    const before = problems.length;
    const inRange = events.filter((e) => e.seq >= range.from && e.seq <= range.to);
    for (const e of inRange) claimed.add(e.seq);
    const selected = new Set(range.selected.flatMap(([a, b]) => Array.from({ length: b - a + 1 }, (_, i) => a + i)));
    for (const seq of selected) if (!inRange.some((e) => e.seq === seq && e.selected)) problems.push(`${label}: selected event ${seq} is listed in the manifest but missing from ${EVIDENCE_FILES.events}`);
    for (const e of inRange) if (e.selected && !selected.has(e.seq)) problems.push(`${label}: ${EVIDENCE_FILES.events} marks event ${e.seq} as selected, but the manifest does not`);
    if (range.anchor === null || range.anchor.seq !== range.from - 1) {
      problems.push(`${label}: no anchor (the link of event ${range.from - 1}), so the range cannot be chained`);
      continue;
    }
    const broken = firstChainBreak(sha256Link, range.anchor, inRange);
    if (broken !== null) {
      problems.push(`${label}: ${broken.detail.replace(/entry/g, 'event')}`);
      continue;
    }
    const last = inRange.at(-1);
    if (last?.seq !== range.to) {
      problems.push(`${label}: the events stop at ${last?.seq ?? range.from - 1}; events ${(last?.seq ?? range.from - 1) + 1}..${range.to} are missing`);
      continue;
    }
    const checkpoint = range.checkpointSeq === null ? undefined : checkpoints.get(range.checkpointSeq);
    if (range.checkpointSeq === null) problems.push(`${label}: no checkpoint signed by the device covers these events (they were stored before the collector kept checkpoints), so they are not proven authentic`);
    else if (range.checkpointSeq !== range.to || checkpoint === undefined) problems.push(`${label}: ${EVIDENCE_FILES.checkpoints} has no checkpoint of this device at event ${range.to}`);
    else if (checkpoint.link !== last.link) problems.push(`${label}: the checkpoint at event ${range.to} signs another chain link than the events lead to (the checkpoint was swapped or the events were changed)`);
    else if (key !== null && !verifyDeviceSignature(key, checkpointMessage(range.to, checkpoint.link), checkpoint.signature)) problems.push(`${label}: the checkpoint at event ${range.to} is not signed by this device's key`);
    if (problems.length === before) {
      const from = range.anchor.seq === device.disposed?.through ? `the disposal anchor at event ${range.anchor.seq}` : `event ${range.anchor.seq}`;
      coverage.push(`${who}: events ${range.from}..${range.to} are complete and authentic (chained from ${from} to the device's signed checkpoint at ${range.to}; ${selected.size} of them selected)`);
    }
  }
  for (const e of events) if (!claimed.has(e.seq)) problems.push(`${EVIDENCE_FILES.events}: event ${e.seq} of ${who} lies outside every covered range in the manifest`);
}

export async function verifyEvidencePackage(dir: string, options: { trustedKey?: string } = {}): Promise<VerificationReport> {
  const report: VerificationReport = { coverage: [], problems: [], signedBy: null, keyConfirmed: null };
  const { problems } = report;
  const names = new Set(await readdir(dir).catch((error: NodeJS.ErrnoException) => Promise.reject(new Unreadable(`the folder ${dir} cannot be read: ${error.code ?? error.message}`))));
  const trusted = options.trustedKey === undefined ? null : await trustedKeyId(options.trustedKey);

  const manifestText = await readText(dir, EVIDENCE_FILES.manifest);
  const collectorKey = parseDevicePublicKey(await readText(dir, EVIDENCE_FILES.collectorKey));
  const signature = (await readText(dir, EVIDENCE_FILES.signature)).trim();
  if (collectorKey === null) problems.push(`${EVIDENCE_FILES.collectorKey} is not an Ed25519 public key`);
  else if (!verifyDeviceSignature(collectorKey, manifestText, signature)) problems.push(`${EVIDENCE_FILES.signature} is not a signature of ${EVIDENCE_FILES.manifest} by the key in ${EVIDENCE_FILES.collectorKey} (the manifest was changed or signed by another key)`);
  else {
    report.signedBy = collectorKeyIdOf(collectorKey);
    if (trusted !== null) report.keyConfirmed = trusted === report.signedBy;
    if (report.keyConfirmed === false) problems.push(`the manifest is signed by collector key ${report.signedBy}, not by the practice's collector key ${trusted} that you trust`);
  }
  const manifest = parseJson(EVIDENCE_FILES.manifest, manifestText, evidenceManifestSchema, problems);
  if (manifest === null) return report;
  if (report.signedBy !== null && manifest.collectorKeyId !== report.signedBy) problems.push(`${EVIDENCE_FILES.manifest} names collector key ${manifest.collectorKeyId}, but ${report.signedBy} signed it`);

  const contents = new Map<string, Buffer>();
  for (const file of manifest.files) if (names.has(file.name)) contents.set(file.name, await readFile(path.join(dir, file.name)));
  checkFiles(manifest, names, contents, problems);

  const text = (name: string) => contents.get(name)?.toString('utf8') ?? '';
  const devices = parseJson(EVIDENCE_FILES.devices, text(EVIDENCE_FILES.devices), evidenceDevicesSchema, problems) ?? [];
  const checkpoints = parseJson(EVIDENCE_FILES.checkpoints, text(EVIDENCE_FILES.checkpoints), evidenceCheckpointsSchema, problems) ?? [];
  const events = parseEvents(text(EVIDENCE_FILES.events), problems);

  const listed = new Set(manifest.devices.map((d) => d.deviceId));
  for (const e of events) if (!listed.has(e.deviceId)) problems.push(`${EVIDENCE_FILES.events}: event ${e.seq} of device ${e.deviceId}, which the manifest does not list`);
  for (const device of manifest.devices) {
    const pem = devices.find((d) => d.deviceId === device.deviceId)?.publicKeyPem;
    const own = new Map(checkpoints.filter((c) => c.deviceId === device.deviceId).map((c) => [c.seq, c]));
    checkDevice(device, { device: pem === undefined ? null : parseDevicePublicKey(pem), collector: collectorKey }, events.filter((e) => e.deviceId === device.deviceId), own, problems, report.coverage);
  }
  const selectedCount = events.filter((e) => e.selected).length;
  if (selectedCount !== manifest.selection.events) problems.push(`the manifest says the selection has ${manifest.selection.events} events, but ${EVIDENCE_FILES.events} marks ${selectedCount} as selected`);
  return report;
}

/** The report as lines for a terminal, and the exit code (VERIFY_EXIT). */
export function describeVerification(report: VerificationReport): { exitCode: number; lines: string[] } {
  if (report.problems.length > 0) {
    return { exitCode: VERIFY_EXIT.rejected, lines: [`REJECTED: ${report.problems.length} problem${report.problems.length === 1 ? '' : 's'} in this evidence package:`, ...report.problems.map((p) => `  - ${p}`)] };
  }
  const lines = ['VERIFIED: every selected event is authentic and nothing inside each covered range is missing.', ...report.coverage.map((c) => `  - ${c}`)];
  if (report.keyConfirmed === true) return { exitCode: VERIFY_EXIT.verified, lines: [...lines, `The manifest is signed by the practice's collector key ${report.signedBy ?? ''}, as you expected.`] };
  return {
    exitCode: VERIFY_EXIT.unconfirmedKey,
    lines: [...lines, `NOT CONFIRMED who made it: the manifest is signed by collector key ${report.signedBy ?? ''}. Anyone can sign a package with a key of their own: run again with --key <the practice's collector key id> to confirm.`],
  };
}

/** Verifies and describes; a folder or --key that cannot be read is exit code 3, not a crash. */
export async function verifyAndDescribe(dir: string, options: { trustedKey?: string } = {}): Promise<{ exitCode: number; lines: string[] }> {
  try {
    return describeVerification(await verifyEvidencePackage(dir, options));
  } catch (error) {
    if (error instanceof Unreadable) return { exitCode: VERIFY_EXIT.unreadable, lines: [`cannot verify: ${error.message}`] };
    throw error;
  }
}
