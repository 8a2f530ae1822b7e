// `cordon-policy mobileconfig`: a configuration profile that installs the signed policy as
// managed preferences for Cordon's bundle id (the SignedPolicy key Cordon reads), for Jamf,
// Kandji, Intune or any MDM; and the JSON schema Jamf Pro's "Application & Custom Settings"
// takes, so IT can paste the policy there instead. The profile's UUIDs come from the
// policy's id and serial: the same policy gives the same profile, a new serial a new one.
import { createHash } from 'node:crypto';
import plist from 'plist';
import { MAC_PREFERENCE_DOMAIN } from '../policyLocations';
import { POLICY_VALUE_NAME } from '../managedPolicySources';
import { policySectionsSentence } from './policySections';

function uuidFrom(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((Number.parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`.toUpperCase();
}

export interface ProfileIdentity {
  policyId: string;
  serial: number;
  practice: string;
}

export function mobileconfig(signedText: string, who: ProfileIdentity): string {
  const seed = `${who.policyId}#${who.serial}`;
  return plist.build({
    PayloadContent: [
      {
        PayloadType: MAC_PREFERENCE_DOMAIN,
        PayloadVersion: 1,
        PayloadIdentifier: `${MAC_PREFERENCE_DOMAIN}.policy.${who.policyId}`,
        PayloadUUID: uuidFrom(`payload:${seed}`),
        PayloadDisplayName: `Cordon policy ${who.policyId} (serial ${who.serial})`,
        [POLICY_VALUE_NAME]: JSON.stringify(JSON.parse(signedText)),
      },
    ],
    PayloadDisplayName: `Cordon managed policy (${who.practice})`,
    PayloadDescription: policySectionsSentence(),
    PayloadIdentifier: `${MAC_PREFERENCE_DOMAIN}.profile.${who.policyId}`,
    PayloadOrganization: who.practice,
    PayloadScope: 'System',
    PayloadType: 'Configuration',
    PayloadUUID: uuidFrom(`profile:${seed}`),
    PayloadVersion: 1,
    PayloadRemovalDisallowed: true,
  });
}

/** Jamf Pro custom schema (JSON Schema, draft-like subset Jamf renders as a form). */
export function jamfSchema(): string {
  return `${JSON.stringify(
    {
      title: `Cordon (${MAC_PREFERENCE_DOMAIN})`,
      description: policySectionsSentence(),
      type: 'object',
      properties: {
        [POLICY_VALUE_NAME]: {
          title: 'Signed policy',
          description: 'The whole signed policy file from cordon-policy sign, pasted as one value.',
          type: 'string',
          options: { inputAttributes: { placeholder: '{"format":"cordon-policy/1", …}' } },
        },
      },
      required: [POLICY_VALUE_NAME],
    },
    null,
    2,
  )}\n`;
}
