// Main's check of what a hosted page's guard reports: the page shares a renderer with
// the guard and could send anything on the report channel.
import { z } from 'zod';
import { GUARD_BLOCKS, type GuardReport } from './guardProtocol';

export const guardReportSchema: z.ZodType<GuardReport> = z
  .object({
    block: z.enum(GUARD_BLOCKS),
    origin: z
      .string()
      .max(300)
      .regex(/^([a-z][a-z0-9+.-]*:(\/\/[^/?#\s]*)?|invalid-url)$/, 'must be an origin or a scheme, not a URL')
      .optional(),
    reason: z.string().max(64).regex(/^[a-z0-9-]+$/),
  })
  .strict();
