// Each sign-in gets a short session code; the watermark over every hosted page shows it
// with who is looking, and every audit event of the session carries it, so a photo of
// the screen leads the collector to the session.
import { randomBytes } from 'node:crypto';
import type { Identity } from '../../common/auth/identity';
import type { GuardWatermark } from '../../common/hosting/guardProtocol';
import type { Policy } from '../../common/policy/policySchema';
import { sessionCode, watermarkTemplateFor } from '../../common/watermark/watermarkText';

export class SessionWatermark {
  /** One code per sign-in: a new Identity object is a new session. */
  private readonly codes = new WeakMap<Identity, string>();

  constructor(
    private readonly policy: Pick<Policy, 'practice' | 'watermark'>,
    private readonly deviceName: string,
    private readonly random: (size: number) => Uint8Array = randomBytes,
  ) {}

  codeFor(identity: Identity): string {
    let code = this.codes.get(identity);
    if (code === undefined) {
      code = sessionCode(this.random(5));
      this.codes.set(identity, code);
    }
    return code;
  }

  watermarkFor(identity: Identity | null): GuardWatermark | null {
    if (identity === null) return null;
    const text = watermarkTemplateFor(this.policy.watermark.template, {
      user: identity.name,
      email: identity.email,
      practice: this.policy.practice.name,
      device: this.deviceName,
      session: this.codeFor(identity),
    });
    return { text, opacity: this.policy.watermark.opacity };
  }
}
