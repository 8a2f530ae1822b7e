// The policy's sections as IT reads them in each template's description, taken from the
// policy schema itself so a template never describes a policy Cordon does not have.
import { policyV1Schema } from '../../../common/policy/policySchema';

export function policySectionsSentence(): string {
  return `The signed policy document (from cordon-policy sign) sets every control: ${Object.keys(policyV1Schema.shape).join(', ')}. Cordon checks its signature and refuses it whole if anything was changed.`;
}
