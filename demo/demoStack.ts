// The demo stack Cordon runs against by default: the demo IdP, demo apps and the practice's
// audit collector on 127.0.0.1, and the demo policy, freshly signed with the demo key
// (only development builds trust that key) and naming the demo collector's own key, which
// it signs training answers with (the file's audit.collectorPublicKey stands in for it).
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { PolicyInput } from '../common/policy/policySchema';
import { signPolicyDocument } from '../main/policy/policyKeys';
import { loadOrCreateCollectorKey } from '../collector/console/accessLog';
import type { ConsoleConfig } from '../collector/console/consolePlugin';
import { startCollector } from '../collector/collectorServer';
import { COLLECTOR_AUDIENCE } from '../common/audit/collectorAudience';
import { CONSOLE_BASE } from '../common/console/consoleApi';
import { startDemoApp } from './apps/demoApps';
import { DEMO_CONSOLE_CLIENT, startDemoIdp } from './idp/demoIdp';
import { ReplayClock, seedConsoleDemo } from './seed/consoleSeed';
import { seedDemoTraining } from './seed/trainingSeed';

export const DEMO_DIR = import.meta.dirname;
/** Fixed ports, because the demo policy names these origins. */
export const DEMO_PORTS = { idp: 4400, ehr: 4410, messages: 4420, collector: 4430 } as const;

export interface DemoService {
  name: string;
  url: string;
}

/** The demo collector's key (access log, signed training answers), beside its database. */
export const DEMO_COLLECTOR_KEY_FILE = path.resolve(DEMO_DIR, '..', '.collector-data', 'demo-collector-key.pem');
/** The public key that checks demo policies, as IT gives the collector the practice's. */
export const DEMO_POLICY_PUBLIC_KEY = path.join(DEMO_DIR, 'policy', 'demo-policy-key.public.pem');

/**
 * Signs demo/policy/demo-policy.json, valid from a minute ago for 30 days, into `outFile`,
 * naming the public half of the collector key in `collectorKeyFile` (created if missing).
 */
export async function signDemoPolicy(outFile: string, now = new Date(), collectorKeyFile = DEMO_COLLECTOR_KEY_FILE): Promise<void> {
  const policy = JSON.parse(await readFile(path.join(DEMO_DIR, 'policy', 'demo-policy.json'), 'utf8')) as PolicyInput;
  policy.issuedAt = new Date(now.getTime() - 60_000).toISOString();
  policy.expiresAt = new Date(now.getTime() + 30 * 24 * 3600_000).toISOString();
  policy.audit.collectorPublicKey = loadOrCreateCollectorKey(collectorKeyFile).publicKey.export({ format: 'pem', type: 'spki' }).toString();
  const signed = signPolicyDocument(policy, await readFile(path.join(DEMO_DIR, 'policy', 'demo-policy-key.private.pem'), 'utf8'));
  await mkdir(path.dirname(outFile), { recursive: true });
  await writeFile(outFile, `${JSON.stringify(signed, null, 2)}\n`);
}

/** Where `npm run build:console` puts the console's UI (CORDON_CONSOLE_OUT overrides it). */
export const CONSOLE_UI_DIR = path.resolve(DEMO_DIR, '..', process.env.CORDON_CONSOLE_OUT ?? 'out/console');

/**
 * The console as the demo practice configures it: its confidential client at the demo IdP,
 * MFA and roles exactly as the demo policy asks of the desktop, and the demo policy itself
 * (signed beside the key file), whose agreements and training the compliance page judges by.
 */
export async function demoConsoleConfig(issuer: string, options: { uiDir?: string; keyFile: string; idleTimeoutSeconds?: number }): Promise<ConsoleConfig> {
  const { identity } = JSON.parse(await readFile(path.join(DEMO_DIR, 'policy', 'demo-policy.json'), 'utf8')) as { identity: { mfa: { acrValues?: string[]; amrMethods?: string[] }; rolesClaim?: string } };
  const policyFile = path.join(path.dirname(options.keyFile), 'demo-policy.signed.json');
  await signDemoPolicy(policyFile, new Date(), options.keyFile);
  return {
    oidc: {
      issuer,
      clientId: DEMO_CONSOLE_CLIENT.clientId,
      clientSecret: DEMO_CONSOLE_CLIENT.clientSecret,
      mfa: { acrValues: identity.mfa.acrValues ?? [], amrMethods: identity.mfa.amrMethods ?? [] },
      rolesClaim: identity.rolesClaim ?? 'roles',
      allowInsecureLoopback: true,
    },
    uiDir: options.uiDir ?? CONSOLE_UI_DIR,
    keyFile: options.keyFile,
    practiceName: 'Sunrise Family Medicine (demo)',
    policy: { file: policyFile, keyFile: DEMO_POLICY_PUBLIC_KEY },
    ...(options.idleTimeoutSeconds === undefined ? {} : { idleTimeoutSeconds: options.idleTimeoutSeconds }),
  };
}

export async function startDemoStack(): Promise<{ services: DemoService[]; close: () => Promise<void> }> {
  const started: { name: string; url: string; close: () => Promise<unknown> }[] = [];
  try {
    const idp = await startDemoIdp({ port: DEMO_PORTS.idp });
    started.push({ name: 'Demo identity provider', url: `${idp.issuer}/.well-known/openid-configuration`, close: idp.close });
    for (const [name, app] of [['Demo EHR', 'ehr'], ['Demo messaging', 'messages']] as const) {
      started.push({ name, ...(await startDemoApp(app, { port: DEMO_PORTS[app], issuer: idp.issuer })) });
    }
    // Devices enroll here with the demo IdP's collector-audience token at first sign-in;
    // supervisors sign in to its console with the same IdP.
    const dataDir = path.dirname(DEMO_COLLECTOR_KEY_FILE);
    const clock = new ReplayClock();
    const storage = { kind: 'sqlite' as const, file: path.join(dataDir, 'demo-collector.db') };
    const collector = await startCollector({
      storage,
      port: DEMO_PORTS.collector,
      trustedIssuer: { issuer: idp.issuer, audience: COLLECTOR_AUDIENCE },
      clock: clock.now,
      console: await demoConsoleConfig(idp.issuer, { keyFile: DEMO_COLLECTOR_KEY_FILE }),
    });
    started.push({ name: 'Demo audit collector', url: collector.url, close: collector.close });
    started.push({ name: 'Supervisor console', url: `${collector.url}${CONSOLE_BASE}/`, close: async () => undefined });
    // An empty console teaches nothing: the first run gets a few realistic sessions.
    if ((await collector.devices()).length === 0) await seedConsoleDemo(collector, clock);
    // Valerie's training, as of today: one course due soon (the notice), one current.
    await seedDemoTraining(storage, Date.now());
  } catch (error) {
    await Promise.all(started.map((service) => service.close()));
    throw new Error(`cannot start the demo stack: ${error instanceof Error ? error.message : String(error)} (is another demo already running?)`, { cause: error });
  }
  return {
    services: started.map(({ name, url }) => ({ name, url })),
    close: async () => {
      await Promise.all(started.map((service) => service.close()));
    },
  };
}
