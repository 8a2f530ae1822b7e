// Cordon's main process: thin wiring of the hardened shell. Every decision lives in a
// module that takes its Electron objects as parameters and is unit-tested under Node.
import { hostname } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, Menu, powerMonitor, protocol, safeStorage, session, shell, webContents, WebContentsView } from 'electron';
import { decideCapture } from '../common/capture/captureProtection';
import { assessPosture, type ProtectionId } from '../common/posture/posture';
import { idleConfigFromPolicy } from '../common/session/idleMachine';
import { COLLECTOR_AUDIENCE } from '../common/audit/collectorAudience';
import { classifyQueueError } from './audit/auditQueue';
import { startAuditSync, type AuditSync } from './audit/auditSync';
import { AUDIT_SYNC_PARTITION, electronSyncTransport } from './audit/electronSyncTransport';
import { openDeviceAudit } from './audit/openDeviceAudit';
import { QueueAuditSink } from './audit/queueAuditSink';
import { createSignIn } from './auth/createSignIn';
import { processListerFor } from './capture/processLister';
import { BlockedProcessWatch, PROCESS_CHECK_MS } from './capture/processWatch';
import { protectEveryWindow } from './capture/windowProtection';
import { PRACTICE_PARTITION } from './auth/workspaceSignIn';
import { WorkspaceClipboard } from './clipboard/workspaceClipboard';
import { SessionWatermark } from './watermark/sessionWatermark';
import type { Identity } from '../common/auth/identity';
import type { GuardWatermark } from '../common/hosting/guardProtocol';
import type { ShellState } from '../common/ipc/contract';
import { registerWorkspaceClipboard } from './hosting/guardClipboard';
import { registerGuardReports, REPORT_WINDOW_MS } from './hosting/guardReports';
import { BlockAggregator } from './throttle/blockAggregator';
import { UserGestures } from './clipboard/userGestures';
import { HostedApps } from './hosting/hostedApps';
import { WorkspaceLayout } from './hosting/workspaceLayout';
import { refuseCertificateErrors } from './shell/certificateErrors';
import { handleClientCertificates } from './shell/clientCertificates';
import type { Policy } from '../common/policy/policySchema';
import { registerIpcHandlers } from './ipc/ipcServer';
import { policySources } from './policy/policyLocations';
import { loadPolicy } from './policy/policyLoader';
import { createPolicyVerifier } from './policy/policyKeys';
import { minimalMenuTemplate } from './shell/appMenu';
import { NavigationRules } from './shell/navigationRules';
import { hardenShellSession } from './shell/sessionHardening';
import { createShellHandlers } from './shell/shellHandlers';
import { ShellNotices } from './shell/shellNotices';
import { COPIED_INSIDE_NOTICE, DELIVERY_BEHIND_NOTICE, noticeForEvent, signedOutNoticeFor } from '../common/ui/notices';
import { IdleLock } from './session/idleLock';
import { IDLE_TICK_MS, idleTick, watchInput, watchPowerMonitor } from './session/idleSources';
import { shellFocuser } from './session/warningFocus';
import { registerShellScheme, serveShell } from './shell/shellProtocol';
import { gatedShellState, shellStateFor } from './shell/shellState';
import { createShellWindow } from './shell/shellWindow';
import { hardenWebContents } from './shell/webContentsHardening';
import { decideLaunch, userArguments } from './launch/launchGuard';
import { refuseLaunch } from './launch/refuseLaunch';
import { markerPath, takeRefusedLaunchMarker } from './launch/refusedLaunchMarker';
import { hidePracticeData, windowsBesides } from './workspace/hidePracticeData';
import { mainLog } from './logging/mainLog';

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

