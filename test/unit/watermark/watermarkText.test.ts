// The watermark's words and the session code that traces a photo back to a session.
import { describe, expect, it } from 'vitest';
import { sessionCode, watermarkTemplateFor, watermarkTextAt, watermarkTime } from '../../../common/watermark/watermarkText';
import { SessionWatermark } from '../../../main/watermark/sessionWatermark';
import type { Identity } from '../../../common/auth/identity';

const identity = (name: string): Identity => ({ subject: `sub-${name}`, name, email: `${name.toLowerCase()}@example.test`, roles: ['va'], authTime: 1, mfaMethods: ['pwd', 'otp'], acr: null });

describe('session codes', () => {
  it('are 8 unambiguous characters from 40 random bits', () => {
    expect(sessionCode(new Uint8Array([0, 0, 0, 0, 0]))).toBe('0000-0000');
    expect(sessionCode(new Uint8Array([255, 255, 255, 255, 255]))).toBe('ZZZZ-ZZZZ');
    expect(sessionCode(new Uint8Array([0x12, 0x34, 0x56, 0x78, 0x9a]))).toBe('28T5-CY4T');
    for (let i = 0; i < 200; i += 1) expect(sessionCode(crypto.getRandomValues(new Uint8Array(5)))).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
  });

  it('need five random bytes', () => {
    expect(() => sessionCode(new Uint8Array(4))).toThrow(RangeError);
  });
});

describe('watermark text', () => {
  it('fills the template, leaving {time} for the page-side layer to update each minute', () => {
    const template = watermarkTemplateFor('{user} · {email} · {practice} · {device} · {session} · {time}', { user: 'Valerie', email: 'valerie@example.test', practice: 'Sunrise', device: 'va-laptop-7', session: '7K2M-QX4P' });
    expect(template).toBe('Valerie · valerie@example.test · Sunrise · va-laptop-7 · 7K2M-QX4P · {time}');
    expect(watermarkTextAt(template, new Date(2026, 10, 25, 9, 5, 59))).toBe('Valerie · valerie@example.test · Sunrise · va-laptop-7 · 7K2M-QX4P · 2026-11-25 09:05');
  });

  it('drops control characters a claim might carry', () => {
    expect(watermarkTemplateFor('{user}', { user: 'Val\u0000erie\n', email: '', practice: '', device: '', session: '' })).toBe('Valerie');
  });

  it('formats the time to the minute', () => {
    expect(watermarkTime(new Date(2027, 0, 2, 3, 4))).toBe('2027-01-02 03:04');
  });
});

describe('session watermark in main', () => {
  const policy = { practice: { name: 'Sunrise Family Medicine' }, watermark: { template: '{user} · {practice} · {device} · {session} · {time}', opacity: 0.12 } };

  it('keeps one code per sign-in and a new one for the next', () => {
    let next = 0;
    const sessions = new SessionWatermark(policy, 'va-laptop-7', (size) => new Uint8Array(size).fill((next += 1)));
    const first = identity('Valerie');
    expect(sessions.codeFor(first)).toBe(sessions.codeFor(first));
    expect(sessions.codeFor(identity('Valerie'))).not.toBe(sessions.codeFor(first));
    expect(sessions.watermarkFor(first)).toEqual({ text: `Valerie · Sunrise Family Medicine · va-laptop-7 · ${sessions.codeFor(first)} · {time}`, opacity: 0.12 });
  });

  it('has no watermark, and so hosts nothing, while nobody is signed in', () => {
    expect(new SessionWatermark(policy, 'va-laptop-7').watermarkFor(null)).toBeNull();
  });
});
