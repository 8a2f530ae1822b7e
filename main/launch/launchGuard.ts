// Refuses a production start that carries Chromium or Node switches, stray arguments or
// environment variables that would open a way around Cordon's protections. Electron and
// Chromium act on these before any of Cordon's code runs (--remote-debugging-port gives
// CDP into every page whatever `devTools` says; --ignore-certificate-errors means
// `certificate-error` never fires; --proxy-server, --host-resolver-rules and the proxy
// variables move traffic; --log-net-log, ELECTRON_ENABLE_LOGGING and SSLKEYLOGFILE write
// URLs or TLS keys to disk), so the only safe answer is not to run at all. Pure: main
// passes process.argv and process.env.
//
// Arguments: production accepts none but this allowlist (each value checked):
//   --force-device-scale-factor=<number>   display scaling (accessibility)
//   --ozone-platform=<wayland|x11>, --ozone-platform-hint=<auto|wayland|x11>   Linux display server
//   --lang=<locale>                        UI language
//   -psn_<n>_<n>                           macOS Finder's process serial number (older macOS)
// Anything else, including positional arguments (URLs, files), is refused. Chromium
// accepts one or two dashes (and `/` on Windows), so every `-` or `/` form counts.
//
// Environment variables Electron 45 and Chromium read (checked in Electron's source,
// shell/**, v45 nightly, and its docs/api/environment-variables.md):
// refused in production, because they weaken a protection or write URLs/keys somewhere:
//   SSLKEYLOGFILE                       Chromium writes every TLS session key to that file
//   HTTP_PROXY, HTTPS_PROXY, ALL_PROXY, FTP_PROXY, SOCKS_PROXY, SOCKS_SERVER, AUTO_PROXY
//                                       (any case) Chromium on Linux and Node's fetch route traffic through them
//   NODE_USE_ENV_PROXY                  makes Node's fetch in main honour the proxy variables
//   NODE_TLS_REJECT_UNAUTHORIZED        turns off certificate checks for main's Node requests (sign-in, audit delivery)
//   NODE_DEBUG, NODE_DEBUG_NATIVE       Node's debug log (http) can hold URLs
//   ELECTRON_* except the harmless ones below: ELECTRON_DISABLE_SANDBOX (adds --no-sandbox),
//     ELECTRON_ENABLE_LOGGING / ELECTRON_LOG_FILE / ELECTRON_ALSO_LOG_TO_STDERR (Chromium's
//     log holds URLs), ELECTRON_ENABLE_STACK_DUMPING, ELECTRON_DEFAULT_ERROR_MODE (the
//     OS crash dialog and its dump), ELECTRON_FORCE_IS_PACKAGED, ELECTRON_LOG_ASAR_READS,
//     ELECTRON_PROFILE_INIT_SCRIPTS, ELECTRON_DEBUG_NOTIFICATIONS, ELECTRON_DEBUG_MSIX_UPDATER,
//     ELECTRON_RUN_AS_NODE and ELECTRON_NO_ASAR (also off by the runAsNode fuse), and any new one
//   CHROME_* except CHROME_DESKTOP: CHROME_DEVEL_SANDBOX points Linux at another sandbox helper
//   BREAKPAD_DUMP_LOCATION              moves crash dumps (which hold page memory)
//   LD_PRELOAD, LD_AUDIT, DYLD_INSERT_LIBRARIES   code injected into the process (already loaded, but the session never starts)
// covered by fuses (build/electronFuses.ts), so allowed: NODE_OPTIONS and NODE_EXTRA_CA_CERTS
//   (nodeOptions fuse off: Electron ignores and unsets them), ELECTRON_RUN_AS_NODE is refused anyway.
// allowed, harmless: NO_PROXY/no_proxy (only exempts hosts from a proxy, and none may be
//   set), GOOGLE_API_KEY (geolocation lookups only), ELECTRON_NO_ATTACH_CONSOLE,
//   ELECTRON_FORCE_WINDOW_MENU_BAR, ELECTRON_TRASH, ELECTRON_USE_UBUNTU_NOTIFIER,
//   CHROME_DESKTOP, GTK_MODULES (Linux accessibility loads its bridge through it), LANG/LC_*.
import type { BuildKind } from '../../common/policy/signedPolicy';

export interface LaunchInput {
  build: BuildKind;
  platform: NodeJS.Platform;
  /** The arguments after the executable (and after the app path, when started as `electron <app>`). */
  args: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
}

/** What was refused: a switch or variable name, never its value (it may be a URL or a path). */
export interface LaunchRefusal {
  kind: 'switch' | 'argument' | 'environment';
  name: string;
}

export type LaunchDecision = { ok: true } | { ok: false; refused: LaunchRefusal[] };

