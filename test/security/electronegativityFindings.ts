// Electronegativity exits 0 whatever it finds, so Cordon reads its report and decides
// itself: every finding must be in the allowlist, with a reason. The SARIF report is
// used because the tool's CSV writer races its own header write and can garble lines.
import { z } from 'zod';

export interface Finding {
  issue: string;
  level: string;
  /** Path relative to the scanned folder, or "N/A" for whole-application checks. */
  file: string;
  location: string;
  description: string;
}

export interface AllowedFinding {
  issue: string;
  file: string;
  reason: string;
}

const sarifSchema = z.object({
  runs: z
    .array(
      z.object({
        results: z.array(
          z.object({
            ruleId: z.string(),
            level: z.string(),
            message: z.object({ text: z.string() }),
            locations: z
              .array(
                z.object({
                  physicalLocation: z.object({
                    artifactLocation: z.object({ uri: z.string() }),
                    region: z.object({ startLine: z.number(), startColumn: z.number() }).optional(),
                  }),
                }),
              )
              .min(1),
          }),
        ),
      }),
    )
    .length(1),
});

export function parseFindings(sarif: string): Finding[] {
  let document: unknown;
  try {
    document = JSON.parse(sarif);
  } catch {
    throw new Error('not an Electronegativity SARIF report (not JSON)');
  }
  const parsed = sarifSchema.safeParse(document);
  if (!parsed.success) throw new Error(`not an Electronegativity SARIF report: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return (parsed.data.runs[0]?.results ?? []).map((result) => {
    const location = result.locations[0]?.physicalLocation;
    const uri = location?.artifactLocation.uri ?? 'file:///';
    return {
      issue: result.ruleId,
      level: result.level,
      file: uri === 'file:///' ? 'N/A' : uri,
      location: location?.region === undefined ? '0:0' : `${location.region.startLine}:${location.region.startColumn}`,
      description: result.message.text,
    };
  });
}

export function unexpectedFindings(findings: readonly Finding[], allowlist: readonly AllowedFinding[]): Finding[] {
  return findings.filter((f) => !allowlist.some((a) => a.issue === f.issue && a.file === f.file));
}

export function staleAllowances(findings: readonly Finding[], allowlist: readonly AllowedFinding[]): AllowedFinding[] {
  return allowlist.filter((a) => !findings.some((f) => a.issue === f.issue && a.file === f.file));
}
