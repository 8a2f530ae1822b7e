// `cordon-policy admx`: the Group Policy / Intune administrative template. One machine
// policy, "Cordon signed policy", whose multi-line box holds the signed policy document
// and writes it to HKLM\SOFTWARE\Policies\Cordon\SignedPolicy (REG_MULTI_SZ), the value
// Cordon reads (managedPolicySources). The controls themselves are not separate settings:
// each would bypass the signature.
import { POLICY_VALUE_NAME, WINDOWS_POLICY_KEY } from '../managedPolicySources';
import { policySectionsSentence } from './policySections';

export const ADMX_FILE = 'Cordon.admx';
export const ADML_FILE = 'en-US/Cordon.adml';

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function admxTemplate(): { admx: string; adml: string } {
  const admx = `<?xml version="1.0" encoding="utf-8"?>
<policyDefinitions xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" revision="1.0" schemaVersion="1.0" xmlns="http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions">
  <policyNamespaces>
    <target prefix="cordon" namespace="Cordon.Policies.Cordon" />
  </policyNamespaces>
  <resources minRequiredRevision="1.0" />
  <supportedOn>
    <definitions>
      <definition name="SUPPORTED_WIN10" displayName="$(string.SUPPORTED_WIN10)" />
    </definitions>
  </supportedOn>
  <categories>
    <category name="Cordon" displayName="$(string.Cordon)" />
  </categories>
  <policies>
    <policy name="${POLICY_VALUE_NAME}" class="Machine" displayName="$(string.${POLICY_VALUE_NAME})" explainText="$(string.${POLICY_VALUE_NAME}_Explain)" presentation="$(presentation.${POLICY_VALUE_NAME})" key="${WINDOWS_POLICY_KEY}">
      <parentCategory ref="Cordon" />
      <supportedOn ref="SUPPORTED_WIN10" />
      <elements>
        <multiText id="${POLICY_VALUE_NAME}" valueName="${POLICY_VALUE_NAME}" required="true" maxLength="1023" />
      </elements>
    </policy>
  </policies>
</policyDefinitions>
`;
  const explain = `${policySectionsSentence()} Paste the whole signed file (npm run policy -- reg writes the same value as a .reg file). Machine scope only: Cordon ignores, and records in its audit trail, the same value under HKEY_CURRENT_USER. When this setting holds a policy that is not validly signed, Cordon refuses to open rather than use another policy.`;
  const adml = `<?xml version="1.0" encoding="utf-8"?>
<policyDefinitionResources xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" revision="1.0" schemaVersion="1.0" xmlns="http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions">
  <displayName>Cordon</displayName>
  <description>Cordon secure workspace</description>
  <resources>
    <stringTable>
      <string id="Cordon">Cordon</string>
      <string id="SUPPORTED_WIN10">Windows 10 or later</string>
      <string id="${POLICY_VALUE_NAME}">Cordon signed policy</string>
      <string id="${POLICY_VALUE_NAME}_Explain">${escapeXml(explain)}</string>
    </stringTable>
    <presentationTable>
      <presentation id="${POLICY_VALUE_NAME}">
        <multiTextBox refId="${POLICY_VALUE_NAME}" defaultHeight="20">Signed policy document (the whole JSON file)</multiTextBox>
      </presentation>
    </presentationTable>
  </resources>
</policyDefinitionResources>
`;
  return { admx, adml };
}
