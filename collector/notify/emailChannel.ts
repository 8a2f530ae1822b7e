// Email through the practice's SMTP relay (nodemailer): always upgraded with STARTTLS
// before anything is sent, the relay's certificate checked (against the configured CA
// when given), and authenticated when a user is configured.
import { createTransport } from 'nodemailer';
import type { AlertSeverity } from '../alerts';
import type { Channel } from './notifier';
import { headline, notificationFields } from './notification';

export interface EmailSettings {
  host: string;
  port: number;
  from: string;
  to: string[];
  user?: string;
  password?: string;
  ca?: string;
  minSeverity: AlertSeverity;
}

const TIMEOUT_MS = 10_000;

export function emailChannel(settings: EmailSettings): Channel {
  const transport = createTransport({
    host: settings.host,
    port: settings.port,
    // STARTTLS on a plain port, and refuse to send if the relay does not offer it.
    secure: false,
    requireTLS: true,
    tls: { minVersion: 'TLSv1.2', ...(settings.ca === undefined ? {} : { ca: settings.ca }) },
    ...(settings.user === undefined ? {} : { auth: { user: settings.user, pass: settings.password ?? '' } }),
    connectionTimeout: TIMEOUT_MS,
    greetingTimeout: TIMEOUT_MS,
    socketTimeout: TIMEOUT_MS,
  });
  return {
    name: 'email',
    minSeverity: settings.minSeverity,
    deliver: async (notification) => {
      await transport.sendMail({
        from: settings.from,
        to: settings.to,
        subject: headline(notification),
        text: `${notificationFields(notification)
          .map(([name, value]) => `${name}: ${value}`)
          .join('\n')}\n\nOpen the collector's console (Alerts) to acknowledge or resolve it.\n`,
      });
    },
  };
}
