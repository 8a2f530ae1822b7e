// Reads the rules file (`--rules-file`, JSON or YAML: JSON is YAML too, so one parser
// reads both and says where a syntax error is) and turns it into the collector's alerting
// settings: certificates read from files beside it, secrets from the environment (never
// from the file, which IT may keep in version control). Any problem is one RulesFileError
// naming the file, the field and the reason; the collector does not start with it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import type { AlertingConfig } from '../collectorConfig';
import { rulesFileSchema, type NotificationsConfig, type RulesFile } from './rulesSchema';

export class RulesFileError extends Error {}

export const RULES_SECRET_VARIABLES = { webhook: 'CORDON_COLLECTOR_WEBHOOK_SECRET', smtpPassword: 'CORDON_COLLECTOR_SMTP_PASSWORD' } as const;
const MIN_WEBHOOK_SECRET = 32;

/** `rules.blocked-burst.kinds[2]`, as the file is written. */
function fieldOf(issuePath: readonly PropertyKey[]): string {
  return issuePath.reduce<string>((name, segment) => (typeof segment === 'number' ? `${name}[${segment}]` : name === '' ? String(segment) : `${name}.${String(segment)}`), '') || '(the whole file)';
}

function describe(error: z.ZodError): string {
  return error.issues
    .flatMap((issue) => (issue.code === 'unrecognized_keys' ? issue.keys.map((key) => `${fieldOf([...issue.path, key])}: unknown field`) : [`${fieldOf(issue.path)}: ${issue.message}`]))
    .join('; ');
}

/** The file's content validated; `file` only names it in errors. */
export function parseRulesText(text: string, file: string): RulesFile {
  const document = parseDocument(text, { uniqueKeys: true });
  const syntax = document.errors[0];
  // The message's first line names the problem and its line and column; the rest quotes the file.
  if (syntax !== undefined) throw new RulesFileError(`rules file ${file}: ${syntax.message.split('\n')[0] ?? syntax.code}`);
  const parsed = rulesFileSchema.safeParse(document.toJS());
  if (!parsed.success) throw new RulesFileError(`rules file ${file}: ${describe(parsed.error)}`);
  return parsed.data;
}

function readPem(file: string, relativeTo: string, field: string): string {
  const where = path.resolve(relativeTo, file);
  try {
    return readFileSync(where, 'utf8');
  } catch (error) {
    throw new RulesFileError(`${field}: cannot read '${where}': ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Receivers' settings with their certificates and secrets in hand. */
function channelSettings(notifications: NotificationsConfig, directory: string, env: Readonly<Record<string, string | undefined>>): AlertingConfig['channels'] {
  const { syslog, webhook, email } = notifications;
  const optional = <K extends string>(name: K, file: string | undefined, field: string) => (file === undefined ? {} : ({ [name]: readPem(file, directory, field) } as Record<K, string>));
  const channels: AlertingConfig['channels'] = {};
  if (syslog !== undefined) {
    channels.syslog = {
      host: syslog.host,
      port: syslog.port,
      appName: syslog.appName,
      minSeverity: syslog.minSeverity,
      ca: readPem(syslog.caFile, directory, 'notifications.syslog.caFile'),
      ...optional('cert', syslog.certFile, 'notifications.syslog.certFile'),
      ...optional('key', syslog.keyFile, 'notifications.syslog.keyFile'),
    };
  }
  if (webhook !== undefined) {
    const secret = env[RULES_SECRET_VARIABLES.webhook] ?? '';
    if (secret.length < MIN_WEBHOOK_SECRET) throw new RulesFileError(`notifications.webhook: the signing secret comes from ${RULES_SECRET_VARIABLES.webhook}, at least ${MIN_WEBHOOK_SECRET} characters (${secret === '' ? 'it is not set' : 'it is shorter'})`);
    channels.webhook = { url: webhook.url, secret, minSeverity: webhook.minSeverity, ...optional('ca', webhook.caFile, 'notifications.webhook.caFile') };
  }
  if (email !== undefined) {
    const password = env[RULES_SECRET_VARIABLES.smtpPassword];
    if (email.user !== undefined && (password === undefined || password === '')) throw new RulesFileError(`notifications.email.user: the SMTP password comes from ${RULES_SECRET_VARIABLES.smtpPassword}, which is not set`);
    channels.email = {
      host: email.host,
      port: email.port,
      from: email.from,
      to: email.to,
      minSeverity: email.minSeverity,
      ...(email.user === undefined ? {} : { user: email.user, password: password as string }),
      ...optional('ca', email.caFile, 'notifications.email.caFile'),
    };
  }
  return channels;
}

/** The alerting settings from a rules file; relative certificate paths are taken from the file's folder. */
export function loadRulesFile(file: string, env: Readonly<Record<string, string | undefined>>): Pick<AlertingConfig, 'rules' | 'channels'> {
  const where = path.resolve(file);
  let text: string;
  try {
    text = readFileSync(where, 'utf8');
  } catch (error) {
    throw new RulesFileError(`rules file ${where}: cannot be read: ${error instanceof Error ? error.message : String(error)}`);
  }
  const rules = parseRulesText(text, where);
  try {
    return { rules, channels: channelSettings(rules.notifications, path.dirname(where), env) };
  } catch (error) {
    if (error instanceof RulesFileError) throw new RulesFileError(`rules file ${where}: ${error.message}`);
    throw error;
  }
}
