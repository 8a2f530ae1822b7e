// What `npm run dist` needs before electron-builder may run, and what to say when it is
// missing. Pure: build/dist.ts gathers the facts (environment, files, the parsed
// electron-builder.yml) and prints the problems.

/** Strings in electron-builder.yml that a practice must replace before a real build. */
export const PLACEHOLDER_PREFIX = 'REPLACE:';

export interface DistFacts {
  platform: NodeJS.Platform;
  env: Readonly<Record<string, string | undefined>>;
  /** From build/electronBinary.ts: the Electron executable, or why there is none. */
  electron: { path: string } | { missing: string };
  /** The `version` file beside that executable's distribution, null when unreadable. */
  electronDistVersion: string | null;
  /** The electron version package.json pins. */
  pinnedElectronVersion: string;
  /** build/policy-keys/*.public.pem: a production build trusts only these. */
  policyKeyCount: number;
  /** The parsed electron-builder.yml. */
  config: Record<string, unknown>;
  /** Whether a program is on PATH. */
  onPath: (program: string) => boolean;
}

/** The configuration sections each platform's build reads, besides the top level. */
const PLATFORM_SECTIONS: Record<string, readonly string[]> = {
  darwin: ['mac', 'pkg', 'dmg'],
  win32: ['win', 'msi', 'nsis'],
  linux: ['linux', 'deb', 'rpm'],
};
const ALL_SECTIONS = new Set(Object.values(PLATFORM_SECTIONS).flat());

/** A certificate in the Windows store, chosen by its SHA-1 thumbprint, or null. */
function storeThumbprint(env: DistFacts['env']): string | null {
  const thumbprint = env.CORDON_WIN_CERT_SHA1 ?? '';
  return /^[0-9a-fA-F]{40}$/.test(thumbprint) ? thumbprint : null;
}

function hasAll(env: DistFacts['env'], names: readonly string[]): boolean {
  return names.every((name) => (env[name] ?? '') !== '');
}

/** Dotted paths of the placeholder strings a build for `platform` would use. */
export function placeholdersFor(config: Record<string, unknown>, platform: NodeJS.Platform): string[] {
  const sections = PLATFORM_SECTIONS[platform] ?? [];
  const found: string[] = [];
  const walk = (value: unknown, at: string) => {
    if (typeof value === 'string' && value.startsWith(PLACEHOLDER_PREFIX)) found.push(at);
    else if (Array.isArray(value)) value.forEach((item, i) => walk(item, `${at}[${i}]`));
    else if (typeof value === 'object' && value !== null) for (const [key, inner] of Object.entries(value)) walk(inner, at === '' ? key : `${at}.${key}`);
  };
  for (const [key, value] of Object.entries(config)) {
    if (!ALL_SECTIONS.has(key) || sections.includes(key)) walk(value, key);
  }
  return found;
}

function signingProblems(platform: NodeJS.Platform, env: DistFacts['env']): string[] {
  if (platform === 'darwin') {
    const problems: string[] = [];
    if (!hasAll(env, ['CSC_LINK', 'CSC_KEY_PASSWORD']) && !hasAll(env, ['CSC_NAME'])) {
      problems.push(
        'the macOS signing identity: set CSC_LINK (the Developer ID Application certificate as a .p12 file or base64, with the Developer ID Installer certificate for the pkg) and CSC_KEY_PASSWORD, or CSC_NAME (an identity already in the keychain)',
      );
    }
    const notarization = [
      ['APPLE_API_KEY', 'APPLE_API_KEY_ID', 'APPLE_API_ISSUER'],
      ['APPLE_ID', 'APPLE_APP_SPECIFIC_PASSWORD', 'APPLE_TEAM_ID'],
      ['APPLE_KEYCHAIN', 'APPLE_KEYCHAIN_PROFILE'],
    ];
    if (!notarization.some((set) => hasAll(env, set))) {
      problems.push(`notarization credentials: set ${notarization.map((set) => set.join(' + ')).join(', or ')}`);
    }
    return problems;
  }
  if (platform === 'win32') {
    const pfx = (hasAll(env, ['WIN_CSC_LINK']) || hasAll(env, ['CSC_LINK'])) && (hasAll(env, ['WIN_CSC_KEY_PASSWORD']) || hasAll(env, ['CSC_KEY_PASSWORD']));
    if (pfx || storeThumbprint(env) !== null) return [];
    const badThumbprint = (env.CORDON_WIN_CERT_SHA1 ?? '') !== '' ? ' (CORDON_WIN_CERT_SHA1 is set but is not a 40-hex-digit thumbprint)' : '';
    return [
      `the Windows signing certificate${badThumbprint}: set WIN_CSC_LINK (or CSC_LINK) to a .pfx and WIN_CSC_KEY_PASSWORD (or CSC_KEY_PASSWORD), or CORDON_WIN_CERT_SHA1 to the SHA-1 thumbprint of a certificate in the Windows certificate store (for example on a hardware token)`,
    ];
  }
  return [];
}

/** Everything missing for a signed build on this machine; empty when it may go ahead. */
export function distProblems(facts: DistFacts): string[] {
  const { platform } = facts;
  if (PLATFORM_SECTIONS[platform] === undefined) {
    return [`a supported build machine: \`npm run dist\` builds on macOS, Windows or Linux, for that same system (this is ${platform})`];
  }
  const problems: string[] = [];
  if ('missing' in facts.electron) {
    problems.push(
      `the Electron binary: ${facts.electron.missing}. Fetch it with \`node node_modules/electron/install.js\` where github.com is reachable, or set CORDON_ELECTRON_BINARY to an Electron ${facts.pinnedElectronVersion} executable for this system`,
    );
  } else if (facts.electronDistVersion !== facts.pinnedElectronVersion) {
    problems.push(
      `the Electron binary at ${facts.electron.path} is ${facts.electronDistVersion ?? 'of unknown version (no version file beside it)'}, but package.json pins electron ${facts.pinnedElectronVersion}`,
    );
  }
  if (facts.policyKeyCount === 0) {
    problems.push("the practice's policy key: put its public key in build/policy-keys/<name>.public.pem (a production build trusts no other key, so without one it would refuse every policy)");
  }
  problems.push(...signingProblems(platform, facts.env));
  for (const at of placeholdersFor(facts.config, platform)) {
    problems.push(`a real value for ${at} in electron-builder.yml (it still says "${PLACEHOLDER_PREFIX} …")`);
  }
  if (platform === 'linux' && !facts.onPath('rpmbuild')) {
    problems.push('rpmbuild, which the rpm target needs (Debian/Ubuntu: apt-get install rpm)');
  }
  return problems;
}

/** Arguments for electron-builder that carry what the environment chose. */
export function signingArguments(platform: NodeJS.Platform, env: DistFacts['env']): string[] {
  const thumbprint = storeThumbprint(env);
  return platform === 'win32' && thumbprint !== null ? [`-c.win.signtoolOptions.certificateSha1=${thumbprint}`] : [];
}
