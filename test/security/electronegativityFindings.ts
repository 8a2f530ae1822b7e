// Electronegativity exits 0 whatever it finds, so Cordon parses its CSV report and
// decides itself: every finding must be in the allowlist, with a reason.

export interface Finding {
  issue: string;
  severity: string;
  confidence: string;
  file: string;
  location: string;
  description: string;
}

export interface AllowedFinding {
  issue: string;
  file: string;
  reason: string;
}

/** Parses one CSV record line with double-quoted fields ("" escapes a quote). */
function parseCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i += 1) {
    const char = line[i];
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      fields.push(field.trim());
      field = '';
    } else field += char;
  }
  fields.push(field.trim());
  return fields;
}

export function parseFindings(csv: string): Finding[] {
  const [header, ...rows] = csv.split(/\r?\n/).filter((line) => line.trim() !== '');
  if (header === undefined || !header.startsWith('issue,')) throw new Error('not an Electronegativity CSV report (missing header)');
  return rows.map((row) => {
    const [issue = '', severity = '', confidence = '', file = '', location = '', , description = ''] = parseCsvLine(row);
    return { issue, severity, confidence, file, location, description };
  });
}

export function unexpectedFindings(findings: readonly Finding[], allowlist: readonly AllowedFinding[]): Finding[] {
  return findings.filter((f) => !allowlist.some((a) => a.issue === f.issue && a.file === f.file));
}

export function staleAllowances(findings: readonly Finding[], allowlist: readonly AllowedFinding[]): AllowedFinding[] {
  return allowlist.filter((a) => !findings.some((f) => a.issue === f.issue && a.file === f.file));
}
