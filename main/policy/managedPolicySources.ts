// Where MDM puts Cordon's signed policy, read the way each OS's management tools write it:
// Windows, the machine-scope policy key Group Policy and Intune write
// (HKLM\SOFTWARE\Policies\Cordon, value SignedPolicy); macOS, the managed preferences a
// configuration profile installs for Cordon's bundle id; Linux, /etc/cordon/policy.json.
// Only places an administrator controls count: a user-scope registry value or a
// preference the user set is ignored, and reported so it is audited. A managed file that
// anyone but root could have written is refused, with that reason.
import { readFileSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import plist from 'plist';
import { isBinaryPlist, parseBinaryPlist, type PlistValue } from './binaryPlist';

/** The registry value and preference key that hold the signed policy document. */
export const POLICY_VALUE_NAME = 'SignedPolicy';
export const WINDOWS_POLICY_KEY = 'SOFTWARE\\Policies\\Cordon';

/** A place that holds a policy Cordon does not take, and why (audited at start, by code). */
export interface IgnoredPolicy {
  code: 'user-scope-registry-value' | 'user-preference';
  where: string;
  why: string;
}

export type ManagedRead =
  | { kind: 'found'; text: string; where: string; ignored: IgnoredPolicy[] }
  | { kind: 'absent'; ignored: IgnoredPolicy[] }
  /** Present, but it cannot be trusted or read: never a reason to fall back to the bundled policy. */
  | { kind: 'refused'; where: string; reason: string; ignored: IgnoredPolicy[] };

export interface ManagedPolicySource {
  /** Where it looks, for messages ("the registry key HKLM\…", a path). */
  where: string;
  read(): ManagedRead;
}

export interface FileAccess {
  stat(file: string): Pick<Stats, 'uid' | 'gid' | 'mode' | 'isFile' | 'isDirectory'>;
  read(file: string): Buffer;
}

export const realFiles: FileAccess = { stat: (file) => statSync(file), read: (file) => readFileSync(file) };

const missing = (error: unknown) => typeof error === 'object' && error !== null && 'code' in error && (error.code === 'ENOENT' || error.code === 'ENOTDIR');
const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Why `file` (and its folder) may have been written by someone other than root, or null. */
export function notRootControlled(file: string, files: FileAccess): string | null {
  for (const [what, target] of [['the file', file], ['its folder', path.dirname(file)]] as const) {
    const st = files.stat(target);
    if (st.uid !== 0) return `${what} ${target} is owned by user id ${st.uid}, not root`;
    if ((st.mode & 0o002) !== 0) return `${what} ${target} is writable by every user`;
    if ((st.mode & 0o020) !== 0 && st.gid !== 0) return `${what} ${target} is writable by group id ${st.gid}`;
  }
  return null;
}

/**
 * A policy file. `rootControlled`: the OS path, which must be root's alone (a development
 * build's override path is the developer's own file and skips the check).
 */
export function policyFile(file: string, { rootControlled, files = realFiles }: { rootControlled: boolean; files?: FileAccess }): ManagedPolicySource {
  return {
    where: file,
    read: () => {
      let bytes: Buffer;
      try {
        if (rootControlled) {
          const problem = notRootControlled(file, files);
          if (problem !== null) return { kind: 'refused', where: file, reason: `the managed policy is not protected: ${problem}; make it root's and writable only by root (chown root:root, chmod 644)`, ignored: [] };
        }
        bytes = files.read(file);
      } catch (error) {
        if (missing(error)) return { kind: 'absent', ignored: [] };
        return { kind: 'refused', where: file, reason: `cannot read the managed policy: ${message(error)}`, ignored: [] };
      }
      return { kind: 'found', text: bytes.toString('utf8'), where: file, ignored: [] };
    },
  };
}

/**
 * The first of `sources` that holds a policy, in order. A source that holds one it cannot
 * use ends the search: the next source is never a fallback for a broken one.
 */
export function firstManaged(sources: readonly ManagedPolicySource[]): ManagedPolicySource {
  return {
    where: sources.map((s) => s.where).join(', then '),
    read: () => {
      const ignored: IgnoredPolicy[] = [];
      for (const source of sources) {
        const read = source.read();
        ignored.push(...read.ignored);
        if (read.kind !== 'absent') return { ...read, ignored };
      }
      return { kind: 'absent', ignored };
    },
  };
}

// ---- Windows: the registry, through reg.exe (no native module needed) ----

export type RunCommand = (file: string, args: readonly string[]) => { status: number | null; stdout: string; stderr: string };

export interface RegistryValue {
  type: string;
  /** REG_SZ: one string; REG_MULTI_SZ: its strings. */
  strings: string[];
}

/**
 * The values `reg query KEY [/v NAME]` printed: one line per value, "    NAME    TYPE    DATA",
 * REG_MULTI_SZ strings joined by a literal \0.
 */
export function parseRegQuery(stdout: string): Map<string, RegistryValue> {
  const values = new Map<string, RegistryValue>();
  for (const line of stdout.split(/\r?\n/)) {
    const match = /^ {4}(.+?) {4}(REG_[A-Z_]+)(?: {4}(.*))?$/.exec(line);
    if (match === null) continue;
    const [, name, type, data = ''] = match as unknown as [string, string, string, string | undefined];
    values.set(name, { type, strings: type === 'REG_MULTI_SZ' ? data.split('\\0') : [data] });
  }
  return values;
}

const REG_NOT_FOUND = 1;

/** Group Policy's editor takes at most 1023 characters per string of a multi-line value. */
export const REGISTRY_STRING_LENGTH = 1000;

/**
 * The signed policy as the strings of a REG_MULTI_SZ: its compact JSON cut into pieces
 * Group Policy can hold. The reader joins them with nothing between, so a cut inside a
 * string changes nothing, and pretty-printed lines pasted by hand join to valid JSON too.
 */
export function policyRegistryStrings(signedText: string): string[] {
  const compact = JSON.stringify(JSON.parse(signedText));
  const strings: string[] = [];
  for (let at = 0; at < compact.length; at += REGISTRY_STRING_LENGTH) strings.push(compact.slice(at, at + REGISTRY_STRING_LENGTH));
  return strings;
}

/**
 * HKLM\SOFTWARE\Policies\Cordon (64-bit view), value SignedPolicy: a REG_MULTI_SZ (the
 * ADMX template's multi-line box; its strings joined with nothing between), or one
 * REG_SZ. The same value under HKCU is a user's own setting: ignored, reported.
 */
export function windowsRegistryPolicy(run: RunCommand, regExe = 'C:\\Windows\\System32\\reg.exe'): ManagedPolicySource {
  const query = (hive: 'HKLM' | 'HKCU') => run(regExe, ['query', `${hive}\\${WINDOWS_POLICY_KEY}`, '/v', POLICY_VALUE_NAME, '/reg:64']);
  const machineKey = `HKLM\\${WINDOWS_POLICY_KEY}`;
  return {
    where: `the registry value ${machineKey}\\${POLICY_VALUE_NAME}`,
    read: () => {
      const ignored: IgnoredPolicy[] = [];
      let user: ReturnType<RunCommand>;
      try {
        user = query('HKCU');
      } catch {
        user = { status: REG_NOT_FOUND, stdout: '', stderr: '' };
      }
      if (user.status === 0 && parseRegQuery(user.stdout).has(POLICY_VALUE_NAME)) {
        ignored.push({ code: 'user-scope-registry-value', where: `HKCU\\${WINDOWS_POLICY_KEY}\\${POLICY_VALUE_NAME}`, why: 'a user-scope value: only the machine-scope policy (HKLM) counts' });
      }
      let machine: ReturnType<RunCommand>;
      try {
        machine = query('HKLM');
      } catch (error) {
        return { kind: 'refused', where: machineKey, reason: `cannot run reg.exe to read the managed policy: ${message(error)}`, ignored };
      }
      // reg.exe exits 1 with "unable to find" when the key or value does not exist.
      if (machine.status === REG_NOT_FOUND && /unable to find/i.test(machine.stderr)) return { kind: 'absent', ignored };
      if (machine.status !== 0) return { kind: 'refused', where: machineKey, reason: `reg.exe could not read the managed policy (exit ${String(machine.status)}): ${machine.stderr.trim()}`, ignored };
      const value = parseRegQuery(machine.stdout).get(POLICY_VALUE_NAME);
      if (value === undefined) return { kind: 'absent', ignored };
      if (value.type !== 'REG_SZ' && value.type !== 'REG_MULTI_SZ') return { kind: 'refused', where: `${machineKey}\\${POLICY_VALUE_NAME}`, reason: `the value is ${value.type}; it must be REG_MULTI_SZ (or REG_SZ) holding the signed policy`, ignored };
      return { kind: 'found', text: value.strings.join(''), where: `${machineKey}\\${POLICY_VALUE_NAME}`, ignored };
    },
  };
}

// ---- macOS: managed preferences ----

/** A property list file's top-level dictionary, XML or binary. */
export function readPlistDictionary(bytes: Buffer): Record<string, PlistValue> {
  const value: unknown = isBinaryPlist(bytes) ? parseBinaryPlist(bytes) : plist.parse(bytes.toString('utf8'));
  if (typeof value !== 'object' || value === null || Array.isArray(value) || Buffer.isBuffer(value) || value instanceof Date) throw new Error('the property list is not a dictionary');
  return value as Record<string, PlistValue>;
}

/**
 * What a configuration profile installs for `domain`: the computer-scope file, then the
 * user-scope one MDM writes under the user's name; both root's. The user's own
 * ~/Library/Preferences holds what the user set: ignored, reported.
 */
export function macManagedPreferences(domain: string, { user, home, files = realFiles }: { user: string; home: string; files?: FileAccess }): ManagedPolicySource {
  const managedDir = '/Library/Managed Preferences';
  const candidates = [path.posix.join(managedDir, `${domain}.plist`), path.posix.join(managedDir, user, `${domain}.plist`)];
  const userOwn = path.posix.join(home, 'Library/Preferences', `${domain}.plist`);
  return {
    where: `the managed preferences for ${domain} (${candidates[0] as string})`,
    read: () => {
      const ignored: IgnoredPolicy[] = [];
      try {
        if (typeof readPlistDictionary(files.read(userOwn))[POLICY_VALUE_NAME] === 'string') ignored.push({ code: 'user-preference', where: userOwn, why: 'a preference the user set, not one a configuration profile manages' });
      } catch {
        // Absent or unreadable: the user's own preferences never count either way.
      }
      for (const file of candidates) {
        let dictionary: Record<string, PlistValue>;
        try {
          const problem = notRootControlled(file, files);
          if (problem !== null) return { kind: 'refused', where: file, reason: `managed preferences that root does not control: ${problem}`, ignored };
          dictionary = readPlistDictionary(files.read(file));
        } catch (error) {
          if (missing(error)) continue;
          return { kind: 'refused', where: file, reason: `cannot read the managed preferences: ${message(error)}`, ignored };
        }
        const text = dictionary[POLICY_VALUE_NAME];
        if (text === undefined) continue;
        if (typeof text !== 'string') return { kind: 'refused', where: file, reason: `${POLICY_VALUE_NAME} must be a string holding the signed policy`, ignored };
        return { kind: 'found', text, where: `${file} (${POLICY_VALUE_NAME})`, ignored };
      }
      return { kind: 'absent', ignored };
    },
  };
}
