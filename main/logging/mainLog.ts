// Main's own console output. Logs end up in places Cordon does not control (a terminal,
// the system journal, a support ticket), so a line never carries a URL beyond its origin:
// a path or query may hold PHI (a patient id, a search). Every console line of main goes
// through here (test/unit/main/mainLog.test.ts checks the sources).
import { auditableOrigin } from '../../common/audit/auditSink';

const URL_LIKE = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`]*/gi;

/** The text with every URL cut to its origin (or scheme and host). */
export function originsOnly(text: string): string {
  return text.replace(URL_LIKE, (url) => auditableOrigin(url));
}

export interface MainLog {
  error(text: string): void;
}

export function mainLog(sink: Pick<Console, 'error'> = console): MainLog {
  return { error: (text) => sink.error(originsOnly(text)) };
}
