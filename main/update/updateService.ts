// Owns updating: asks the practice's feed (Cordon's signed manifest first), lets
// electron-updater download only what the signed manifest names, and lets it install a
// download (when Cordon quits) only after its SHA-512 and size match the signed ones.
// Until then electron-updater never installs (autoInstallOnAppQuit off) and never downgrades, and its own checks (the
// Windows publisher signature, the macOS code signature, latest.yml's hash) still run
// under ours. Electron's updater is passed in, narrowed to what is used.
import type { AuditSink } from '../../common/audit/auditSink';
import { downloadMatches, type UpdateContext, type UpdateManifest } from '../../common/update/updateDecision';
import { checkUpdateFeed, fileDigest, type FeedCheck, type FetchText } from './updateFeed';

/** The part of electron-updater's AppUpdater Cordon uses. */
export interface Updater {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  allowDowngrade: boolean;
  setFeedURL(options: { provider: 'generic'; url: string; channel?: string }): void;
  checkForUpdates(): Promise<unknown>;
  downloadUpdate(): Promise<unknown>;
  on(event: 'update-downloaded', listener: (info: { version: string; downloadedFile: string }) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

export type UpdateState =
  | { kind: 'idle' }
  | { kind: 'downloading'; version: string }
  /** Verified against the signed manifest: electron-updater installs it when Cordon quits. */
  | { kind: 'ready'; version: string }
  | { kind: 'refused'; reason: string };

export interface UpdateServiceOptions {
  updater: Updater;
  feedUrl: string;
  context: UpdateContext;
  fetchText: FetchText;
  audit: AuditSink;
  digest?: typeof fileDigest;
  onState?: (state: UpdateState) => void;
}

export class UpdateService {
  private state: UpdateState = { kind: 'idle' };
  private pending: UpdateManifest | null = null;

  constructor(private readonly options: UpdateServiceOptions) {
    const { updater } = options;
    updater.autoDownload = false;
    updater.autoInstallOnAppQuit = false;
    updater.allowDowngrade = false;
    updater.setFeedURL({ provider: 'generic', url: options.feedUrl, channel: options.context.channel === 'stable' ? 'latest' : options.context.channel });
    updater.on('update-downloaded', (info) => void this.downloaded(info));
    updater.on('error', (error) => this.refuse('updater-error', `the updater failed: ${error.message}`));
  }

  get current(): UpdateState {
    return this.state;
  }

  /** One check of the feed; downloads a release the signed manifest allows. */
  async checkNow(): Promise<FeedCheck> {
    const decision = await checkUpdateFeed(this.options.feedUrl, this.options.fetchText, this.options.context);
    if (decision.kind === 'refused') this.refuse(decision.reason, decision.detail);
    if (decision.kind !== 'install' || this.state.kind === 'ready') return decision;
    this.pending = decision.manifest;
    this.set({ kind: 'downloading', version: decision.manifest.version });
    this.options.audit.record({ type: 'update.available', outcome: 'success', reason: `${decision.manifest.version} signed by key ${decision.keyId}` });
    try {
      await this.options.updater.checkForUpdates();
      await this.options.updater.downloadUpdate();
    } catch (error) {
      this.refuse('updater-error', `the download failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    return decision;
  }

  private async downloaded(info: { version: string; downloadedFile: string }): Promise<void> {
    const manifest = this.pending;
    if (manifest === null || info.version !== manifest.version) {
      this.refuse('download-mismatch', `electron-updater downloaded ${info.version}, not the signed release ${manifest?.version ?? '(none)'}`);
      return;
    }
    let digest: { sha512: string; size: number };
    try {
      digest = await (this.options.digest ?? fileDigest)(info.downloadedFile);
    } catch (error) {
      this.refuse('download-mismatch', `the downloaded file cannot be read: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    if (!downloadMatches(manifest, digest)) {
      this.refuse('download-mismatch', `the downloaded file (${digest.size} bytes) is not one the signed manifest of ${manifest.version} lists`);
      return;
    }
    this.options.audit.record({ type: 'update.verified', outcome: 'success', reason: manifest.version });
    // Only now may electron-updater install, and only this download, when Cordon quits.
    this.options.updater.autoInstallOnAppQuit = true;
    this.set({ kind: 'ready', version: manifest.version });
  }

  private refuse(reason: string, detail: string): void {
    this.pending = null;
    this.options.updater.autoInstallOnAppQuit = false;
    this.options.audit.record({ type: 'update.refused', outcome: 'blocked', reason });
    this.set({ kind: 'refused', reason: detail });
  }

  private set(state: UpdateState): void {
    this.state = state;
    this.options.onState?.(state);
  }
}
