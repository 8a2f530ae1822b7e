// The rules file: the README's example loads (YAML and its JSON twin), defaults fill what
// it leaves out, and each kind of mistake names the file, the field and the reason; the
// collector refuses to start with a bad file (exit 2, nothing listening).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { loadRulesFile, parseRulesText } from '../../../collector/rules/rulesFile';
import { ALERT_KINDS } from '../../../collector/alerts';
import { DEFAULT_RULES_FILE } from '../../../collector/rules/rulesSchema';
import { loopbackCertificate } from '../../support/testTls';

const root = path.resolve(import.meta.dirname, '../../..');
const dir = mkdtempSync(path.join(tmpdir(), 'cordon-rules-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The README's complete example, between its ```yaml fence and the next fence. */
function readmeExample(): string {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const start = readme.indexOf('```yaml\n# cordon-rules.yaml');
  if (start < 0) throw new Error('the README has no rules file example');
  return readme.slice(start + '```yaml\n'.length, readme.indexOf('```', start + 8));
}

const SECRETS = { CORDON_COLLECTOR_WEBHOOK_SECRET: 'w'.repeat(40), CORDON_COLLECTOR_SMTP_PASSWORD: 'smtp-password' };

describe('rules file', () => {
  it("loads the README's complete example as YAML and as JSON, with its certificates beside it and secrets from the environment", () => {
    const { cert } = loopbackCertificate();
    for (const name of ['siem-ca.pem', 'relay-ca.pem']) writeFileSync(path.join(dir, name), cert);
    const yamlFile = path.join(dir, 'cordon-rules.yaml');
    writeFileSync(yamlFile, readmeExample());
    const jsonFile = path.join(dir, 'cordon-rules.json');
    writeFileSync(jsonFile, JSON.stringify(parse(readmeExample())));
    const loaded = loadRulesFile(yamlFile, SECRETS);
    expect(loadRulesFile(jsonFile, SECRETS)).toEqual(loaded);
    expect(Object.keys(loaded.channels).sort()).toEqual(['email', 'syslog', 'webhook']);
    expect(loaded.channels.syslog?.ca).toBe(cert);
    expect(loaded.channels.webhook?.secret).toBe(SECRETS.CORDON_COLLECTOR_WEBHOOK_SECRET);
    expect(loaded.rules.rules['off-hours-sign-in']?.enabled).toBe(true);
  });

  it('names no rule like a chain alert kind: both are kinds in the one alerts table', () => {
    for (const id of Object.keys(DEFAULT_RULES_FILE.rules)) expect(Object.keys(ALERT_KINDS)).not.toContain(id);
  });

  it('fills every rule it leaves out with the defaults; without working hours, off-hours is off', () => {
    const rules = parseRulesText('version: 1\nrules:\n  idle-locks: { count: 3 }\n', 'r.yaml').rules;
    expect(rules['idle-locks']).toEqual({ enabled: true, severity: 'low', count: 3, withinMinutes: 60 });
    expect(rules['blocked-burst']).toEqual(DEFAULT_RULES_FILE.rules['blocked-burst']);
    expect(rules['off-hours-sign-in']).toBeUndefined();
  });

  it.each([
    ['a threshold out of range', 'version: 1\nrules:\n  blocked-burst: { count: 1 }\n', 'rules.blocked-burst.count: Too small: expected number to be >=2'],
    ['an unknown field', 'version: 1\nrules:\n  blocked-burst: { countt: 4 }\n', 'rules.blocked-burst.countt: unknown field'],
    ['an unknown rule', 'version: 1\nrules:\n  off-hour-sign-in: {}\n', 'rules.off-hour-sign-in: unknown field'],
    ['a bad time zone', 'version: 1\npractice: { timezone: Mars/Olympus }\n', 'practice.timezone: must be an IANA time zone'],
    ['a bad interval', 'version: 1\npractice: { workingHours: { mon: ["18:00-08:00"] } }\n', 'practice.workingHours.mon[0]: must end after it starts'],
    ['off-hours without hours', 'version: 1\nrules:\n  off-hours-sign-in: {}\n', "practice.workingHours: the off-hours-sign-in rule needs the practice's working hours"],
    ['a YAML syntax error', 'version: 1\nrules:\n  blocked-burst: { count: 4\n', 'Flow map in block collection must be sufficiently indented and end with a } at line 4, column 1:'],
    ['a missing version', 'rules: {}\n', 'version: Invalid input: expected 1'],
  ])('%s is refused with the file, field and reason', (_name, text, reason) => {
    expect(() => parseRulesText(text, '/etc/cordon/rules.yaml')).toThrow(`rules file /etc/cordon/rules.yaml: ${reason}`);
  });

  it('refuses a webhook without its secret, an SMTP user without a password, a certificate it cannot read', () => {
    const file = (name: string, text: string) => {
      writeFileSync(path.join(dir, name), text);
      return path.join(dir, name);
    };
    const webhook = file('webhook.yaml', 'version: 1\nnotifications:\n  webhook: { url: "https://siem.example/hook" }\n');
    expect(() => loadRulesFile(webhook, {})).toThrow(`rules file ${webhook}: notifications.webhook: the signing secret comes from CORDON_COLLECTOR_WEBHOOK_SECRET, at least 32 characters (it is not set)`);
    const email = file('email.yaml', 'version: 1\nnotifications:\n  email: { host: relay.example, from: a@b.example, to: [c@d.example], user: cordon }\n');
    expect(() => loadRulesFile(email, {})).toThrow('notifications.email.user: the SMTP password comes from CORDON_COLLECTOR_SMTP_PASSWORD, which is not set');
    const syslog = file('syslog.yaml', 'version: 1\nnotifications:\n  syslog: { host: siem.example, caFile: missing-ca.pem }\n');
    expect(() => loadRulesFile(syslog, {})).toThrow(`notifications.syslog.caFile: cannot read '${path.join(dir, 'missing-ca.pem')}'`);
  });

  it('npm run collector with a bad rules file stops with exit code 2 and says why', () => {
    const bad = path.join(dir, 'bad.yaml');
    writeFileSync(bad, 'version: 1\nrules:\n  idle-locks: { withinMinutes: 0 }\n');
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('CORDON_COLLECTOR_') && !name.startsWith('CORDON_CONSOLE_')));
    const run = spawnSync(path.join(root, 'node_modules/.bin/tsx'), [path.join(root, 'collector/collectorMain.ts'), '--port', '0', '--sqlite-file', path.join(dir, 'c.db'), '--rules-file', bad], { cwd: dir, env, encoding: 'utf8', timeout: 30_000 });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`collector: rules file ${bad}: rules.idle-locks.withinMinutes: Too small`);
    expect(run.stdout).not.toContain('listening');
  });
});
