// `cordon-policy reg`: a .reg file setting HKLM\SOFTWARE\Policies\Cordon\SignedPolicy to
// the signed policy, as regedit exports a REG_MULTI_SZ (hex(7): UTF-16LE, each string
// NUL-terminated, the list ended by an empty string). For testing a machine by hand or a
// script; Group Policy and Intune use the ADMX template.
import { POLICY_VALUE_NAME, policyRegistryStrings, WINDOWS_POLICY_KEY } from '../managedPolicySources';

/** Bytes per line of hex, as regedit wraps them (a trailing backslash continues the line). */
const BYTES_PER_LINE = 25;

export function regFile(signedText: string): string {
  const bytes = Buffer.from(`${policyRegistryStrings(signedText).join('\0')}\0\0`, 'utf16le');
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0'));
  const lines: string[] = [];
  for (let at = 0; at < hex.length; at += BYTES_PER_LINE) lines.push(hex.slice(at, at + BYTES_PER_LINE).join(','));
  return ['Windows Registry Editor Version 5.00', '', `[HKEY_LOCAL_MACHINE\\${WINDOWS_POLICY_KEY}]`, `"${POLICY_VALUE_NAME}"=hex(7):${lines.join(',\\\r\n  ')}`, ''].join('\r\n');
}
