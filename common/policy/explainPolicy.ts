// The effective policy in plain words, one line per control, for IT to check what a
// signed policy will actually do (`cordon-policy explain`).
import type { AgreementPolicy, AppPolicy, Policy, TrainingCourse, TrainingPolicy } from './policySchema';

const CLIPBOARD_WORDS: Record<Policy['clipboard']['mode'], string> = {
  blocked: 'blocked: no copy out of hosted apps and no paste into them',
  workspace: 'workspace: copy and paste work between hosted apps but never reach the computer clipboard',
  'inbound-only': 'inbound only: paste from the computer is allowed, nothing is copied out',
};

const CAPTURE_WORDS: Record<Policy['screenCapture']['protection'], string> = {
  required: 'required: hosted apps are hidden where the OS cannot block screenshots and screen sharing',
  preferred: 'preferred: blocked where the OS allows it; elsewhere apps still show and the posture panel says "not enforced"',
  off: 'off: screenshots and screen sharing are not blocked',
};

function list(items: readonly string[], empty: string): string {
  return items.length === 0 ? empty : items.join(', ');
}

function appLines(app: AppPolicy): string[] {
  const prefix = `app ${app.id} ("${app.name}")`;
  return [
    `${prefix}: opens ${app.startUrl}`,
    `${prefix}: may navigate only to ${list(app.navigationOrigins, 'nowhere')}`,
    `${prefix}: may send requests only to ${list([...new Set([...app.navigationOrigins, ...app.requestOrigins])], 'nowhere')}`,
    `${prefix}: permissions granted: ${list(app.permissions, 'none (every permission request is denied)')}`,
    `${prefix}: downloads ${app.downloads === 'allow' ? 'allowed' : 'blocked'}, printing ${app.printing === 'allow' ? 'allowed' : 'blocked'}, uploads ${app.uploads === 'allow' ? 'allowed' : 'blocked'}`,
    `${prefix}: session ${app.session === 'isolated' ? 'isolated (own cookies, no single sign-on with other apps)' : 'shared with the other apps (single sign-on), in memory only'}`,
    `${prefix}: ${app.signedOutUrls.length === 0 ? 'no signed-out pages listed (Cordon cannot tell when the app signs the VA out)' : `when it shows ${app.signedOutUrls.join(' or ')}, Cordon tells the VA the app signed them out and offers to open it again`}`,
  ];
}

const REACCEPT_WORDS: Record<AgreementPolicy['reaccept'], string> = {
  'new-version': 'again only when its version changes',
  yearly: 'again a year after each acceptance, and when its version changes',
};

function agreementLine(doc: AgreementPolicy): string {
  const source = doc.url === undefined ? `text in the policy (${doc.text?.length ?? 0} characters)` : `text fetched from ${doc.url}, refused unless its SHA-256 is ${doc.sha256 ?? ''}`;
  return `agreement ${doc.id} ("${doc.title}", version ${doc.version}): each VA reads and accepts it after sign-in, before any app opens, ${REACCEPT_WORDS[doc.reaccept]}; declining signs out; ${source}`;
}

function courseLine(course: TrainingCourse, training: TrainingPolicy): string {
  const counts = course.everyMonths === undefined ? 'a completion counts until the expiry date its record gives, for good when it gives none' : `a completion counts for ${course.everyMonths} months (or until an earlier expiry date its record gives)`;
  const first = course.dueBy === undefined ? 'a VA with no completion on record has apps closed at once' : `a VA with no completion on record has until ${course.dueBy}, then ${training.graceDays} days' grace`;
  return `training ${course.id} ("${course.title}"): ${counts}; ${first}`;
}

function trainingLines(training: TrainingPolicy | undefined): string[] {
  if (training === undefined) return ['training: none required'];
  return [
    ...training.courses.map((course) => courseLine(course, training)),
    `training: the VA is told ${training.dueSoonDays} days before a course falls due; hosted apps close ${training.graceDays} days after, naming the course and whom to ask: ${training.contact}`,
    `training: checked with the collector at each sign-in and every 15 minutes, its answers believed only when signed by the collector key in audit.collectorPublicKey; while the collector cannot be reached the last answer counts an hour and ${training.offlineDays} days more, then apps close`,
  ];
}

