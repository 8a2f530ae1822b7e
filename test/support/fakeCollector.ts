// Test double of the collector's protocol (the real collector cannot be told to
// misbehave): enrolls anyone, stores batches that continue its head, answers a gap with
// 409 and expectedSeq. Its state and its next answers are the test's to set.
import { GENESIS_LINK_HEX, type EnrollmentRequest, type EventBatch } from '../../common/audit/syncProtocol';
import { TransportError, type SyncRequest, type SyncResponse, type SyncTransport } from '../../main/audit/syncTransport';

export const json = (status: number, body: unknown, retryAfter: string | null = null): SyncResponse => ({ status, body: JSON.stringify(body), retryAfter });

export class FakeCollector implements SyncTransport {
  readonly requests: SyncRequest[] = [];
  readonly enrollments: EnrollmentRequest[] = [];
  readonly enrolled = new Set<string>();
  readonly stored = new Map<number, { body: string; link: string }>();
  head = { seq: 0, link: GENESIS_LINK_HEX };
  down = false;
  /** Answers given instead of the normal ones, first to last. */
  readonly forced: SyncResponse[] = [];

  async send(request: SyncRequest): Promise<SyncResponse> {
    this.requests.push(request);
    if (this.down) throw new TransportError('connect ECONNREFUSED (fake collector down)');
    const forced = this.forced.shift();
    if (forced !== undefined) return forced;
    const path = new URL(request.url).pathname;
    if (path === '/v1/enroll') {
      const enrollment = JSON.parse(request.body ?? '') as EnrollmentRequest;
      this.enrollments.push(enrollment);
      this.enrolled.add(enrollment.deviceId);
      return json(201, { deviceId: enrollment.deviceId, acknowledgedSeq: this.head.seq, acknowledgedLink: this.head.link });
    }
    const deviceId = request.headers['cordon-device'] ?? '';
    if (!this.enrolled.has(deviceId)) return json(401, { error: 'unknown-device', message: `device ${deviceId} is not enrolled` });
    if (path === '/v1/devices/self') return json(200, { deviceId, acknowledgedSeq: this.head.seq, acknowledgedLink: this.head.link });
    const batch = JSON.parse(request.body ?? '') as EventBatch;
    const first = batch.events[0]?.seq ?? 0;
    if (first > this.head.seq + 1) return json(409, { error: 'gap', message: `expected ${this.head.seq + 1}`, expectedSeq: this.head.seq + 1 });
    for (const event of batch.events) {
      if (event.seq <= this.head.seq) continue;
      this.stored.set(event.seq, { body: event.body, link: event.link });
      this.head = { seq: event.seq, link: event.link };
    }
    return json(200, { acknowledgedSeq: this.head.seq, acknowledgedLink: this.head.link });
  }

  /** Forgets everything after `seq` (a collector restored from an old backup). */
  rollBackTo(seq: number): void {
    for (const key of [...this.stored.keys()]) if (key > seq) this.stored.delete(key);
    this.head = { seq, link: seq === 0 ? GENESIS_LINK_HEX : (this.stored.get(seq)?.link ?? '') };
  }

  posts(): number {
    return this.requests.filter((r) => r.url.endsWith('/v1/events')).length;
  }
}
