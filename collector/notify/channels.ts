// The configured notification channels, each built from its settings.
import type { AlertingConfig } from '../collectorConfig';
import { emailChannel } from './emailChannel';
import type { Channel } from './notifier';
import { syslogChannel } from './syslogChannel';
import { webhookChannel } from './webhookChannel';

export function createChannels(settings: AlertingConfig['channels']): Channel[] {
  return [
    ...(settings.syslog === undefined ? [] : [syslogChannel(settings.syslog)]),
    ...(settings.webhook === undefined ? [] : [webhookChannel(settings.webhook)]),
    ...(settings.email === undefined ? [] : [emailChannel(settings.email)]),
  ];
}