export function explainPolicy(policy: Policy): string[] {
  const mfa = [
    ...policy.identity.mfa.acrValues.map((v) => `acr ${v}`),
    ...policy.identity.mfa.amrMethods.map((m) => `amr ${m}`),
  ];
  return [
    `policy: ${policy.policyId} serial ${policy.serial} (${policy.environment}), valid ${policy.issuedAt} to ${policy.expiresAt}`,
    `practice: ${policy.practice.name}`,
    ...policy.apps.flatMap(appLines),
    `sign-in: ${policy.identity.issuer} as client ${policy.identity.clientId}, scopes ${policy.identity.scopes.join(' ')}, in ${policy.identity.signInMode === 'workspace' ? 'a Cordon window (single sign-on into hosted apps)' : 'the system browser (loopback redirect)'}`,
    `sign-in page assets (never navigated to): ${list(policy.identity.requestOrigins, 'none beyond the sign-in origins')}`,
    `multi-factor authentication: required; accepted proof: ${mfa.join(' or ')}`,
    `roles: read from the ID token claim "${policy.identity.rolesClaim}"${policy.identity.maxAuthAgeSeconds === undefined ? '' : `; sign-in older than ${policy.identity.maxAuthAgeSeconds} s is refused`}`,
    `idle lock: after ${policy.session.idleLockMinutes} min without input${policy.session.countSystemActivity ? ' anywhere on the computer' : ' in Cordon'}${policy.session.activeCallCountsAsActivity ? ' (an active call counts as input)' : ''}`,
    `automatic logoff: after ${policy.session.logoffMinutes} min idle`,
    `clipboard: ${CLIPBOARD_WORDS[policy.clipboard.mode]}${policy.clipboard.mode === 'workspace' ? `; items expire after ${policy.clipboard.workspaceTtlSeconds} s` : ''}`,
    `screen capture protection: ${CAPTURE_WORDS[policy.screenCapture.protection]}`,
    `capture tools that lock the workspace: ${list(policy.screenCapture.blockedProcesses, 'none listed')}`,
    `watermark: "${policy.watermark.template}" at opacity ${policy.watermark.opacity}`,
    `audit: sent to ${policy.audit.collectorUrl}; kept locally ${policy.audit.retentionDays} days after delivery; VA warned at ${policy.audit.queueSoftLimit} unsent events, new sessions locked at ${policy.audit.queueHardLimit}`,
    `updates: ${updatesLine(policy.updates)}`,
    `client certificates: ${list(policy.clientCertificates.allow.map((rule) => `to ${rule.origin} one issued by "${rule.issuerCommonName}"`), 'never sent')}`,
    ...(policy.agreements.length === 0 ? ['agreements: none to accept'] : policy.agreements.map(agreementLine)),
    ...trainingLines(policy.training),
    accessLine(policy),
  ];
}

function accessLine(policy: Policy): string {
  if (policy.audit.collectorPublicKey === undefined) return 'access: not checked with the collector (no audit.collectorPublicKey): a revoked device or VA is not locked out by Cordon';
  const { checkEveryMinutes, offlineDays } = policy.access;
  return `access: checked with the collector at start, at each sign-in and every ${checkEveryMinutes} min (and in every delivery's answer); a revoked device locks, a revoked VA or one past their end date is signed out; apps stay closed while access cannot be confirmed, or after ${offlineDays} day${offlineDays === 1 ? '' : 's'} without reaching the collector`;
}

function updatesLine({ channel, feedUrl, minimumVersion }: Policy['updates']): string {
  const how = channel === 'none' || feedUrl === undefined ? 'automatic updates off (IT deploys new builds)' : `${channel} channel from ${feedUrl}, each release checked against a manifest signed by a trusted policy key`;
  return minimumVersion === undefined ? how : `${how}; builds older than ${minimumVersion} lock and ask to update`;
}
