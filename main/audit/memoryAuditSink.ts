// Interim audit sink until the encrypted queue lands: keeps events in memory and echoes
// each one to an optional line writer (events carry no PHI, so they may be logged).
import type { AuditEvent, AuditEventInput, AuditSink } from '../../common/audit/auditSink';

export class MemoryAuditSink implements AuditSink {
  readonly events: AuditEvent[] = [];

  constructor(
    private readonly echo: (line: string) => void = () => undefined,
    private readonly now: () => Date = () => new Date(),
  ) {}

  record(event: AuditEventInput): void {
    const stored = { ...event, recordedAt: this.now().toISOString() };
    this.events.push(stored);
    this.echo(`AUDIT ${JSON.stringify(stored)}`);
  }
}
