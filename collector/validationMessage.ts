// Turns zod issues into a short message: paths and rules, never the offending values.
// `codes` also leaves out zod's messages (which may quote a sender's key names), for text
// that is stored, such as alert details.
import type { z } from 'zod';

export function describeIssues(error: z.ZodError, detail: 'messages' | 'codes', limit = 5): string {
  const shown = error.issues.slice(0, limit).map((issue) => `${issue.path.join('.') || '(body)'}: ${detail === 'messages' ? issue.message : issue.code}`);
  const more = error.issues.length > limit ? ` (and ${error.issues.length - limit} more)` : '';
  return `${shown.join('; ')}${more}`;
}