function startCordon(): void {
  // Crash reports: Electron's crashReporter is never started. Until start() runs, no
  // Crashpad handler exists, so nothing is dumped or uploaded (a renderer's dump would
  // hold PHI); even uploadToServer: false keeps dumps on disk. The OS's own crash
  // reporting (Windows Error Reporting, macOS ReportCrash, Linux core dumps) is IT's to set.
  // Must precede 'ready': sandbox every renderer, and give cordon:// a secure origin.
  app.enableSandbox();
  registerShellScheme(protocol);

  if (!app.requestSingleInstanceLock()) {
    app.quit();
  } else {
    // Fail closed: if the encrypted audit queue cannot record, hide every app and lock.
    let onAuditFailure: () => void = () => undefined;
    const log = mainLog();
    const audit = new QueueAuditSink((error) => {
      log.error(`Cordon locked: audit queue ${error.code}: ${error.message}`);
      onAuditFailure();
    });
    // Pages can trigger blocks in a loop: each (app, type, origin, reason) is audited once
    // per window, repeats summarised with a count (main/throttle/blockAggregator.ts).
    const blocks = new BlockAggregator(audit);
    // Main's own record of key presses and clicks, which workspace-clipboard writes need.
    const gestures = new UserGestures();
    // A start refused earlier could not audit itself; this one does.
    const refusedLaunch = takeRefusedLaunchMarker(launchMarker);
    if (refusedLaunch !== null) audit.record(refusedLaunch);
    const navigation = new NavigationRules();
    let shellWindow: BrowserWindow | null = null;
    let idle: IdleLock | null = null;

    app.on('web-contents-created', (_event, contents) => {
      hardenWebContents(contents, { allowDevTools, audit: blocks, navigation });
      gestures.watch(contents);
      // Input in any Cordon page (shell, hosted app, popup) is the VA's activity.
      watchInput(contents, () => idle?.activity('input'));
    });
    refuseCertificateErrors(app, audit);
    // No client certificate leaves before the policy names one (default: never).
    let clientCertificateRules: Policy['clientCertificates']['allow'] = [];
    handleClientCertificates(app, () => clientCertificateRules, audit);
    app.on('second-instance', () => {
      if (shellWindow === null) return;
      if (shellWindow.isMinimized()) shellWindow.restore();
      shellWindow.focus();
    });
    app.on('window-all-closed', () => app.quit());

    const policyResult = loadPolicy({
      sources: policySources(build, process.platform, process.env, { isPackaged: app.isPackaged, resourcesPath: process.resourcesPath, appPath: app.getAppPath() }),
      verifier: createPolicyVerifier(__CORDON_POLICY_KEYS__),
      build,
    });

    void app.whenReady().then(async () => {
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

      const policy = await policyResult;
      if (policy.ok) clientCertificateRules = policy.policy.clientCertificates.allow;
      if (policy.ok) audit.record({ type: 'policy.loaded', outcome: 'success', reason: `${policy.policy.policyId}#${policy.policy.serial}` });
      else audit.record({ type: 'policy.refused', outcome: 'failure', reason: policy.problem.code });
      // Fail closed: without a trusted policy, protect as if it were required.
      const capture = decideCapture(process.platform, policy.ok ? policy.policy.screenCapture.protection : 'required');
      if (capture.protectWindows) protectEveryWindow(app);

      let auditSync: AuditSync | null = null;
      let queueFull = false;
      // The encrypted queue counts only if it actually opened; delivery only while it works.
      const posture = () => {
        const working: ProtectionId[] = [...(audit.failure === null ? (['audit-encrypted'] as const) : []), ...(auditSync?.status.state === 'delivered' ? (['audit-delivered'] as const) : [])];
        return assessPosture({ platform: process.platform, build, policy: policy.ok ? policy.policy : null, installed: new Set<ProtectionId>([...INSTALLED, ...working]) });
      };
      // Nothing is hosted without a trusted policy; with one, every hosted session is
      // hardened by HostedApps, the practice session up front, before anything can use it.
      const clipboard = policy.ok ? new WorkspaceClipboard(policy.policy.clipboard.workspaceTtlSeconds * 1000) : null;
      const sessionWatermark = policy.ok ? new SessionWatermark(policy.policy, hostname()) : null;
      // Read late (auth is built after hosting, which it needs).
      const signedIn = (): Identity | null => auth?.identity ?? null;
      const hosting =
        policy.ok && clipboard !== null
        ? new HostedApps({
            policy: policy.policy,
            navigation,
            audit: blocks,
            allowDevTools,
            guardPreloadPath: path.join(here, '../preload/hostedGuard.cjs'),
            clipboard,
            watermark: (): GuardWatermark | null => sessionWatermark?.watermarkFor(signedIn()) ?? null,
            electron: { WebContentsView, sessionFor: (partition) => session.fromPartition(partition) },
          })
        : null;
      hosting?.session(PRACTICE_PARTITION);
      // Tell the VA, briefly, whenever a hosted app was stopped or its copy kept inside.
      const notices = new ShellNotices();
      // After an automatic logoff, the sign-in screen says why until the next sign-in.
      let signedOutNotice: string | undefined;
      audit.observe((event) => {
        const text = noticeForEvent(event);
        if (text !== null) notices.push(text);
        if (event.type === 'sign-in.succeeded') signedOutNotice = undefined;
        if (policy.ok) signedOutNotice = signedOutNoticeFor(event, policy.policy.session.logoffMinutes) ?? signedOutNotice;
      });
      if (hosting !== null && clipboard !== null) {
        const guardReports = registerGuardReports(ipcMain, hosting.appFor, blocks);
        registerWorkspaceClipboard(ipcMain, hosting.appFor, clipboard, blocks, () => notices.push(COPIED_INSIDE_NOTICE), { hadGesture: (id) => gestures.recent(id) });
        // Summaries of repeats are written when their window ends, even if the page falls silent.
        setInterval(() => {
          blocks.flush();
          guardReports.flush();
        }, REPORT_WINDOW_MS);
      }
      const auth =
        policy.ok && hosting !== null
          ? createSignIn(
              policy.policy,
              { BrowserWindow, shell, safeStorage, userDataDir: app.getPath('userData'), platform: process.platform },
              { navigation, audit, parent: () => shellWindow, allowDevTools, hosting },
            )
          : null;
      void auth?.revokeLeftover();
      audit.setContext(() => {
        const identity = signedIn();
        return identity === null || sessionWatermark === null ? null : { subject: identity.subject, session: sessionWatermark.codeFor(identity) };
      });
      // Deliver the queue to the practice's collector; enroll this device at the first sign-in.
      if (policy.ok && device !== null && audit.failure === null) {
        auditSync = startAuditSync({
          ...device,
          policy: policy.policy.audit,
          audit,
          transport: electronSyncTransport(session.fromPartition(AUDIT_SYNC_PARTITION)),
          onQueueFailure: (error) => audit.fail(error),
          // Past the soft limit the VA is told; past the hard limit Cordon locks rather than drop events.
          onPressure: (pressure) => {
            queueFull = pressure === 'hard';
            if (queueFull) onAuditFailure();
            if (pressure === 'soft') notices.push(DELIVERY_BEHIND_NOTICE);
          },
          enrollmentProof: async () => (auth?.identity == null ? null : { kind: 'access-token', token: await auth.resourceAccessToken(COLLECTOR_AUDIENCE) }),
        });
        app.on('will-quit', () => void auditSync?.stop());
      }
      let layout: WorkspaceLayout | null = null;
      // The app last shown, so an unlock (or a capture tool closing) returns to it.
      let activeAppId: string | undefined;
      const workspace =
        hosting === null
          ? null
          : {
              show: (appId: string) => {
                if (shellWindow === null || auth?.identity == null || lockReason() !== null) return;
                layout ??= new WorkspaceLayout(shellWindow);
                layout.show(hosting.view(appId));
                activeAppId = appId;
              },
              // Sign-out hides as much as a lock does.
              hideAll: () => hideEverything(),
            };
      // Hides practice data everywhere: hosted views detached, the workspace clipboard
      // wiped, every other Cordon window (hosted popups) destroyed, which no page can cancel.
      const hideEverything = () =>
        hidePracticeData({
          detachViews: () => layout?.hideAll(),
          wipeClipboard: () => clipboard?.wipe(),
          otherWindows: () => windowsBesides(BrowserWindow.getAllWindows(), shellWindow),
        });
      // The audit-failure and queue-full locks hide everything the idle lock hides.
      onAuditFailure = hideEverything;
      if (policy.ok && auth !== null) {
        idle = new IdleLock({
          config: idleConfigFromPolicy(policy.policy.session),
          auth,
          audit,
          hideAll: hideEverything,
          signOut: () => auth.signOut(),
          focusShell: shellFocuser(() => webContents.getFocusedWebContents(), () => shellWindow?.webContents ?? null),
        });
        watchPowerMonitor(powerMonitor, idle);
        setInterval(idleTick(idle, { powerMonitor, isInActiveCall: () => hosting?.isInActiveCall() ?? false }), IDLE_TICK_MS);
      }
      const blockedProcesses = policy.ok ? policy.policy.screenCapture.blockedProcesses : [];
      const processWatch = blockedProcesses.length === 0 ? null : new BlockedProcessWatch({ blocked: blockedProcesses, lister: processListerFor(process.platform, process.env), audit, hideAll: hideEverything });
      if (processWatch !== null) {
        void processWatch.check();
        setInterval(() => void processWatch.check(), PROCESS_CHECK_MS);
      }
      const lockReason = () => {
        if (audit.failure !== null) return { code: `audit-${audit.failure.code}`, message: `Cordon cannot record its activity log safely, so it is locked. Tell IT: ${audit.failure.message}` };
        if (queueFull) return { code: 'audit-queue-full', message: `Too much of Cordon's activity log is waiting to reach the practice, so Cordon is locked until it is delivered. Tell IT: the collector at ${policy.ok ? policy.policy.audit.collectorUrl : 'the configured address'} is not accepting this computer's log.` };
        return null;
      };
      const state = (): ShellState => {
        const gated = gatedShellState(shellStateFor(policy, posture(), signedIn(), lockReason(), activeAppId), {
          idle: idle?.status() ?? { phase: 'signed-out' },
          appsHidden: capture.appsHidden ?? processWatch?.appsHidden ?? null,
          notice: notices.current(),
        });
        return gated.kind === 'signed-out' && signedOutNotice !== undefined ? { ...gated, notice: signedOutNotice } : gated;
      };
      registerIpcHandlers(ipcMain, createShellHandlers(state, auth, workspace, idle), {
        shellWebContentsId: () => shellWindow?.webContents.id,
        onRefused: ({ channel, reason }) => audit.record({ type: 'ipc.refused', outcome: 'blocked', reason: `${channel}: ${reason}` }),
      });

      shellWindow = createShellWindow(BrowserWindow, {
        preloadPath: path.join(here, '../preload/index.cjs'),
        allowDevTools,
        contentProtection: capture.protectWindows,
        title: policy.ok ? `Cordon — ${policy.policy.practice.name}` : 'Cordon',
      });
      shellWindow.on('closed', () => {
        shellWindow = null;
      });
      audit.record({ type: 'app.started', outcome: 'success', reason: build });
    });
  }
}
