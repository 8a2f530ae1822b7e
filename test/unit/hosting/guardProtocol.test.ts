// The guard's configuration travels as a renderer argument; a damaged one fails closed.
// And the guard's navigation verdicts, which decide what the isolated world cancels.
import { describe, expect, it } from 'vitest';
import { decodeGuardArgument, encodeGuardArgument, GUARD_ARGUMENT_PREFIX, type GuardConfig } from '../../../common/hosting/guardProtocol';
import { navigationBlock } from '../../../preload/guard/isolatedGuard';

const config: GuardConfig = { navigationOrigins: ['https://ehr.example.com', 'https://login.example.com'], printing: 'allow', uploads: 'allow', allowLoopbackHttp: false, clipboard: 'workspace', watermark: { text: 'Valerie · 7K2M-QX4P · {time}', opacity: 0.12 } };
const strictest: GuardConfig = { navigationOrigins: [], printing: 'deny', uploads: 'deny', allowLoopbackHttp: false, clipboard: 'blocked', watermark: { text: 'Cordon · unidentified session · {time}', opacity: 0.2 } };

describe('guard configuration argument', () => {
  it('round-trips among other renderer arguments', () => {
    expect(decodeGuardArgument(['--type=renderer', encodeGuardArgument(config), '--lang=en'])).toEqual(config);
  });

  it.each([
    ['missing', []],
    ['not JSON', [`${GUARD_ARGUMENT_PREFIX}%7Bnope`]],
    ['bad percent-encoding', [`${GUARD_ARGUMENT_PREFIX}%E0%A4%A`]],
    ['wrong shape', [GUARD_ARGUMENT_PREFIX + encodeURIComponent(JSON.stringify({ ...config, printing: 'sometimes' }))]],
    ['extra fields', [GUARD_ARGUMENT_PREFIX + encodeURIComponent(JSON.stringify({ ...config, debug: true }))]],
    ['an unknown clipboard mode', [GUARD_ARGUMENT_PREFIX + encodeURIComponent(JSON.stringify({ ...config, clipboard: 'os' }))]],
    ['a watermark without text', [GUARD_ARGUMENT_PREFIX + encodeURIComponent(JSON.stringify({ ...config, watermark: { text: '', opacity: 0.1 } }))]],
    ['an invisible watermark', [GUARD_ARGUMENT_PREFIX + encodeURIComponent(JSON.stringify({ ...config, watermark: { text: 'x', opacity: 0 } }))]],
    ['origins not strings', [GUARD_ARGUMENT_PREFIX + encodeURIComponent(JSON.stringify({ ...config, navigationOrigins: [1] }))]],
  ])('falls back to the strictest configuration when %s', (_name, argv) => {
    expect(decodeGuardArgument(argv)).toEqual(strictest);
  });
});

describe('the guard\'s navigation verdicts', () => {
  it('lets approved origins through', () => {
    expect(navigationBlock(config, 'https://ehr.example.com/chart/1')).toBeNull();
    expect(navigationBlock(config, 'https://login.example.com/auth')).toBeNull();
  });

  it.each([
    ['https://evil.example/x?mrn=1', { block: 'navigation', origin: 'https://evil.example', reason: 'origin-not-approved' }],
    ['https://ehr.example.com.evil.example/', { block: 'navigation', origin: 'https://ehr.example.com.evil.example', reason: 'origin-not-approved' }],
    ['http://ehr.example.com/', { block: 'navigation', origin: 'http://ehr.example.com', reason: 'insecure-transport' }],
    ['blob:https://ehr.example.com/0f6c', { block: 'navigation', origin: 'blob:', reason: 'scheme-not-allowed' }],
    ['data:text/html,<b>x</b>', { block: 'navigation', origin: 'data:', reason: 'scheme-not-allowed' }],
    ['mailto:frontdesk@example.com?body=1', { block: 'external-protocol', origin: 'mailto:', reason: 'external-protocol' }],
    ['zoommtg://zoom.us/join?confno=1', { block: 'external-protocol', origin: 'zoommtg://zoom.us', reason: 'external-protocol' }],
  ])('blocks %s, reporting an origin or scheme only', (url, expected) => {
    expect(navigationBlock(config, url)).toEqual(expected);
  });
});
