// Cordon's main process: the composition root. It creates each piece and connects them,
// in the order Electron needs; every decision lives in a module that takes its Electron
// objects as parameters and is unit-tested under Node. Who owns what:
// - whether this start may run at all: main/launch (before anything else)
// - what the shell shows and why Cordon is locked: main/workspace/workspaceState.ts
// - hiding practice data (locks, sign-out, capture tools): main/workspace/hidePracticeData.ts
// - hosted apps and their sessions: main/hosting; sign-in: main/auth; audit: main/audit
import { hostname } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, Menu, powerMonitor, protocol, safeStorage, session, shell, webContents, WebContentsView } from 'electron';
import { COLLECTOR_AUDIENCE } from '../common/audit/collectorAudience';
import type { Identity } from '../common/auth/identity';
import { decideCapture } from '../common/capture/captureProtection';
import type { GuardWatermark } from '../common/hosting/guardProtocol';
import type { Policy } from '../common/policy/policySchema';
import type { PolicyResult } from '../common/policy/signedPolicy';
import { enforceMinimumVersion } from '../common/update/updateDecision';
import { assessPosture, type ProtectionId } from '../common/posture/posture';
import { idleConfigFromPolicy } from '../common/session/idleMachine';
import { enrollmentStepFor } from '../common/ui/enrollmentStep';
import { workspaceInfobar } from '../common/ui/shellLayout';
import { COPIED_INSIDE_NOTICE } from '../common/ui/notices';
import { classifyQueueError } from './audit/auditQueue';
import { startAuditSync, type AuditSync } from './audit/auditSync';
import { CollectorClient } from './audit/collectorClient';
import { deviceIdOf } from './audit/deviceKey';
import { AUDIT_SYNC_PARTITION, electronSyncTransport } from './audit/electronSyncTransport';
import { openDeviceAudit } from './audit/openDeviceAudit';
import { QueueAuditSink } from './audit/queueAuditSink';
import { createSignIn } from './auth/createSignIn';
import { PRACTICE_PARTITION } from './auth/workspaceSignIn';
import { processListerFor } from './capture/processLister';
import { BlockedProcessWatch, PROCESS_CHECK_MS } from './capture/processWatch';
import { protectEveryWindow } from './capture/windowProtection';
import { UserGestures } from './clipboard/userGestures';
import { WorkspaceClipboard } from './clipboard/workspaceClipboard';
import { registerWorkspaceClipboard } from './hosting/guardClipboard';
import { createGuardReports, frameReporter, REPORT_WINDOW_MS } from './hosting/guardReports';
import { AgreementDocuments } from './gates/agreementDocuments';
import { AgreementGate } from './gates/agreementGate';
import { AccessWatch } from './gates/accessWatch';
import { askAccessStatus } from './gates/accessStatus';
import { endAccess } from './gates/endAccess';
import { TrainingGate } from './gates/trainingGate';
import { collectorKeyFrom } from './gates/collectorAnswers';
import { askTrainingStatus } from './gates/trainingStatus';
import { registerGuardWatermark } from './hosting/guardWatermark';
import { HostedApps } from './hosting/hostedApps';
import { WorkspaceLayout } from './hosting/workspaceLayout';
import { registerIpcHandlers } from './ipc/ipcServer';
import { decideLaunch, userArguments } from './launch/launchGuard';
import { refuseLaunch } from './launch/refuseLaunch';
import { markerPath, takeRefusedLaunchMarker } from './launch/refusedLaunchMarker';
import { mainLog } from './logging/mainLog';
import { applyHostResolverRules } from './network/networkAllowlist';
import { createPolicyVerifier } from './policy/policyKeys';
import { startUpdates, UPDATE_CHECK_PARTITION } from './update/startUpdates';
import { policySources } from './policy/policyLocations';
import { loadPolicy } from './policy/policyLoader';
import { IdleLock } from './session/idleLock';
import { IDLE_TICK_MS, idleTick, watchInput, watchPowerMonitor } from './session/idleSources';
import { DevicePosture } from './posture/devicePosture';
import { deviceProbesFor, systemProbeDeps } from './posture/deviceProbes';
import { shellFocuser } from './session/warningFocus';
import { minimalMenuTemplate } from './shell/appMenu';
import { refuseCertificateErrors } from './shell/certificateErrors';
import { handleClientCertificates } from './shell/clientCertificates';
import { NavigationRules } from './shell/navigationRules';
import { hardenShellSession } from './shell/sessionHardening';
import { createShellHandlers } from './shell/shellHandlers';
import { registerShellScheme, serveShell } from './shell/shellProtocol';
import { pushShellState } from './shell/shellPush';
import { createShellWindow } from './shell/shellWindow';
import { hardenWebContents } from './shell/webContentsHardening';
import { BlockAggregator } from './throttle/blockAggregator';
import { SessionWatermark } from './watermark/sessionWatermark';
import { hidePracticeData, windowsBesides } from './workspace/hidePracticeData';
import { WorkspaceState } from './workspace/workspaceState';

