// Checks policy content against the schema and words each problem as IT reads the file:
// an app by its id (`policy.apps[ehr].printing`, not `policy.apps.0.printing`), and an
// unknown field with the known one it most likely meant.
import { z } from 'zod';
import { closestName } from './closestName';
import { appId, policyV1Schema, type Policy } from './policySchema';

export interface FieldProblem {
  field: string;
  reason: string;
}

export type PolicyValidation = { ok: true; policy: Policy } | { ok: false; problems: FieldProblem[] };

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The app's id when it names exactly one app, else its position in the list. */
function appLabel(document: unknown, index: number): string | number {
  const apps: unknown[] = isRecord(document) && Array.isArray(document.apps) ? document.apps : [];
  const ids = apps.map((app) => (isRecord(app) ? app.id : undefined));
  const id = ids[index];
  return typeof id === 'string' && appId.safeParse(id).success && ids.filter((other) => other === id).length === 1 ? id : index;
}

/** `prefix.apps[ehr].navigationOrigins[0]`: list items in brackets, an app by its id where that is unambiguous. */
export function fieldName(prefix: string, path: readonly PropertyKey[], document?: unknown): string {
  return path.reduce<string>((name, segment, depth) => {
    if (typeof segment !== 'number') return `${name}.${String(segment)}`;
    return `${name}[${depth === 1 && path[0] === 'apps' ? appLabel(document, segment) : segment}]`;
  }, prefix);
}

function unwrap(schema: z.ZodType): z.ZodType {
  return schema instanceof z.ZodDefault || schema instanceof z.ZodOptional ? unwrap(schema.unwrap() as z.ZodType) : schema;
}

/** The field names the schema allows in the object at `path`. */
function knownFields(path: readonly PropertyKey[]): string[] {
  let schema: z.ZodType | undefined = policyV1Schema;
  for (const segment of path) {
    const current: z.ZodType = unwrap(schema);
    if (current instanceof z.ZodArray) schema = current.element as z.ZodType;
    else if (current instanceof z.ZodObject && typeof segment === 'string') schema = (current.shape as Record<string, z.ZodType | undefined>)[segment];
    else return [];
    if (schema === undefined) return [];
  }
  const target = unwrap(schema);
  return target instanceof z.ZodObject ? Object.keys(target.shape) : [];
}

function unknownFieldReason(field: string, known: readonly string[]): string {
  const guess = closestName(field, known);
  if (guess !== undefined) return `unknown field; did you mean "${guess}"?`;
  return known.length === 0 ? 'unknown field' : `unknown field; the fields here are ${known.join(', ')}`;
}

/** Validates a policy object (the `policy` inside a signed file, or a bare one). */
export function validatePolicy(document: unknown): PolicyValidation {
  const result = policyV1Schema.safeParse(document);
  if (result.success) return { ok: true, policy: result.data };
  const problems = result.error.issues.flatMap((issue): FieldProblem[] =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ field: fieldName('policy', [...issue.path, key], document), reason: unknownFieldReason(key, knownFields(issue.path)) }))
      : [{ field: fieldName('policy', issue.path, document), reason: issue.message }],
  );
  return { ok: false, problems };
}
