// The watermark reaches hosted pages over IPC, answered only to a hosted top frame.
import { describe, expect, it } from 'vitest';
import { GUARD_WATERMARK_CHANNEL } from '../../../common/hosting/guardProtocol';
import { originsOnlyRules } from '../../../common/hosting/hostedAppRules';
import { registerGuardWatermark, type WatermarkRequestEvent } from '../../../main/hosting/guardWatermark';
import { RecordingAuditSink } from '../../support/electronFakes';

const WATERMARK = { text: 'Valerie Demo · 7K2M-QX4P · {time}', opacity: 0.12 };

function setup(signedIn = true) {
  const audit = new RecordingAuditSink();
  let listener: ((event: WatermarkRequestEvent) => void) | null = null;
  const rules = originsOnlyRules('ehr', { navigation: ['https://ehr.example.com'], request: ['https://ehr.example.com'] }, false);
  registerGuardWatermark(
    {
      on: (channel, l) => {
        expect(channel).toBe(GUARD_WATERMARK_CHANNEL);
        listener = l;
      },
    },
    (id) => (id === 7 ? rules : null),
    () => (signedIn ? WATERMARK : null),
    audit,
  );
  const ask = (senderId: number, senderFrame: WatermarkRequestEvent['senderFrame']) => {
    const event: WatermarkRequestEvent = { sender: { id: senderId }, senderFrame, returnValue: undefined };
    if (listener === null) throw new Error('no listener registered');
    listener(event);
    return event.returnValue;
  };
  return { audit, ask };
}

describe('the watermark channel', () => {
  it("answers a hosted app's top frame with main's watermark", () => {
    const { ask, audit } = setup();
    expect(ask(7, { parent: null })).toEqual(WATERMARK);
    expect(audit.events).toEqual([]);
  });

  it('answers null, and audits, to a sender that is not a hosted app', () => {
    const { ask, audit } = setup();
    expect(ask(99, { parent: null })).toBeNull();
    expect(audit.events).toEqual([{ type: 'ipc.refused', outcome: 'blocked', reason: `${GUARD_WATERMARK_CHANNEL}: sender is not a hosted app` }]);
  });

  it('answers null to a sub-frame or a frame already gone', () => {
    const { ask, audit } = setup();
    expect(ask(7, { parent: { url: 'https://ehr.example.com/' } })).toBeNull();
    expect(ask(7, null)).toBeNull();
    expect(audit.events.map((e) => [e.appId, e.reason])).toEqual([
      ['ehr', `${GUARD_WATERMARK_CHANNEL}: sender is not a top frame`],
      ['ehr', `${GUARD_WATERMARK_CHANNEL}: sender is not a top frame`],
    ]);
  });

  it('answers null while nobody is signed in (the guard then draws the unidentified mark)', () => {
    const { ask } = setup(false);
    expect(ask(7, { parent: null })).toBeNull();
  });
});
