// The reason of an agreement event (agreement.accepted, agreement.declined): which
// document, which version, the SHA-256 of the text the VA saw, and how the VA signed in
// (the IdP's amr methods). Never the text. The subject and session code travel in the
// event's own fields. One writer (main) and one reader (the collector), both from here,
// and always within the 200 characters an event reason may have.
import { agreementIdSchema, agreementVersionSchema, sha256HexSchema } from '../policy/policySchema';

export interface AgreementEventFacts {
  documentId: string;
  version: string;
  sha256: string;
  /** The `amr` methods of the VA's sign-in, e.g. ["pwd", "otp"]. */
  mfaMethods: readonly string[];
}

/** An event reason's longest form (the wire limit). */
export const AGREEMENT_REASON_MAX = 200;

const AMR_METHOD = /^[A-Za-z0-9_.-]{1,16}$/;
const REASON = /^([^@\s]+)@(\S+) sha256:(\S+) amr:(\S*)$/;

/** `confidentiality@2027-1 sha256:<64 hex> amr:pwd+otp`; methods that would not fit, or are not plain words, are left out. */
export function agreementEventReason(facts: AgreementEventFacts): string {
  const head = `${facts.documentId}@${facts.version} sha256:${facts.sha256} amr:`;
  const methods: string[] = [];
  for (const method of facts.mfaMethods.filter((m) => AMR_METHOD.test(m))) {
    if (`${head}${[...methods, method].join('+')}`.length > AGREEMENT_REASON_MAX) break;
    methods.push(method);
  }
  return `${head}${methods.join('+')}`;
}

/** The facts in a reason written by agreementEventReason, or null when it is not one. */
export function parseAgreementEventReason(reason: string): AgreementEventFacts | null {
  const match = REASON.exec(reason);
  if (match === null || reason.length > AGREEMENT_REASON_MAX) return null;
  const [, documentId = '', version = '', sha256 = '', amr = ''] = match;
  const mfaMethods = amr === '' ? [] : amr.split('+');
  const valid = agreementIdSchema.safeParse(documentId).success && agreementVersionSchema.safeParse(version).success && sha256HexSchema.safeParse(sha256).success && mfaMethods.every((m) => AMR_METHOD.test(m));
  return valid ? { documentId, version, sha256, mfaMethods } : null;
}
