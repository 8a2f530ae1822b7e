// Signed webhooks: the notification as a JSON POST, with `cordon-timestamp` (Unix
// seconds) and `cordon-signature: v1=<hex HMAC-SHA256(secret, timestamp + "." + body)>`,
// so the receiver can check who sent it and refuse replays of old requests. Any 2xx is
// delivery; anything else is retried by the notifier.
import { createHmac } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Channel } from './notifier';
import type { AlertNotification } from './notification';
import type { AlertSeverity } from '../alerts';

export interface WebhookSettings {
  url: string;
  /** Shared with the receiver; at least 32 characters. */
  secret: string;
  /** PEM of the CA that signed the receiver's certificate, when it is not a public one. */
  ca?: string;
  minSeverity: AlertSeverity;
}

export const WEBHOOK_HEADERS = { timestamp: 'cordon-timestamp', signature: 'cordon-signature' } as const;
const TIMEOUT_MS = 10_000;

/** What a receiver recomputes: the signature of `body` sent at `timestamp`. */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex')}`;
}

export function webhookChannel(settings: WebhookSettings): Channel {
  const url = new URL(settings.url);
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return {
    name: 'webhook',
    minSeverity: settings.minSeverity,
    deliver: (notification: AlertNotification) =>
      new Promise<void>((resolve, reject) => {
        const body = JSON.stringify(notification);
        const timestamp = String(Math.floor(Date.now() / 1000));
        const headers = { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), [WEBHOOK_HEADERS.timestamp]: timestamp, [WEBHOOK_HEADERS.signature]: webhookSignature(settings.secret, timestamp, body) };
        const req = request(url, { method: 'POST', headers, timeout: TIMEOUT_MS, ...(settings.ca === undefined ? {} : { ca: settings.ca }) }, (response) => {
          response.resume();
          response.on('end', () => {
            const status = response.statusCode ?? 0;
            if (status >= 200 && status < 300) resolve();
            else reject(new Error(`the webhook receiver answered ${status}`));
          });
        });
        req.on('timeout', () => req.destroy(new Error(`the webhook receiver did not answer within ${TIMEOUT_MS / 1000} s`)));
        req.on('error', (error) => reject(new Error(`webhook ${url.origin}: ${error.message}`)));
        req.end(body);
      }),
  };
}