const ALLOWED_SWITCHES: Record<string, (value: string | undefined) => boolean> = {
  'force-device-scale-factor': (v) => v !== undefined && /^\d{1,2}(\.\d{1,3})?$/.test(v),
  'ozone-platform': (v) => v === 'wayland' || v === 'x11',
  'ozone-platform-hint': (v) => v === 'auto' || v === 'wayland' || v === 'x11',
  lang: (v) => v !== undefined && /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(v),
};

const REFUSED_ENV = new Set(['SSLKEYLOGFILE', 'HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY', 'FTP_PROXY', 'SOCKS_PROXY', 'SOCKS_SERVER', 'AUTO_PROXY', 'NODE_USE_ENV_PROXY', 'NODE_TLS_REJECT_UNAUTHORIZED', 'NODE_DEBUG', 'NODE_DEBUG_NATIVE', 'BREAKPAD_DUMP_LOCATION', 'LD_PRELOAD', 'LD_AUDIT', 'DYLD_INSERT_LIBRARIES']);
const HARMLESS_ELECTRON_ENV = new Set(['ELECTRON_NO_ATTACH_CONSOLE', 'ELECTRON_FORCE_WINDOW_MENU_BAR', 'ELECTRON_TRASH', 'ELECTRON_USE_UBUNTU_NOTIFIER']);

function isSwitch(arg: string, platform: NodeJS.Platform): boolean {
  return arg.startsWith('-') || (platform === 'win32' && arg.startsWith('/'));
}

function argumentRefusal(arg: string, platform: NodeJS.Platform): LaunchRefusal | null {
  if (platform === 'darwin' && /^-psn_\d+_\d+$/.test(arg)) return null;
  if (!isSwitch(arg, platform)) return { kind: 'argument', name: '(argument)' };
  const body = arg.replace(/^(--?|\/)/, '');
  const equals = body.indexOf('=');
  const name = (equals === -1 ? body : body.slice(0, equals)).toLowerCase();
  const value = equals === -1 ? undefined : body.slice(equals + 1);
  const check = Object.hasOwn(ALLOWED_SWITCHES, name) ? ALLOWED_SWITCHES[name] : undefined;
  if (arg.startsWith('--') && check?.(value) === true) return null;
  // The name only, cut and cleaned: it goes into an audit event and a dialog.
  return { kind: 'switch', name: `--${name.replace(/[^a-z0-9._-]/g, '').slice(0, 48) || '(empty)'}` };
}

function environmentRefused(name: string): boolean {
  const upper = name.toUpperCase();
  if (REFUSED_ENV.has(upper)) return true;
  if (upper.startsWith('ELECTRON_')) return !HARMLESS_ELECTRON_ENV.has(upper);
  if (upper.startsWith('CHROME_')) return upper !== 'CHROME_DESKTOP';
  return false;
}

export function decideLaunch({ build, platform, args, env }: LaunchInput): LaunchDecision {
  // Developers need the inspector and logging; only production builds refuse.
  if (build !== 'production') return { ok: true };
  const refused: LaunchRefusal[] = [];
  const seen = new Set<string>();
  const add = (refusal: LaunchRefusal) => {
    const key = `${refusal.kind}:${refusal.name}`;
    if (seen.has(key)) return;
    seen.add(key);
    refused.push(refusal);
  };
  for (const arg of args) {
    const refusal = argumentRefusal(arg, platform);
    if (refusal !== null) add(refusal);
  }
  for (const [name, value] of Object.entries(env)) {
    // An empty variable sets nothing (`http_proxy=` is how some shells unset one).
    if (value !== undefined && value !== '' && environmentRefused(name)) add({ kind: 'environment', name: name.toUpperCase().replace(/[^A-Z0-9_]/g, '').slice(0, 48) });
  }
  return refused.length === 0 ? { ok: true } : { ok: false, refused };
}

/** The arguments a user passed: after the executable, and after the app path under `electron <app>`. */
export function userArguments(argv: readonly string[], defaultApp: boolean | undefined): string[] {
  return argv.slice(defaultApp === true ? 2 : 1);
}

/** One line for the VA (and IT) saying what was refused, by name only. */
export function describeRefusal(refused: readonly LaunchRefusal[]): string {
  const names = refused.map((r) => (r.kind === 'environment' ? `the environment variable ${r.name}` : r.kind === 'argument' ? 'an extra argument' : `the switch ${r.name}`));
  return `Cordon did not start because it was started with ${names.join(', ')}, which could expose patient data. Start Cordon from its usual shortcut; if this keeps happening, call IT.`;
}

/** The audit reason: kind:name pairs, comma-separated (the queue cuts it to the wire limit). */
export function refusalReason(refused: readonly LaunchRefusal[]): string {
  return refused.map((r) => `${r.kind === 'environment' ? 'env' : r.kind === 'argument' ? 'arg' : 'switch'}:${r.name}`).join(',');
}