const build = __CORDON_BUILD_KIND__;
const allowDevTools = build === 'development';
const here = path.dirname(fileURLToPath(import.meta.url));

/** Protections this build installs; the posture panel reports nothing beyond these. */
const INSTALLED: ReadonlySet<ProtectionId> = new Set([
  'process-sandbox',
  'context-isolation',
  'signed-policy',
  'mfa-sign-in',
  'devtools-blocked',
  'navigation-allowlist',
  'request-allowlist',
  'https-only',
  'permissions-denied',
  'downloads-blocked',
  'printing-blocked',
  'clipboard-contained',
  'watermark',
  'screen-capture-blocked',
  'idle-lock',
]);

// Before anything else: a production start carrying unsafe switches, arguments or
// environment variables (main/launch/launchGuard.ts lists them) never runs.
const launch = decideLaunch({ build, platform: process.platform, args: userArguments(process.argv, process.defaultApp), env: process.env });
const launchMarker = markerPath(app.getPath('appData'), app.name);
if (!launch.ok) refuseLaunch(launch.refused, { app, dialog, markerFile: launchMarker, now: () => new Date() });
else startCordon();

// Crash reports: Electron's crashReporter is never started. Until start() runs, no
// Crashpad handler exists, so nothing is dumped or uploaded (a renderer's dump would
// hold PHI); even uploadToServer: false keeps dumps on disk. The OS's own crash
// reporting (Windows Error Reporting, macOS ReportCrash, Linux core dumps) is IT's to set.
function startCordon(): void {
  // Must precede 'ready': sandbox every renderer, and give cordon:// a secure origin.
  app.enableSandbox();
  registerShellScheme(protocol);
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  const early = beforeReady();
  void app.whenReady().then(() => whenReady(early));
}

/** Pieces created after 'ready' that handlers installed before it need to reach. */
interface Late {
  shellWindow: BrowserWindow | null;
  idle: IdleLock | null;
  state: WorkspaceState | null;
}

/** What must be in place before 'ready': the audit sink, every webContents' hardening, certificate handling, the policy load. */
function beforeReady() {
  const late: Late = { shellWindow: null, idle: null, state: null };
  const log = mainLog();
  // Fail closed: if the encrypted audit queue cannot record, the state locks and hides everything.
  const audit = new QueueAuditSink((error) => {
    log.error(`Cordon locked: audit queue ${error.code}: ${error.message}`);
    late.state?.publish();
  });
  // Pages can trigger blocks in a loop: each (app, type, origin, reason) is audited once
  // per window, repeats summarised with a count.
  const blocks = new BlockAggregator(audit);
  // Main's own record of key presses and clicks, which workspace-clipboard writes need.
  const gestures = new UserGestures();
  // A start refused earlier could not audit itself; this one does.
  const refusedLaunch = takeRefusedLaunchMarker(launchMarker);
  if (refusedLaunch !== null) audit.record(refusedLaunch.event);
  const navigation = new NavigationRules();

  app.on('web-contents-created', (_event, contents) => {
    hardenWebContents(contents, { allowDevTools, audit: blocks, navigation });
    gestures.watch(contents);
    // Input in any Cordon page (shell, hosted app, popup) is the VA's activity.
    watchInput(contents, () => late.idle?.activity('input'));
  });
  refuseCertificateErrors(app, audit);
  // No client certificate leaves before the policy names one (default: never).
  let clientCertificates: Policy['clientCertificates']['allow'] = [];
  handleClientCertificates(app, () => clientCertificates, audit);
  app.on('second-instance', () => {
    const { shellWindow } = late;
    if (shellWindow === null) return;
    if (shellWindow.isMinimized()) shellWindow.restore();
    shellWindow.focus();
  });
  app.on('window-all-closed', () => app.quit());

  // Read before 'ready': the resolver allowlist is a Chromium switch that counts only then.
  const policy = loadPolicy({
    sources: policySources(build, process.platform, process.env, { isPackaged: app.isPackaged, resourcesPath: process.resourcesPath, appPath: app.getAppPath() }),
    verifier: createPolicyVerifier(__CORDON_POLICY_KEYS__),
    build,
  });
  if (policy.ok) {
    clientCertificates = policy.policy.clientCertificates.allow;
    // Host names outside the policy never resolve (DNS itself can carry data in a name).
    if (applyHostResolverRules(app, policy.policy) === 'too-late') log.error('Cordon: the resolver allowlist was not applied (the app was already ready)');
  }
  return { late, audit, blocks, gestures, navigation, policy, refusedLaunch };
}

