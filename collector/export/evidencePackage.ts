// Builds the verifiable evidence package of a selection. Per device, the selected events
// are grouped into covered ranges: each runs from a selected event through its run of
// consecutive selected events to the first signed checkpoint at or after the run, and carries every event in between (the chain needs their
// bodies), the link before it as its anchor (the collector-signed disposal anchor when the
// event before was disposed under retention), and that checkpoint. The manifest lists the
// ranges, the selection and every file's hash, and is signed by the collector's key.
import { createHash, sign } from 'node:crypto';
import type { Kysely } from 'kysely';
import { GENESIS_LINK_HEX } from '../../common/audit/syncProtocol';
import { canonicalJson } from '../../common/policy/canonicalJson';
import type { CollectorKey } from '../console/accessLog';
import type { CollectorDatabase } from '../database';
import { deviceChain } from '../retention/anchorMessage';
import { readAnchor } from '../retention/retentionAnchors';
import { EVIDENCE_FILES, EVIDENCE_FORMAT, toRuns, type CoveredRange, type DisposedPrefix, type EvidenceEvent, type EvidenceManifest } from './evidenceFormat';
import type { ExportSelection } from './exportSelection';
import { standaloneVerifierScript } from './verifierScript';

export type EvidenceFiles = Map<string, Uint8Array>;

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const utf8 = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));

interface DeviceEvidence {
  ranges: CoveredRange[];
  /** Where the device's kept chain starts when older events were disposed. */
  disposed: DisposedPrefix | null;
  events: EvidenceEvent[];
  checkpoints: { seq: number; link: string; signature: string }[];
}

async function deviceEvidence(db: Kysely<CollectorDatabase>, deviceId: string, selectedSeqs: readonly number[]): Promise<DeviceEvidence> {
  const selected = new Set(selectedSeqs);
  const retained = await readAnchor(db, deviceChain(deviceId));
  const disposed = retained === null ? null : { through: retained.seq, link: retained.link, at: new Date(retained.disposedAt).toISOString(), record: retained.recordSeq, signature: retained.signature };
  const result: DeviceEvidence = { ranges: [], disposed, events: [], checkpoints: [] };
  let i = 0;
  while (i < selectedSeqs.length) {
    const from = selectedSeqs[i] as number;
    // A run of consecutive selected events shares one range, ended by the first checkpoint after the run.
    let runEnd = i;
    while (selectedSeqs[runEnd + 1] === (selectedSeqs[runEnd] as number) + 1) runEnd += 1;
    const checkpoint = await db.selectFrom('checkpoints').select(['seq', 'link', 'signature']).where('device_id', '=', deviceId).where('seq', '>=', selectedSeqs[runEnd] as number).orderBy('seq').limit(1).executeTakeFirst();
    // Without a checkpoint the rest stays one range the verifier will call unproven, not a silent gap.
    const to = checkpoint?.seq ?? (selectedSeqs.at(-1) as number);
    const inRange = selectedSeqs.slice(i).filter((s) => s <= to);
    i += inRange.length;
    const stored = from === 1 ? { seq: 0, link: GENESIS_LINK_HEX } : await db.selectFrom('events').select(['seq', 'link']).where('device_id', '=', deviceId).where('seq', '=', from - 1).executeTakeFirst();
    // The first kept event chains from the signed disposal anchor.
    const anchor = stored ?? (disposed?.through === from - 1 ? { seq: disposed.through, link: disposed.link } : undefined);
    const rows = await db.selectFrom('events').select(['seq', 'link', 'body']).where('device_id', '=', deviceId).where('seq', '>=', from).where('seq', '<=', to).orderBy('seq').execute();
    result.events.push(...rows.map((r) => ({ deviceId, seq: r.seq, link: r.link, body: r.body, selected: selected.has(r.seq) })));
    result.ranges.push({ from, to, anchor: anchor === undefined ? null : { seq: anchor.seq, link: anchor.link }, checkpointSeq: checkpoint?.seq ?? null, selected: toRuns(inRange) });
    if (checkpoint !== undefined) result.checkpoints.push(checkpoint);
  }
  return result;
}

