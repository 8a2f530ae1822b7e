// What passes between main and the guard that runs inside every hosted page: the
// guard's configuration (main → guard, as a renderer command-line argument) and its
// reports of blocked attempts (guard → main, one fire-and-forget IPC channel). Reports
// carry an origin or scheme at most, never a URL, and name no app: main knows which app
// a sender belongs to and never takes the page's word for it.
// Zod-free on purpose: the guard bundle is evaluated in every hosted frame, so it stays
// small; main validates reports with guardReportSchema.ts.
import type { ClipboardMode, HostedAppRules } from './hostedAppRules';

export const GUARD_REPORT_CHANNEL = 'cordon:guard-report';
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

export interface GuardConfig {
  navigationOrigins: string[];
  printing: 'allow' | 'deny';
  uploads: 'allow' | 'deny';
  allowLoopbackHttp: boolean;
  clipboard: ClipboardMode;
  watermark: GuardWatermark;
}

export function guardConfigFor(rules: HostedAppRules, watermark: GuardWatermark): GuardConfig {
  return { navigationOrigins: [...rules.navigationOrigins], printing: rules.printing, uploads: rules.uploads, allowLoopbackHttp: rules.allowLoopbackHttp, clipboard: rules.clipboard, watermark };
}

/** Shown when the configuration is missing or damaged: the page still carries a mark. */
const UNIDENTIFIED_WATERMARK: GuardWatermark = { text: 'Cordon · unidentified session · {time}', opacity: 0.2 };

export function encodeGuardArgument(config: GuardConfig): string {
  return GUARD_ARGUMENT_PREFIX + encodeURIComponent(JSON.stringify(config));
}

/**
 * The guard's configuration from the renderer's arguments. A missing or damaged one
 * yields the strictest configuration: fail closed.
 */
export function decodeGuardArgument(argv: readonly string[]): GuardConfig {
  const strictest: GuardConfig = { navigationOrigins: [], printing: 'deny', uploads: 'deny', allowLoopbackHttp: false, clipboard: 'blocked', watermark: UNIDENTIFIED_WATERMARK };
  const raw = argv.find((a) => a.startsWith(GUARD_ARGUMENT_PREFIX));
  if (raw === undefined) return strictest;
  try {
    const value: unknown = JSON.parse(decodeURIComponent(raw.slice(GUARD_ARGUMENT_PREFIX.length)));
    return isGuardConfig(value) ? value : strictest;
  } catch {
    return strictest;
  }
}

function isGuardConfig(value: unknown): value is GuardConfig {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    Object.keys(v).length === 6 &&
    (v.uploads === 'allow' || v.uploads === 'deny') &&
    isWatermark(v.watermark) &&
    Array.isArray(v.navigationOrigins) &&
    v.navigationOrigins.every((o) => typeof o === 'string') &&
    (v.printing === 'allow' || v.printing === 'deny') &&
    typeof v.allowLoopbackHttp === 'boolean' &&
    (v.clipboard === 'blocked' || v.clipboard === 'workspace' || v.clipboard === 'inbound-only')
  );
}

function isWatermark(value: unknown): value is GuardWatermark {
  if (typeof value !== 'object' || value === null) return false;
  const w = value as Record<string, unknown>;
  return typeof w.text === 'string' && w.text.length > 0 && w.text.length <= 400 && typeof w.opacity === 'number' && w.opacity >= 0.04 && w.opacity <= 0.5;
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
