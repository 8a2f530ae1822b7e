// What passes between main and the guard that runs inside every hosted page: the
// guard's rules (main → guard, as a renderer command-line argument, which any local user
// can read with `ps`: so never who is signed in), the watermark (main → guard over IPC,
// answered only to a hosted top frame) and its reports of blocked attempts (guard → main,
// one fire-and-forget IPC channel). Reports
// carry an origin or scheme at most, never a URL, and name no app: main knows which app
// a sender belongs to and never takes the page's word for it.
// Zod-free on purpose: the guard bundle is evaluated in every hosted frame, so it stays
// small; main validates reports with guardReportSchema.ts.
import type { ClipboardMode, HostedAppRules } from './hostedAppRules';

export const GUARD_REPORT_CHANNEL = 'cordon:guard-report';
/**
 * The watermark, asked for synchronously (ipcRenderer.sendSync) by the guard of a hosted
 * top frame before any page script runs, so no page is shown unmarked. Main answers a
 * GuardWatermark, or null to a sender that is not a hosted top frame.
 */
export const GUARD_WATERMARK_CHANNEL = 'cordon:guard-watermark';
/** The in-memory workspace clipboard: `send` to write, `invoke` to read. */
export const WORKSPACE_CLIPBOARD_WRITE_CHANNEL = 'cordon:workspace-clipboard-write';
export const WORKSPACE_CLIPBOARD_READ_CHANNEL = 'cordon:workspace-clipboard-read';
/** Longest text the workspace clipboard holds (characters). */
export const WORKSPACE_CLIPBOARD_MAX_CHARS = 1_000_000;

/** Prefix of the renderer argument that carries the guard's configuration. */
export const GUARD_ARGUMENT_PREFIX = '--cordon-guard=';

/** The watermark over every hosted page: its template with all but {time} filled in. */
export interface GuardWatermark {
  text: string;
  opacity: number;
}

/** The guard's rules, as carried in the renderer's arguments: nothing about who is signed in. */
export interface GuardArgument {
  navigationOrigins: string[];
  printing: 'allow' | 'deny';
  uploads: 'allow' | 'deny';
  downloads: 'allow' | 'deny';
  allowLoopbackHttp: boolean;
  clipboard: ClipboardMode;
  /** 'allow' when the app may use the microphone or camera: only then does WebRTC exist in its pages. */
  calls: 'allow' | 'deny';
  /** Hosts of the app's request origins: the only TURN servers a call may relay through. */
  iceHosts: string[];
}

/** Everything the guard runs with: its rules, and the watermark main sent it. */
export interface GuardConfig extends GuardArgument {
  watermark: GuardWatermark;
}

export function guardArgumentFor(rules: HostedAppRules): GuardArgument {
  const calls = rules.permissions.includes('microphone') || rules.permissions.includes('camera') ? 'allow' : 'deny';
  const iceHosts = [...new Set(rules.requestOrigins.map((origin) => new URL(origin).hostname.toLowerCase()))];
  return { navigationOrigins: [...rules.navigationOrigins], printing: rules.printing, uploads: rules.uploads, downloads: rules.downloads, allowLoopbackHttp: rules.allowLoopbackHttp, clipboard: rules.clipboard, calls, iceHosts };
}

export function guardConfigFor(rules: HostedAppRules, watermark: GuardWatermark): GuardConfig {
  return { ...guardArgumentFor(rules), watermark };
}

/** Drawn when main's answer is missing or damaged: the page still carries a mark. */
export const UNIDENTIFIED_WATERMARK: GuardWatermark = { text: 'Cordon · unidentified session · {time}', opacity: 0.2 };

export function encodeGuardArgument(argument: GuardArgument): string {
  return GUARD_ARGUMENT_PREFIX + encodeURIComponent(JSON.stringify(argument));
}

/**
 * The guard's rules from the renderer's arguments. A missing or damaged argument yields
 * the strictest rules: fail closed.
 */
export function decodeGuardArgument(argv: readonly string[]): GuardArgument {
  const strictest: GuardArgument = { navigationOrigins: [], printing: 'deny', uploads: 'deny', downloads: 'deny', allowLoopbackHttp: false, clipboard: 'blocked', calls: 'deny', iceHosts: [] };
  const raw = argv.find((a) => a.startsWith(GUARD_ARGUMENT_PREFIX));
  if (raw === undefined) return strictest;
  try {
    const value: unknown = JSON.parse(decodeURIComponent(raw.slice(GUARD_ARGUMENT_PREFIX.length)));
    return isGuardArgument(value) ? value : strictest;
  } catch {
    return strictest;
  }
}

function isGuardArgument(value: unknown): value is GuardArgument {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    Object.keys(v).length === 8 &&
    (v.uploads === 'allow' || v.uploads === 'deny') &&
    (v.downloads === 'allow' || v.downloads === 'deny') &&
    (v.calls === 'allow' || v.calls === 'deny') &&
    Array.isArray(v.iceHosts) &&
    v.iceHosts.every((h) => typeof h === 'string') &&
    Array.isArray(v.navigationOrigins) &&
    v.navigationOrigins.every((o) => typeof o === 'string') &&
    (v.printing === 'allow' || v.printing === 'deny') &&
    typeof v.allowLoopbackHttp === 'boolean' &&
    (v.clipboard === 'blocked' || v.clipboard === 'workspace' || v.clipboard === 'inbound-only')
  );
}

/** Main's answer on GUARD_WATERMARK_CHANNEL; anything else draws the unidentified mark (fail closed). */
export function watermarkFromMain(value: unknown): GuardWatermark {
  if (typeof value !== 'object' || value === null || Object.keys(value).length !== 2) return UNIDENTIFIED_WATERMARK;
  const { text, opacity } = value as Record<string, unknown>;
  if (typeof text !== 'string' || text.length === 0 || text.length > 400) return UNIDENTIFIED_WATERMARK;
  if (typeof opacity !== 'number' || opacity < 0.04 || opacity > 0.5) return UNIDENTIFIED_WATERMARK;
  return { text, opacity };
}

/** What the guard stopped. */
export const GUARD_BLOCKS = ['navigation', 'external-protocol', 'print', 'service-worker', 'clipboard', 'watermark', 'upload'] as const;

export interface GuardReport {
  block: (typeof GUARD_BLOCKS)[number];
  /** An origin (https://host) or a bare scheme (data:, mailto:), never a full URL. */
  origin?: string;
  /** A short code (origin-not-approved, window-print, copy, paste-from-os). */
  reason: string;
}