const README = `Cordon evidence package
=======================

What it holds: the audit events an export selected (events.jsonl, "selected": true),
every other event needed to carry each device's hash chain to a checkpoint the device
signed (checkpoints.json), the devices' public keys (devices.json), and manifest.json,
which lists the covered ranges and every file's SHA-256, signed by the practice's
collector key (manifest.sig, collector-key.pem).

To verify it, with Node.js 22 or later and nothing else, in this folder:

    node verify-evidence.mjs --key <the collector key id the practice gave you>

It says, per device, which range of events is complete and authentic, and exits 0.
Where the practice disposed of a device's oldest events under its retention policy, it
says which (events 1 to N) and by which disposal record; the kept events are verified
from the collector-signed link of event N.
Any edited, removed, reordered or added event, swapped checkpoint, changed file, or a
manifest signed by another key is reported precisely, with exit code 1. Without --key it
checks everything but cannot tell who signed the manifest (exit code 4): anyone can sign
a package with a key of their own, so confirm the key id with the practice separately.
`;

/** The package's files; `filters` is what the console or command line selected with, for the manifest. */
export async function buildEvidencePackage(
  db: Kysely<CollectorDatabase>,
  selection: ExportSelection,
  context: { key: CollectorKey; createdBy: string; now: number },
): Promise<{ files: EvidenceFiles; manifestSha256: string }> {
  const byDevice = new Map<string, number[]>();
  for (const e of selection.events) byDevice.set(e.deviceId, [...(byDevice.get(e.deviceId) ?? []), e.seq]);
  const manifestDevices: EvidenceManifest['devices'] = [];
  const events: EvidenceEvent[] = [];
  const checkpoints: { deviceId: string; seq: number; link: string; signature: string }[] = [];
  for (const device of selection.devices) {
    const evidence = await deviceEvidence(db, device.deviceId, byDevice.get(device.deviceId) ?? []);
    manifestDevices.push({ deviceId: device.deviceId, deviceName: device.deviceName, ranges: evidence.ranges, ...(evidence.disposed === null ? {} : { disposed: evidence.disposed }) });
    events.push(...evidence.events);
    checkpoints.push(...evidence.checkpoints.map((c) => ({ deviceId: device.deviceId, ...c })));
  }

  const files: EvidenceFiles = new Map([
    [EVIDENCE_FILES.events, utf8(events.map((e) => `${canonicalJson(e)}\n`).join(''))],
    [EVIDENCE_FILES.devices, utf8(`${JSON.stringify(selection.devices.map((d) => ({ deviceId: d.deviceId, deviceName: d.deviceName, publicKeyPem: d.publicKeyPem })), null, 2)}\n`)],
    [EVIDENCE_FILES.checkpoints, utf8(`${JSON.stringify(checkpoints, null, 2)}\n`)],
    [EVIDENCE_FILES.collectorKey, utf8(context.key.publicKey.export({ type: 'spki', format: 'pem' }).toString())],
    [EVIDENCE_FILES.verifier, utf8(await standaloneVerifierScript())],
    [EVIDENCE_FILES.readme, utf8(README)],
  ]);
  const filters = Object.fromEntries(Object.entries(selection.filters).filter(([, v]) => v !== undefined)) as Record<string, string | boolean>;
  const manifest: EvidenceManifest = {
    format: EVIDENCE_FORMAT,
    createdAt: new Date(context.now).toISOString(),
    createdBy: context.createdBy,
    collectorKeyId: context.key.keyId,
    selection: { filters, sessions: selection.sessions, events: selection.events.length },
    devices: manifestDevices,
    files: [...files].map(([name, bytes]) => ({ name, sha256: sha256(bytes) })),
  };
  const manifestBytes = utf8(`${JSON.stringify(manifest, null, 2)}\n`);
  files.set(EVIDENCE_FILES.manifest, manifestBytes);
  files.set(EVIDENCE_FILES.signature, utf8(`${sign(null, manifestBytes, context.key.privateKey).toString('base64url')}\n`));
  return { files, manifestSha256: sha256(manifestBytes) };
}
