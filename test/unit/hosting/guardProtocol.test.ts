// The guard's rules travel as a renderer argument, its watermark over IPC; damaged ones fail closed.
// And the guard's navigation verdicts, which decide what the isolated world cancels.
import { describe, expect, it } from 'vitest';
import { decodeGuardArgument, encodeGuardArgument, GUARD_ARGUMENT_PREFIX, watermarkFromMain, type GuardArgument, type GuardConfig } from '../../../common/hosting/guardProtocol';
import { navigationBlock } from '../../../preload/guard/isolatedGuard';

const config: GuardConfig = { navigationOrigins: ['https://ehr.example.com', 'https://login.example.com'], printing: 'allow', uploads: 'allow', downloads: 'deny', allowLoopbackHttp: false, clipboard: 'workspace', calls: 'deny', iceHosts: ['ehr.example.com'], watermark: { text: 'Valerie · 7K2M-QX4P · {time}', opacity: 0.12 } };
const argument: GuardArgument = { navigationOrigins: config.navigationOrigins, printing: 'allow', uploads: 'allow', downloads: 'deny', allowLoopbackHttp: false, clipboard: 'workspace', calls: 'deny', iceHosts: ['ehr.example.com'] };
const strictest: GuardArgument = { navigationOrigins: [], printing: 'deny', uploads: 'deny', downloads: 'deny', allowLoopbackHttp: false, clipboard: 'blocked', calls: 'deny', iceHosts: [] };
const unidentified = { text: 'Cordon · unidentified session · {time}', opacity: 0.2 };

describe('guard configuration argument', () => {
  it('round-trips among other renderer arguments', () => {
    expect(decodeGuardArgument(['--type=renderer', encodeGuardArgument(argument), '--lang=en'])).toEqual(argument);
  });

  it('refuses an argument that carries a watermark: who is signed in never goes on the command line', () => {
    expect(decodeGuardArgument([GUARD_ARGUMENT_PREFIX + encodeURIComponent(JSON.stringify(config))])).toEqual(strictest);
  });

  it.each([
    ['missing', []],
    ['not JSON', [`${GUARD_ARGUMENT_PREFIX}%7Bnope`]],
    ['bad percent-encoding', [`${GUARD_ARGUMENT_PREFIX}%E0%A4%A`]],
    ['wrong shape', [GUARD_ARGUMENT_PREFIX + encodeURIComponent(JSON.stringify({ ...argument, printing: 'sometimes' }))]],
    ['extra fields', [GUARD_ARGUMENT_PREFIX + encodeURIComponent(JSON.stringify({ ...argument, debug: true }))]],
    ['an unknown clipboard mode', [GUARD_ARGUMENT_PREFIX + encodeURIComponent(JSON.stringify({ ...argument, clipboard: 'os' }))]],
    ['origins not strings', [GUARD_ARGUMENT_PREFIX + encodeURIComponent(JSON.stringify({ ...argument, navigationOrigins: [1] }))]],
  ])('falls back to the strictest configuration when %s', (_name, argv) => {
    expect(decodeGuardArgument(argv)).toEqual(strictest);
  });
});

describe("main's watermark answer", () => {
  it('is taken as sent when valid', () => {
    expect(watermarkFromMain(config.watermark)).toEqual(config.watermark);
  });

  it.each([
    ['null (not a hosted top frame)', null],
    ['without text', { text: '', opacity: 0.1 }],
    ['invisible', { text: 'x', opacity: 0 }],
    ['with extra fields', { ...config.watermark, css: 'display:none' }],
    ['a string', 'Valerie'],
  ])('draws the unidentified mark when %s', (_name, answer) => {
    expect(watermarkFromMain(answer)).toEqual(unidentified);
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
