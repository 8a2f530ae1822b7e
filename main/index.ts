// Cordon's main process: thin wiring of the hardened shell. Every decision lives in a
// module that takes its Electron objects as parameters and is unit-tested under Node.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, ipcMain, Menu, protocol, safeStorage, session, shell, WebContentsView } from 'electron';
import { assessPosture, type ProtectionId } from '../common/posture/posture';
import { classifyQueueError } from './audit/auditQueue';
import { openDeviceAudit } from './audit/openDeviceAudit';
import { QueueAuditSink } from './audit/queueAuditSink';
import { createSignIn } from './auth/createSignIn';
import { PRACTICE_PARTITION } from './auth/workspaceSignIn';
import { WorkspaceClipboard } from './clipboard/workspaceClipboard';
import { registerWorkspaceClipboard } from './hosting/guardClipboard';
import { registerGuardReports } from './hosting/guardReports';
import { HostedApps } from './hosting/hostedApps';
import { WorkspaceLayout } from './hosting/workspaceLayout';
import { refuseCertificateErrors } from './shell/certificateErrors';
import { registerIpcHandlers } from './ipc/ipcServer';
import { policySources } from './policy/policyLocations';
import { loadPolicy } from './policy/policyLoader';
import { createPolicyVerifier } from './policy/policyKeys';
import { minimalMenuTemplate } from './shell/appMenu';
import { NavigationRules } from './shell/navigationRules';
import { hardenShellSession } from './shell/sessionHardening';
import { createShellHandlers } from './shell/shellHandlers';
import { registerShellScheme, serveShell } from './shell/shellProtocol';
import { shellStateFor } from './shell/shellState';
import { createShellWindow } from './shell/shellWindow';
import { hardenWebContents } from './shell/webContentsHardening';

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
]);

// Must precede 'ready': sandbox every renderer, and give cordon:// a secure origin.
app.enableSandbox();
registerShellScheme(protocol);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  // Fail closed: if the encrypted audit queue cannot record, hide every app and lock.
  let onAuditFailure: () => void = () => undefined;
  const audit = new QueueAuditSink((error) => {
    console.error(`Cordon locked: audit queue ${error.code}: ${error.message}`);
    onAuditFailure();
  });
  const navigation = new NavigationRules();
  let shellWindow: BrowserWindow | null = null;

  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, { allowDevTools, audit, navigation }));
  refuseCertificateErrors(app, audit);
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
    try {
      audit.attach(openDeviceAudit(app.getPath('userData'), safeStorage, process.platform).queue);
    } catch (error) {
      audit.fail(classifyQueueError(error));
    }

    const policy = await policyResult;
    if (policy.ok) audit.record({ type: 'policy.loaded', outcome: 'success', reason: `${policy.policy.policyId}#${policy.policy.serial}` });
    else audit.record({ type: 'policy.refused', outcome: 'failure', reason: policy.problem.code });

    // The encrypted queue counts only if it actually opened.
    const installed = new Set<ProtectionId>([...INSTALLED, ...(audit.failure === null ? (['audit-encrypted'] as const) : [])]);
    const posture = assessPosture({ platform: process.platform, build, policy: policy.ok ? policy.policy : null, installed });
    // Nothing is hosted without a trusted policy; with one, every hosted session is
    // hardened by HostedApps, the practice session up front, before anything can use it.
    const clipboard = policy.ok ? new WorkspaceClipboard(policy.policy.clipboard.workspaceTtlSeconds * 1000) : null;
    const hosting =
      policy.ok && clipboard !== null
      ? new HostedApps({
          policy: policy.policy,
          navigation,
          audit,
          allowDevTools,
          guardPreloadPath: path.join(here, '../preload/hostedGuard.cjs'),
          clipboard,
          electron: { WebContentsView, sessionFor: (partition) => session.fromPartition(partition) },
        })
      : null;
    hosting?.session(PRACTICE_PARTITION);
    if (hosting !== null && clipboard !== null) {
      registerGuardReports(ipcMain, hosting.appFor, audit);
      registerWorkspaceClipboard(ipcMain, hosting.appFor, clipboard, audit);
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
    let layout: WorkspaceLayout | null = null;
    const workspace =
      hosting === null
        ? null
        : {
            show: (appId: string) => {
              if (shellWindow === null || auth?.identity == null) return;
              layout ??= new WorkspaceLayout(shellWindow);
              layout.show(hosting.view(appId));
            },
            hideAll: () => layout?.hideAll(),
          };
    onAuditFailure = () => workspace?.hideAll();
    const lockReason = () => (audit.failure === null ? null : { code: `audit-${audit.failure.code}`, message: `Cordon cannot record its activity log safely, so it is locked. Tell IT: ${audit.failure.message}` });
    const state = () => shellStateFor(policy, posture, auth?.identity ?? null, lockReason());
    registerIpcHandlers(ipcMain, createShellHandlers(state, auth, workspace), {
      shellWebContentsId: () => shellWindow?.webContents.id,
      onRefused: ({ channel, reason }) => audit.record({ type: 'ipc.refused', outcome: 'blocked', reason: `${channel}: ${reason}` }),
    });

    shellWindow = createShellWindow(BrowserWindow, {
      preloadPath: path.join(here, '../preload/index.cjs'),
      allowDevTools,
      // Fail closed: without a trusted policy, protect the window anyway.
      contentProtection: !policy.ok || policy.policy.screenCapture.protection !== 'off',
      title: policy.ok ? `Cordon — ${policy.policy.practice.name}` : 'Cordon',
    });
    shellWindow.on('closed', () => {
      shellWindow = null;
    });
    audit.record({ type: 'app.started', outcome: 'success', reason: build });
  });
}