type Early = ReturnType<typeof beforeReady>;

async function whenReady({ late, audit, blocks, gestures, navigation, policy: policyLoad, refusedLaunch }: Early): Promise<void> {
  const template = minimalMenuTemplate(process.platform, app.name);
  Menu.setApplicationMenu(template === null ? null : Menu.buildFromTemplate(template));
  hardenShellSession(session.defaultSession, { allowDevTools, audit });
  serveShell(protocol, path.join(here, '../renderer'));
  // The OS keychain (safeStorage) is usable only once the app is ready.
  let device: ReturnType<typeof openDeviceAudit> | null = null;
  try {
    device = openDeviceAudit(app.getPath('userData'), safeStorage, process.platform);
    audit.attach(device.queue);
  } catch (error) {
    audit.fail(classifyQueueError(error));
  }

  // A build older than the policy's minimum runs locked, saying to update.
  const policy: PolicyResult = enforceMinimumVersion(policyLoad, app.getVersion());
  // The effective policy at every start: which one, which serial, and its exact bytes' hash.
  if (policy.ok) audit.record({ type: 'policy.loaded', outcome: 'success', reason: `${policy.policy.policyId}#${policy.policy.serial} sha256:${policyLoad.sha256 ?? ''}` });
  else audit.record({ type: 'policy.refused', outcome: 'failure', reason: policy.problem.code });
  for (const ignored of policyLoad.ignored) audit.record({ type: 'policy.ignored', outcome: 'blocked', reason: ignored.code });
  // Updates run even under a minimum-version lock: they are the way out of it.
  if (policyLoad.ok) {
    startUpdates({
      updates: policyLoad.policy.updates,
      appVersion: app.getVersion(),
      userDataDir: app.getPath('userData'),
      verifier: createPolicyVerifier(__CORDON_POLICY_KEYS__),
      fetchText: async (url) => {
        const response = await session.fromPartition(UPDATE_CHECK_PARTITION).fetch(url, { credentials: 'omit', redirect: 'error' });
        return { status: response.status, text: await response.text() };
      },
      loadUpdater: async () => (await import('electron-updater')).autoUpdater,
      audit,
    }).catch((error: unknown) => mainLog().error(`Cordon: updates could not start: ${error instanceof Error ? error.message : String(error)}`));
  }
  // Fail closed: without a trusted policy, protect as if it were required.
  const capture = decideCapture(process.platform, policy.ok ? policy.policy.screenCapture.protection : 'required');
  if (capture.protectWindows) protectEveryWindow(app);
  const trusted = policy.ok ? policy.policy : null;

  // Hosting: nothing is hosted without a trusted policy; with one, every hosted session
  // is hardened by HostedApps, the practice session up front, before anything can use it.
  const clipboard = trusted === null ? null : new WorkspaceClipboard(trusted.clipboard.workspaceTtlSeconds * 1000);
  const sessionWatermark = trusted === null ? null : new SessionWatermark(trusted, hostname());
  // Read late: sign-in is built after hosting, which it needs.
  const signedIn = (): Identity | null => auth?.identity ?? null;
  // The guard's reports, from hosted frames (ipcMain) and service workers (their own ipc).
  const guardReports = createGuardReports(blocks);
  const hosting =
    trusted === null || clipboard === null
      ? null
      : new HostedApps({
          policy: trusted,
          navigation,
          audit: blocks,
          allowDevTools,
          guardPreloadPath: path.join(here, '../preload/hostedGuard.cjs'),
          serviceWorkerGuardPath: path.join(here, '../preload/serviceWorkerGuard.cjs'),
          reports: guardReports,
          clipboard,
          watermark: (): GuardWatermark | null => sessionWatermark?.watermarkFor(signedIn()) ?? null,
          electron: { WebContentsView, sessionFor: (partition) => session.fromPartition(partition) },
          onSignedOut: (appId, signedOut) => late.state?.appSignedOut(appId, signedOut),
        });
  hosting?.session(PRACTICE_PARTITION);

  // Sign-in.
  const auth =
    trusted === null || hosting === null
      ? null
      : createSignIn(trusted, { BrowserWindow, shell, safeStorage, userDataDir: app.getPath('userData'), platform: process.platform }, { navigation, audit, parent: () => late.shellWindow, allowDevTools, hosting });
  void auth?.revokeLeftover();
  audit.setContext(() => {
    const identity = signedIn();
    return identity === null || sessionWatermark === null ? null : { subject: identity.subject, session: sessionWatermark.codeFor(identity) };
  });

  // Hiding practice data: hosted views detached, the workspace clipboard wiped, every
  // other Cordon window (hosted popups) destroyed, which no page can cancel.
  let layout: WorkspaceLayout | null = null;
  const hideEverything = () =>
    hidePracticeData({
      detachViews: () => layout?.hideAll(),
      wipeClipboard: () => clipboard?.wipe(),
      otherWindows: () => windowsBesides(BrowserWindow.getAllWindows(), late.shellWindow),
    });

  // Capture tools and the idle lock, each hiding everything when they act.
  const blockedProcesses = trusted?.screenCapture.blockedProcesses ?? [];
  const processWatch = blockedProcesses.length === 0 ? null : new BlockedProcessWatch({ blocked: blockedProcesses, lister: processListerFor(process.platform, process.env), audit, hideAll: hideEverything });
  if (processWatch !== null) {
    void processWatch.check();
    setInterval(() => void processWatch.check(), PROCESS_CHECK_MS);
  }
  const idle =
    trusted === null || auth === null
      ? null
      : new IdleLock({
          config: idleConfigFromPolicy(trusted.session),
          auth,
          audit,
          hideAll: hideEverything,
          signOut: () => auth.signOut(),
          focusShell: shellFocuser(() => webContents.getFocusedWebContents(), () => late.shellWindow?.webContents ?? null),
        });
  late.idle = idle;
  if (idle !== null) watchPowerMonitor(powerMonitor, idle);

  // Device posture: the policy's checks at start, at each sign-in and hourly (on the tick);
  // a required check not passing keeps the hosted apps closed.
  const devicePosture =
    trusted === null
      ? null
      : new DevicePosture({
          policy: trusted.devicePosture,
          platform: process.platform,
          probes: deviceProbesFor(process.platform, systemProbeDeps(process.platform, process.env)),
          audit,
          now: Date.now,
          onChange: () => late.state?.publish(),
          notify: (text) => late.state?.notify(text),
        });

  // Agreements: each VA reads and accepts the policy's documents before any hosted app
  // opens; a URL document comes through its app's session, and acceptances are kept in
  // the encrypted device storage (none readable without it: every agreement stays due).
  const agreements =
    trusted === null || hosting === null
      ? null
      : new AgreementGate({
          documents: new AgreementDocuments({ agreements: trusted.agreements, fetch: (url, limits) => hosting.fetchApproved(url, limits), audit, onChange: () => late.state?.publish() }),
          store: device?.agreements ?? null,
          audit,
          identity: signedIn,
          now: Date.now,
          onChange: () => late.state?.publish(),
        });

  // Training: the policy's courses, judged by the collector's answer about this VA (asked
  // at sign-in and every 15 minutes on the sync's own session, believed only when signed
  // by the collector key the policy names), the last one kept in the encrypted device storage.
  // Collector traffic only with a working queue: without one Cordon is locked, and asks nothing.
  const collectorTransport = trusted === null || device === null || audit.failure !== null ? null : electronSyncTransport(session.fromPartition(AUDIT_SYNC_PARTITION));
  const collectorKey = trusted?.audit.collectorPublicKey === undefined ? null : collectorKeyFrom(trusted.audit.collectorPublicKey);
  const deviceId = device === null ? null : deviceIdOf(device.deviceKey.publicKeyPem);
  const questions = trusted === null || device === null || deviceId === null || collectorTransport === null ? null : new CollectorClient({ collectorUrl: trusted.audit.collectorUrl, transport: collectorTransport, deviceKey: device.deviceKey, deviceId });
  const training = new TrainingGate({
    policy: trusted?.training,
    key: collectorKey,
    store: device?.training ?? null,
    ask: questions === null || collectorTransport === null || collectorKey === null ? null : (subject) => askTrainingStatus({ client: questions, transport: collectorTransport, key: collectorKey, subject, now: Date.now }),
    audit,
    identity: signedIn,
    now: Date.now,
    onChange: () => late.state?.publish(),
    notify: (text) => late.state?.notify(text),
  });

  // Access: whether this computer and its VA may still reach the practice, asked at start,
  // at each sign-in and every few minutes, and heard in a revoked device's batch answers;
  // an ending hides everything, delivers the queue, then signs out and wipes.
  let auditSync: AuditSync | null = null;
  const access = new AccessWatch({
    key: collectorKey,
    store: device?.access ?? null,
    ask: questions === null || collectorTransport === null || collectorKey === null ? null : (subject) => askAccessStatus({ client: questions, transport: collectorTransport, key: collectorKey, subject, now: Date.now }),
    deviceId,
    checkEveryMs: (trusted?.access.checkEveryMinutes ?? 5) * 60_000,
    offlineDays: trusted?.access.offlineDays ?? 0,
    audit,
    identity: signedIn,
    now: Date.now,
    onChange: () => late.state?.publish(),
    onEnded: (ended) =>
      void endAccess(ended, {
        hideAll: hideEverything,
        deliver: () => auditSync?.syncNow() ?? Promise.resolve(),
        signOut: () => auth?.signOut() ?? Promise.resolve(),
        tellSignedOut: (text) => late.state?.noticeUntilSignIn(text),
        onError: (step, error) => mainLog().error(`Cordon: ending access, ${step} failed: ${error instanceof Error ? error.message : String(error)}`),
      }),
  });

  // The workspace's state: one owner, told of every audit event; its locks (audit
  // failure, access ended, queue full) hide everything the idle lock hides.
  const state = new WorkspaceState({
    policy,
    // The encrypted queue counts only if it actually opened; delivery only while it works.
    posture: () => {
      const working: ProtectionId[] = [...(audit.failure === null ? (['audit-encrypted'] as const) : []), ...(auditSync?.status.state === 'delivered' ? (['audit-delivered'] as const) : [])];
      return assessPosture({ platform: process.platform, build, policy: trusted, installed: new Set<ProtectionId>([...INSTALLED, ...working]), deviceChecks: devicePosture?.view().checks });
    },
    identity: signedIn,
    idle: () => idle?.status() ?? { phase: 'signed-out' },
    appsHidden: () => capture.appsHidden ?? processWatch?.appsHidden ?? null,
    devicePosture: () => devicePosture?.appsHidden() ?? null,
    agreements: agreements === null ? undefined : (identity) => agreements.inputFor(identity),
    accessLock: () => access.lockReason(),
    access: () => access.input(),
    training: () => training.input(),
    now: Date.now,
    auditFailure: () => audit.failure,
    enrollment: () => enrollmentStepFor(auditSync?.status ?? null, signedIn() !== null),
  });
  late.state = state;
  // A computer revoked while Cordon was closed learns it before anyone signs in.
  void access.refresh();
  if (refusedLaunch !== null) state.noticeUntilSignIn(refusedLaunch.notice);
  state.onLock(hideEverything);
  state.onAppsHidden(hideEverything);
  // No hosted page opens a window while the workspace is not showing apps.
  navigation.gateWindows(() => {
    const now = state.current();
    return now.kind === 'workspace' && now.appsHidden === undefined;
  });
  audit.observe((event) => state.observe(event));
  audit.observe((event) => {
    if (event.type !== 'sign-in.succeeded') return;
    void devicePosture?.checkNow();
    void access.signedIn();
    void training.refresh();
  });

  // The guard's channels from hosted pages; repeats summarised when their window ends.
  if (hosting !== null && clipboard !== null) {
    guardReports.listen(ipcMain, frameReporter(hosting.appFor));
    registerWorkspaceClipboard(ipcMain, hosting.appFor, clipboard, blocks, () => state.notify(COPIED_INSIDE_NOTICE), { hadGesture: (id) => gestures.recent(id) });
    // The watermark reaches a hosted top frame over IPC, never through its process arguments.
    registerGuardWatermark(ipcMain, hosting.appFor, () => sessionWatermark?.watermarkFor(signedIn()) ?? null, blocks);
    setInterval(() => {
      blocks.flush();
      guardReports.flush();
    }, REPORT_WINDOW_MS);
  }

  // Deliver the queue to the practice's collector; enroll this device at the first sign-in.
  if (trusted !== null && device !== null && collectorTransport !== null) {
    auditSync = startAuditSync({
      queue: device.queue,
      deviceKey: device.deviceKey,
      policy: trusted.audit,
      audit,
      transport: collectorTransport,
      onQueueFailure: (error) => audit.fail(error),
      onPressure: (pressure) => state.queuePressure(pressure),
      onStatus: () => state.publish(),
      onAccess: (answer, requestNonce) => access.fromBatchAnswer(answer, requestNonce),
      enrollmentProof: async () => (auth?.identity == null ? null : { kind: 'access-token', token: await auth.resourceAccessToken(COLLECTOR_AUDIENCE) }),
    });
    app.on('will-quit', () => void auditSync?.stop());
  }

  // The shell: its IPC handlers, its window, and the state pushed to it on every change.
  const workspace =
    hosting === null
      ? null
      : {
          show: (appId: string) => {
            const { shellWindow } = late;
            if (shellWindow === null || auth?.identity == null || state.lockReason() !== null) return;
            layout ??= new WorkspaceLayout(shellWindow, () => workspaceInfobar(state.current()) !== null);
            layout.show(hosting.view(appId));
            state.appShown(appId);
          },
          // Sign-out hides as much as a lock does.
          hideAll: hideEverything,
        };
  const sync: AuditSync | null = auditSync;
  const enrollment = sync === null ? null : { withCode: (code: string) => sync.enrollWithCode(code) };
  registerIpcHandlers(ipcMain, createShellHandlers(() => state.current(), auth, workspace, idle, enrollment, agreements, hosting), {
    shellWebContentsId: () => late.shellWindow?.webContents.id,
    onRefused: ({ channel, reason }) => audit.record({ type: 'ipc.refused', outcome: 'blocked', reason: `${channel}: ${reason}` }),
  });
  const shellWindow = createShellWindow(BrowserWindow, {
    preloadPath: path.join(here, '../preload/index.cjs'),
    allowDevTools,
    contentProtection: capture.protectWindows,
    title: trusted === null ? 'Cordon' : `Cordon — ${trusted.practice.name}`,
  });
  late.shellWindow = shellWindow;
  shellWindow.on('closed', () => {
    late.shellWindow = null;
  });
  state.onChange((next) => {
    pushShellState(late.shellWindow?.webContents ?? null, next);
    // A strip under the top bar (connect this computer, an app that signed the VA out) came or went: the app moves below it, or up again.
    layout?.refit();
  });
  // One tick for what changes on its own: the idle clock, OS idle and calls, the device
  // checks when their hour is up, training when its question is due, then the state (a countdown starting, a notice
  // expiring, delivery posture) if it changed.
  const tickIdle = idle === null ? null : idleTick(idle, { powerMonitor, isInActiveCall: () => hosting?.isInActiveCall() ?? false });
  setInterval(() => {
    tickIdle?.();
    void devicePosture?.checkIfDue();
    access.tick();
    training.tick();
    state.publish();
  }, IDLE_TICK_MS);
  state.publish();
  // The build kind and version: the console's devices view shows what each laptop runs.
  audit.record({ type: 'app.started', outcome: 'success', reason: `${build} ${app.getVersion()}` });
}
